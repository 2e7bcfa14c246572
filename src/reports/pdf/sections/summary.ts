import { drawBarChart } from 'src/reports/pdf/bar-chart';
import { bullets, Doc, heading, paragraph } from 'src/reports/pdf/document';
import { drawTable, widthToFit } from 'src/reports/pdf/table';
import { COLOR, controlRefs, formatScore, shortName, STATE_LABEL } from 'src/reports/pdf/theme';
import { EvidenceIndexEntryDto, GapReportDto, ReportControlDto } from 'src/reports/reports.dto';
import { ReadinessState } from 'src/controls/controls.dto';

const num = (n: number) => String(n);

/** Scores per framework (chart), counts per state, and the risks that need attention first. */
export function drawSummary(doc: Doc, report: GapReportDto): void {
  doc.addPage();
  heading(doc, 'Executive summary', 1);
  paragraph(
    doc,
    `Readiness of ${report.clientName} on ${report.asOf}. The score counts a met control fully and a partially met control as half, ` +
      'over the controls that apply (see Methodology). Controls scoped out with a justification are listed per framework.',
  );
  if (report.frameworks.length === 0) {
    paragraph(doc, 'The client is not enrolled in any framework yet.', { color: COLOR.muted });
    return;
  }

  heading(doc, 'Readiness score per framework', 2);
  drawBarChart(
    doc,
    report.frameworks.map((f) => ({ label: f.name, score: f.score, met: f.met, partial: f.partial, gap: f.gap })),
    { labelWidth: 150 },
  );

  heading(doc, 'Controls per state', 2);
  const c = (header: string, value: (f: GapReportDto['frameworks'][number]) => string) => ({ header, value, align: 'right' as const, weight: 1 });
  drawTable(doc, {
    caption: 'Controls per state (continued)',
    empty: '',
    rows: report.frameworks,
    columns: [
      { header: 'Framework', value: (f) => shortName(f.framework), weight: 1.6 },
      c('Score', (f) => formatScore(f.score)),
      c('Applicable', (f) => num(f.applicable)),
      c(STATE_LABEL[ReadinessState.Met], (f) => num(f.met)),
      c(STATE_LABEL[ReadinessState.Partial], (f) => num(f.partial)),
      c(STATE_LABEL[ReadinessState.Gap], (f) => num(f.gap)),
      c(STATE_LABEL[ReadinessState.NotApplicable], (f) => num(f.notApplicable)),
      c('Overdue', (f) => num(f.overdue)),
      c('Unowned', (f) => num(f.unowned)),
      c('Expiring evidence', (f) => num(f.expiringEvidence)),
    ],
  });

  heading(doc, 'Top risks', 2);
  if (report.risks.length === 0) paragraph(doc, 'No overdue or unowned controls, and no accepted evidence expiring within 30 days.', { color: COLOR.muted });
  else bullets(doc, report.risks.map((r) => r.text));

  heading(doc, 'Most overdue controls', 3);
  drawControlList(doc, report.mostOverdue, 'No control is past its due date.');

  heading(doc, 'Accepted evidence expiring within 30 days', 3);
  drawExpiring(doc, report.expiringEvidence);
}

function drawControlList(doc: Doc, rows: ReportControlDto[], empty: string): void {
  drawTable(doc, {
    caption: 'Most overdue controls (continued)',
    empty,
    rows,
    columns: [
      { header: 'Framework', value: (r) => shortName(r.framework), width: 52 },
      { header: 'Ref', value: (r) => r.ref, width: widthToFit(doc, rows.map((r) => r.ref), 110) },
      { header: 'Title', value: (r) => r.title, weight: 3 },
      { header: 'Owner', value: (r) => r.ownerName ?? 'Unassigned', weight: 1.2 },
      { header: 'Due date', value: (r) => r.dueDate ?? '', width: 56 },
      { header: 'Days overdue', value: (r) => num(r.daysOverdue ?? 0), width: 44, align: 'right', color: () => COLOR[ReadinessState.Gap] },
    ],
  });
}

function drawExpiring(doc: Doc, rows: EvidenceIndexEntryDto[]): void {
  drawTable(doc, {
    caption: 'Accepted evidence expiring within 30 days (continued)',
    empty: 'None.',
    rows,
    columns: [
      { header: 'File', value: (e) => `${e.fileName}\n${e.title}`, weight: 2 },
      { header: 'Valid until', value: (e) => e.validUntil ?? '', width: 60 },
      { header: 'Linked controls', value: (e) => controlRefs(e.controls), weight: 2 },
    ],
  });
}
