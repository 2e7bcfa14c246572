import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';

import { GapReportDto, ReportControlDto } from 'src/reports/reports.dto';

const COLUMNS: { key: string; header: string; value: (c: ReportControlDto) => string | number | boolean | null }[] = [
  { key: 'framework', header: 'framework', value: (c) => c.framework },
  { key: 'ref', header: 'ref', value: (c) => c.ref },
  { key: 'title', header: 'title', value: (c) => c.title },
  { key: 'section', header: 'section', value: (c) => c.section },
  { key: 'state', header: 'state', value: (c) => c.state },
  { key: 'status', header: 'status', value: (c) => c.status },
  { key: 'owner', header: 'owner', value: (c) => c.ownerName },
  { key: 'ownerEmail', header: 'owner_email', value: (c) => c.ownerEmail },
  { key: 'dueDate', header: 'due_date', value: (c) => c.dueDate },
  { key: 'daysOverdue', header: 'days_overdue', value: (c) => c.daysOverdue },
  { key: 'applicable', header: 'applicable', value: (c) => c.applicable },
  { key: 'justification', header: 'justification', value: (c) => c.justification },
  { key: 'evidenceCount', header: 'evidence_count', value: (c) => c.evidenceCount },
];

/**
 * One CSV row per control of the report. UTF-8 with a BOM (spreadsheets then read accented names right); cells that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) are prefixed with `'`.
 */
export function renderGapReportCsv(report: GapReportDto): Readable {
  const csv = stringify({
    header: true,
    bom: true,
    escape_formulas: true,
    columns: COLUMNS.map(({ key, header }) => ({ key, header })),
    cast: { boolean: (b) => (b ? 'true' : 'false') },
  });
  for (const f of report.frameworks) {
    for (const c of f.controls) csv.write(Object.fromEntries(COLUMNS.map(({ key, value }) => [key, value(c)])));
  }
  // Footer row: the client's audit chain head when the report was built (position, hash), as on the PDF cover.
  const head = report.auditChainHead;
  csv.write({ framework: '#audit-chain-head', ref: head ? head.position : null, title: head ? head.hash : 'no event recorded' });
  csv.end();
  return csv;
}
