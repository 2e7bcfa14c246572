import { ReadinessState } from 'src/controls/controls.dto';
import { Doc } from 'src/reports/pdf/document';
import { Column, widthToFit } from 'src/reports/pdf/table';
import { COLOR, STATE_LABEL } from 'src/reports/pdf/theme';
import { ReportControlDto } from 'src/reports/reports.dto';

/** Columns the control tables share, so that a control reads the same in every table. */
export const controlColumns = (doc: Doc, rows: ReportControlDto[]) => ({
  /** Wide enough for the longest ref on one line, so a ref is never broken (e.g. 164.308(a)(1)(ii)(A)). */
  ref: { header: 'Ref', value: (r) => r.ref, width: widthToFit(doc, rows.map((r) => r.ref), 110) } satisfies Column<ReportControlDto>,
  title: { header: 'Title', value: (r) => r.title, weight: 3 } satisfies Column<ReportControlDto>,
  state: {
    header: 'State',
    value: (r) => STATE_LABEL[r.state],
    width: 44,
    font: 'bold',
    color: (r) => COLOR[r.state],
  } satisfies Column<ReportControlDto>,
  owner: { header: 'Owner', value: (r) => r.ownerName ?? 'Unassigned', weight: 1.3, color: (r) => (r.ownerName ? COLOR.text : COLOR[ReadinessState.Gap]) } satisfies Column<ReportControlDto>,
  dueDate: { header: 'Due date', value: (r) => r.dueDate ?? '', width: 56 } satisfies Column<ReportControlDto>,
  daysOverdue: {
    header: 'Days overdue',
    value: (r) => (r.daysOverdue === null ? '' : String(r.daysOverdue)),
    width: 44,
    align: 'right',
    color: () => COLOR[ReadinessState.Gap],
  } satisfies Column<ReportControlDto>,
});
