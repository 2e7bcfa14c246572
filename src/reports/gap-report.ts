import { ReadinessState } from 'src/controls/controls.dto';
import { ReviewState } from 'src/evidence/evidence.dto';
import { ClientReadinessDto } from 'src/readiness/readiness.dto';
import { EXPIRING_WITHIN_DAYS } from 'src/readiness/readiness.repository';
import {
  EvidenceIndexEntryDto,
  GapReportDto,
  PreparedByDto,
  ReportControlDto,
  RiskDto,
  RiskKind,
} from 'src/reports/reports.dto';
import { addDays } from 'src/common/dates';

/** How many controls and evidence items the executive summary names by hand. */
export const TOP_RISK_ITEMS = 10;

export interface GapReportInput {
  clientId: string;
  clientName: string;
  preparedBy: PreparedByDto;
  /** From ReadinessService.forClient, already narrowed to the reported frameworks. */
  readiness: ClientReadinessDto;
  /** Every control of the reported frameworks, ordered by framework then catalog position. */
  controls: ReportControlDto[];
  evidence: EvidenceIndexEntryDto[];
  generatedAt: Date;
  /** The head of the client's audit chain when the report was built (null: nothing recorded yet). */
  auditChainHead: { position: number; hash: string } | null;
}

const isOpen = (c: ReportControlDto) => c.state === ReadinessState.Gap || c.state === ReadinessState.Partial;


/**
 * The gap report as plain data. Every number in it is readiness' own (the `frameworks` entries are the readiness
 * DTOs); the lists only name the controls and evidence behind those numbers.
 */
export function buildGapReport(input: GapReportInput): GapReportDto {
  const { readiness, controls, evidence } = input;
  const frameworks = readiness.frameworks.map((f) => ({ ...f, controls: controls.filter((c) => c.framework === f.framework) }));

  const risks: RiskDto[] = readiness.frameworks.flatMap((f) => {
    const lines: [RiskKind, number, string][] = [
      [RiskKind.Overdue, f.overdue, `${f.overdue} applicable control${f.overdue === 1 ? ' is' : 's are'} past the due date and not met`],
      [RiskKind.Unowned, f.unowned, `${f.unowned} applicable control${f.unowned === 1 ? ' has' : 's have'} no owner`],
      [
        RiskKind.ExpiringEvidence,
        f.expiringEvidence,
        `${f.expiringEvidence} accepted evidence item${f.expiringEvidence === 1 ? '' : 's'} expire${f.expiringEvidence === 1 ? 's' : ''} within ${EXPIRING_WITHIN_DAYS} days`,
      ],
    ];
    return lines.filter(([, count]) => count > 0).map(([kind, count, text]) => ({ framework: f.framework, kind, count, text: `${f.name}: ${text}` }));
  });
  risks.sort((a, b) => b.count - a.count);

  const mostOverdue = controls
    .filter((c) => c.daysOverdue !== null)
    .sort((a, b) => b.daysOverdue! - a.daysOverdue!)
    .slice(0, TOP_RISK_ITEMS);

  const horizon = addDays(readiness.asOf, EXPIRING_WITHIN_DAYS);
  const expiringEvidence = evidence
    .filter((e) => e.reviewState === ReviewState.Accepted && e.validUntil !== null && e.validUntil >= readiness.asOf && e.validUntil <= horizon)
    .filter((e) => e.controls.some((c) => c.applicable))
    .sort((a, b) => a.validUntil!.localeCompare(b.validUntil!))
    .slice(0, TOP_RISK_ITEMS);

  // Array.prototype.sort is stable: equal due dates keep the framework-then-catalog order of `controls`.
  const remediation = controls.filter(isOpen).sort((a, b) => (a.dueDate ?? '9999-12-31').localeCompare(b.dueDate ?? '9999-12-31'));

  return {
    clientId: input.clientId,
    clientName: input.clientName,
    asOf: readiness.asOf,
    generatedAt: input.generatedAt.toISOString(),
    preparedBy: input.preparedBy,
    auditChainHead: input.auditChainHead,
    frameworks,
    risks,
    mostOverdue,
    expiringEvidence,
    remediation,
    evidence,
  };
}
