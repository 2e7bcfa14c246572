import { ReadinessState } from 'src/controls/controls.dto';
import { Doc, heading } from 'src/reports/pdf/document';
import { controlColumns } from 'src/reports/pdf/sections/control-columns';
import { drawTable } from 'src/reports/pdf/table';
import { shortName } from 'src/reports/pdf/theme';
import { FrameworkGapReportDto } from 'src/reports/reports.dto';

/** Every applicable control of the framework that is not met (gap and partial), in catalog order. */
export function drawGapTable(doc: Doc, f: FrameworkGapReportDto): void {
  const rows = f.controls.filter((c) => c.state === ReadinessState.Gap || c.state === ReadinessState.Partial);
  heading(doc, `Gaps and partially met controls (${rows.length})`, 2);
  const col = controlColumns(doc, rows);
  drawTable(doc, {
    caption: `${shortName(f.framework)}: gaps and partially met controls (continued)`,
    empty: 'Every applicable control is met.',
    rows,
    columns: [col.ref, col.title, col.state, col.owner, col.dueDate, col.daysOverdue],
  });
}
