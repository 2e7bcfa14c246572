import { contentWidth, Doc, left, setFont } from 'src/reports/pdf/document';
import { COLOR, formatScore, SIZE } from 'src/reports/pdf/theme';
import { GapReportDto } from 'src/reports/reports.dto';

/** Page 1: who, what, when, by whom. */
export function drawCover(doc: Doc, report: GapReportDto): void {
  const x = left(doc);
  const width = contentWidth(doc);
  doc.rect(0, 0, doc.page.width, 8).fill(COLOR.primary);
  doc.y = 150;
  setFont(doc, 'regular', SIZE.h3).fillColor(COLOR.muted).text('READINESS GAP ANALYSIS', x, doc.y, { width, characterSpacing: 1.5 });
  doc.moveDown(0.6);
  setFont(doc, 'bold', SIZE.title).fillColor(COLOR.primary).text(report.clientName, x, doc.y, { width });
  doc.moveDown(1.2);

  setFont(doc, 'bold', SIZE.h3).fillColor(COLOR.text).text('Frameworks in scope', x, doc.y, { width });
  doc.moveDown(0.3);
  for (const f of report.frameworks) {
    setFont(doc, 'bold', SIZE.body).fillColor(COLOR.text).text(f.name, x, doc.y, { width });
    setFont(doc, 'regular', SIZE.body).fillColor(COLOR.muted).text(`Version: ${f.version}`, x, doc.y, { width });
    doc.text(`Readiness: ${formatScore(f.score)} of ${f.applicable} applicable controls`, x, doc.y, { width });
    doc.moveDown(0.5);
  }
  if (report.frameworks.length === 0) setFont(doc, 'regular', SIZE.body).fillColor(COLOR.muted).text('The client is not enrolled in any framework.', x, doc.y, { width });

  doc.moveDown(1.5);
  const rows: [string, string][] = [
    ['Assessment date', report.asOf],
    ['Prepared by', `${report.preparedBy.name} <${report.preparedBy.email}>`],
    ['Generated', report.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')],
    ['Audit chain head', auditChainHeadText(report)],
  ];
  for (const [label, value] of rows) {
    const y = doc.y;
    setFont(doc, 'bold', SIZE.body).fillColor(COLOR.text).text(label, x, y, { width: 110 });
    setFont(doc, 'regular', SIZE.body).text(value, x + 115, y, { width: width - 115 });
    doc.moveDown(0.3);
  }
  doc.moveDown(2);
  setFont(doc, 'regular', SIZE.small)
    .fillColor(COLOR.muted)
    .text(
      'Confidential. This report describes the state of the controls and evidence recorded for the client on the assessment date. ' +
        'It is an internal readiness assessment, not an audit opinion or attestation.',
      x,
      doc.y,
      { width },
    );
  setFont(doc, 'regular', SIZE.body).fillColor(COLOR.text);
}

/** What the trail looked like when the report was made: compare with `npm run audit:verify` to detect a rewrite. */
export const auditChainHeadText = (report: GapReportDto): string =>
  report.auditChainHead ? `#${report.auditChainHead.position} ${report.auditChainHead.hash}` : 'no event recorded';
