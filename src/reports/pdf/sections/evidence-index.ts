import { Doc, heading, paragraph } from 'src/reports/pdf/document';
import { drawTable } from 'src/reports/pdf/table';
import { COLOR, controlRefs } from 'src/reports/pdf/theme';
import { ReviewState } from 'src/evidence/evidence.dto';
import { EvidenceIndexEntryDto, GapReportDto } from 'src/reports/reports.dto';

const REVIEW_COLOR: Record<ReviewState, string> = {
  [ReviewState.Accepted]: COLOR.met,
  [ReviewState.Pending]: COLOR.partial,
  [ReviewState.Rejected]: COLOR.gap,
};

/** Every current evidence file behind the report, with its SHA-256 on a line of its own so it is never broken. */
export function drawEvidenceIndex(doc: Doc, report: GapReportDto): void {
  doc.addPage();
  heading(doc, 'Evidence index', 1);
  paragraph(
    doc,
    `${report.evidence.length} current (not withdrawn) evidence file${report.evidence.length === 1 ? '' : 's'} linked to controls of the frameworks in this report. ` +
      'The SHA-256 identifies the exact bytes reviewed; the evidence package carries the same files and hashes.',
  );
  drawTable<EvidenceIndexEntryDto>(doc, {
    caption: 'Evidence index (continued)',
    empty: 'No evidence is linked to these controls yet.',
    rows: report.evidence,
    detail: (e) => `SHA-256 ${e.sha256}`,
    columns: [
      { header: 'File', value: (e) => (e.title && e.title !== e.fileName ? `${e.fileName}\n${e.title}` : e.fileName), weight: 2.2 },
      { header: 'Uploaded by', value: (e) => e.uploadedBy, weight: 1.1 },
      { header: 'Uploaded', value: (e) => e.uploadedAt.slice(0, 10), width: 54 },
      { header: 'Valid until', value: (e) => e.validUntil ?? '—', width: 54 },
      { header: 'Review', value: (e) => e.reviewState, width: 48, font: 'bold', color: (e) => REVIEW_COLOR[e.reviewState] },
      { header: 'Linked controls', value: (e) => controlRefs(e.controls), weight: 1.8 },
    ],
  });
}
