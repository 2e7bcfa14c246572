import { Doc, heading } from 'src/reports/pdf/document';
import { controlColumns } from 'src/reports/pdf/sections/control-columns';
import { drawTable } from 'src/reports/pdf/table';
import { shortName } from 'src/reports/pdf/theme';
import { FrameworkGapReportDto } from 'src/reports/reports.dto';

/** Controls scoped out of the framework, each with the justification recorded for it. */
export function drawNotApplicableRegister(doc: Doc, f: FrameworkGapReportDto): void {
  const rows = f.controls.filter((c) => !c.applicable);
  heading(doc, `Not-applicable register (${rows.length})`, 2);
  const col = controlColumns(doc, rows);
  drawTable(doc, {
    caption: `${shortName(f.framework)}: not-applicable register (continued)`,
    empty: 'Every control of the framework applies.',
    rows,
    columns: [col.ref, { ...col.title, weight: 2 }, { header: 'Justification', value: (r) => r.justification ?? '', weight: 3.5 }],
  });
}
