import { drawBarChart } from 'src/reports/pdf/bar-chart';
import { Doc, heading, paragraph } from 'src/reports/pdf/document';
import { drawGapTable } from 'src/reports/pdf/sections/gap-table';
import { drawNotApplicableRegister } from 'src/reports/pdf/sections/na-register';
import { COLOR, formatScore } from 'src/reports/pdf/theme';
import { FrameworkGapReportDto } from 'src/reports/reports.dto';

/** One framework's chapter: its numbers, readiness per section, the gap table and the not-applicable register. */
export function drawFrameworkSection(doc: Doc, f: FrameworkGapReportDto): void {
  doc.addPage();
  heading(doc, f.name, 1);
  paragraph(doc, `Version: ${f.version}`, { color: COLOR.muted, gap: 0.3 });
  paragraph(
    doc,
    `Readiness ${formatScore(f.score)}: ${f.met} met, ${f.partial} partial and ${f.gap} gap of ${f.applicable} applicable controls; ` +
      `${f.notApplicable} not applicable. ${f.overdue} overdue, ${f.unowned} without an owner, ` +
      `${f.expiringEvidence} accepted evidence item${f.expiringEvidence === 1 ? '' : 's'} expiring within 30 days.`,
  );
  heading(doc, 'Readiness per section', 2);
  drawBarChart(
    doc,
    f.sections.map((s) => ({ label: `${s.ref} ${s.title}`, score: s.score, met: s.met, partial: s.partial, gap: s.gap })),
    { labelWidth: 190 },
  );
  drawGapTable(doc, f);
  drawNotApplicableRegister(doc, f);
}
