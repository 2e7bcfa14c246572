import { createDocument, decoratePages, Doc } from 'src/reports/pdf/document';
import { drawCover } from 'src/reports/pdf/sections/cover';
import { drawEvidenceIndex } from 'src/reports/pdf/sections/evidence-index';
import { drawFrameworkSection } from 'src/reports/pdf/sections/framework-section';
import { drawMethodology } from 'src/reports/pdf/sections/methodology';
import { drawRemediation } from 'src/reports/pdf/sections/remediation';
import { drawSummary } from 'src/reports/pdf/sections/summary';
import { GapReportDto } from 'src/reports/reports.dto';

/** Lets other requests run between chapters: laying out 419 controls takes a few hundred milliseconds of CPU. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The gap-analysis PDF of a report model, as a readable stream: no database access here. Pages are laid out
 * before this resolves (errors surface before any byte is sent); pdfkit writes the document out as it is read.
 */
export async function renderGapReportPdf(report: GapReportDto): Promise<Doc> {
  const names = report.frameworks.map((f) => f.name).join(', ') || 'no framework';
  const doc = createDocument({
    title: `Gap analysis: ${report.clientName}`,
    author: report.preparedBy.name,
    subject: `Readiness gap analysis of ${report.clientName} for ${names} as of ${report.asOf}`,
    keywords: ['gap analysis', 'readiness', ...report.frameworks.map((f) => f.name)].join(', '),
    createdAt: new Date(report.generatedAt),
  });
  drawCover(doc, report);
  drawSummary(doc, report);
  for (const f of report.frameworks) {
    await yieldToEventLoop();
    drawFrameworkSection(doc, f);
  }
  await yieldToEventLoop();
  drawRemediation(doc, report);
  drawEvidenceIndex(doc, report);
  drawMethodology(doc, report);
  decoratePages(doc, `Gap analysis · ${report.clientName} · ${report.asOf}`, `Prepared by ${report.preparedBy.name} · Confidential`);
  doc.end();
  return doc;
}
