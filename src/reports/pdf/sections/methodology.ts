import { bullets, Doc, heading, paragraph } from 'src/reports/pdf/document';
import { EXPIRING_WITHIN_DAYS } from 'src/readiness/readiness.repository';
import { auditChainHeadText } from 'src/reports/pdf/sections/cover';
import { GapReportDto } from 'src/reports/reports.dto';

/** SPEC 3 in words: how each control's state and each score in this report were derived. */
export function drawMethodology(doc: Doc, report: GapReportDto): void {
  doc.addPage();
  heading(doc, 'Methodology', 1);
  paragraph(
    doc,
    'Each framework the client is enrolled in is tracked as one control per requirement of the framework version named on the cover. ' +
      `Every state below is judged on the assessment date (${report.asOf}), from the status, owner, due date and evidence recorded for each control.`,
  );
  heading(doc, 'State of a control', 2);
  bullets(doc, [
    'Not applicable: the control was scoped out with a written justification (listed in each framework\'s not-applicable register). It counts in no score.',
    'Met: the control is implemented and at least one linked evidence file has been accepted by a reviewer, has not been withdrawn and is still valid ' +
      '(it has no "valid until" date, or that date is the assessment date or later).',
    'Partial: the control is in progress, or it is implemented without accepted, current evidence.',
    'Gap: work on the control has not started.',
  ]);
  heading(doc, 'Readiness score', 2);
  paragraph(
    doc,
    'Score = (met + 0.5 × partial) ÷ applicable × 100, rounded to one decimal, where "applicable" counts every control that is not scoped out. ' +
      'A framework or section with no applicable control has no score (shown as n/a). Section scores use the same formula over the controls of the section.',
  );
  heading(doc, 'Other figures', 2);
  bullets(doc, [
    'Overdue: an applicable control that is not met and whose due date is before the assessment date; "days overdue" counts the days since that due date.',
    'Unowned: an applicable control with no owner assigned.',
    `Expiring evidence: accepted, current evidence linked to an applicable control whose validity ends within ${EXPIRING_WITHIN_DAYS} days of the assessment date.`,
    'Evidence index: every evidence file that has not been withdrawn and is linked to a control of the reported frameworks, identified by the SHA-256 of its content.',
  ]);
  heading(doc, 'Audit trail', 2);
  paragraph(
    doc,
    `Every change behind these figures is recorded in the client's hash-chained audit trail. When this report was made its head was ${auditChainHeadText(report)} ` +
      '(position and SHA-256): a trail later rewritten or cut short no longer leads to this value.',
  );
  paragraph(
    doc,
    'The figures in this report are computed by the same service that answers the readiness API and the web dashboard, so the three always agree for a given day.',
  );
}
