import { Doc, heading, paragraph } from 'src/reports/pdf/document';
import { controlColumns } from 'src/reports/pdf/sections/control-columns';
import { drawTable } from 'src/reports/pdf/table';
import { shortName } from 'src/reports/pdf/theme';
import { GapReportDto } from 'src/reports/reports.dto';

/** Open items of every reported framework, by due date (undated last), then catalog order. */
export function drawRemediation(doc: Doc, report: GapReportDto): void {
  doc.addPage();
  heading(doc, 'Remediation plan', 1);
  const undated = report.remediation.filter((c) => c.dueDate === null).length;
  paragraph(
    doc,
    `${report.remediation.length} open item${report.remediation.length === 1 ? '' : 's'} (gaps and partially met controls), ordered by due date and then by ` +
      `section in catalog order.${undated ? ` ${undated} have no due date yet and are listed last.` : ''}`,
  );
  const col = controlColumns(doc, report.remediation);
  drawTable(doc, {
    caption: 'Remediation plan (continued)',
    empty: 'Nothing is open.',
    rows: report.remediation,
    columns: [
      { ...col.dueDate, header: 'Due date' },
      { header: 'Framework', value: (r) => shortName(r.framework), width: 48 },
      col.ref,
      col.title,
      col.state,
      col.owner,
      col.daysOverdue,
    ],
  });
}
