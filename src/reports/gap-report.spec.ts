import { ControlStatus, ReadinessState } from 'src/controls/controls.dto';
import { ReviewState } from 'src/evidence/evidence.dto';
import { FrameworkReadinessDto } from 'src/readiness/readiness.dto';
import { buildGapReport, GapReportInput } from 'src/reports/gap-report';
import { EvidenceIndexEntryDto, ReportControlDto, RiskKind } from 'src/reports/reports.dto';

const framework = (key: string, o: Partial<FrameworkReadinessDto> = {}): FrameworkReadinessDto => ({
  framework: key,
  name: `${key} name`,
  version: '1',
  score: 50,
  applicable: 4,
  met: 1,
  partial: 2,
  gap: 1,
  notApplicable: 1,
  overdue: 0,
  unowned: 0,
  expiringEvidence: 0,
  sections: [],
  ...o,
});

const control = (framework: string, ref: string, o: Partial<ReportControlDto> = {}): ReportControlDto => ({
  framework,
  ref,
  title: `Title ${ref}`,
  section: ref.split('.')[0],
  state: ReadinessState.Gap,
  status: ControlStatus.NotStarted,
  ownerName: null,
  ownerEmail: null,
  dueDate: null,
  daysOverdue: null,
  applicable: true,
  justification: null,
  evidenceCount: 0,
  ...o,
});

const evidence = (id: string, o: Partial<EvidenceIndexEntryDto> = {}): EvidenceIndexEntryDto => ({
  id,
  title: id,
  fileName: `${id}.pdf`,
  mediaType: 'application/pdf',
  size: 10,
  sha256: id.padEnd(64, '0'),
  uploadedBy: 'Ann',
  uploadedAt: '2025-01-01T00:00:00Z',
  effectiveDate: '2025-01-01',
  validUntil: null,
  reviewState: ReviewState.Accepted,
  controls: [{ framework: 'soc2', ref: 'CC1.1', applicable: true }],
  ...o,
});

const input = (o: Partial<GapReportInput>): GapReportInput => ({
  clientId: 'c',
  clientName: 'Client',
  preparedBy: { name: 'Ann', email: 'ann@example.com' },
  readiness: { clientId: 'c', asOf: '2025-06-01', frameworks: [framework('hipaa'), framework('soc2')] },
  controls: [],
  evidence: [],
  generatedAt: new Date('2025-06-01T10:00:00Z'),
  auditChainHead: { position: 7, hash: 'a'.repeat(64) },
  ...o,
});

describe('buildGapReport', () => {
  it("keeps readiness' numbers as they are and gives each framework its own controls", () => {
    const frameworks = [framework('hipaa', { score: 12.5, sections: [{ ref: 'S', title: 'T', ...framework('x') }] }), framework('soc2', { score: null })];
    const controls = [control('hipaa', '1'), control('soc2', 'CC1.1'), control('soc2', 'CC1.2')];
    const report = buildGapReport(input({ readiness: { clientId: 'c', asOf: '2025-06-01', frameworks }, controls }));
    expect(report.frameworks.map(({ controls: _c, ...rest }) => rest)).toEqual(frameworks);
    expect(report.frameworks.map((f) => f.controls.map((c) => c.ref))).toEqual([['1'], ['CC1.1', 'CC1.2']]);
    expect(report).toMatchObject({ asOf: '2025-06-01', generatedAt: '2025-06-01T10:00:00.000Z', clientName: 'Client' });
  });

  it.each([
    [{ overdue: 0, unowned: 0, expiringEvidence: 0 }, []],
    [{ overdue: 1, unowned: 0, expiringEvidence: 0 }, [[RiskKind.Overdue, 1, 'soc2 name: 1 applicable control is past the due date and not met']]],
    [
      { overdue: 2, unowned: 5, expiringEvidence: 1 },
      [
        [RiskKind.Unowned, 5, 'soc2 name: 5 applicable controls have no owner'],
        [RiskKind.Overdue, 2, 'soc2 name: 2 applicable controls are past the due date and not met'],
        [RiskKind.ExpiringEvidence, 1, 'soc2 name: 1 accepted evidence item expires within 30 days'],
      ],
    ],
  ])('states the risks readiness counts (%o), largest first', (counts, expected) => {
    const report = buildGapReport(input({ readiness: { clientId: 'c', asOf: '2025-06-01', frameworks: [framework('soc2', counts)] } }));
    expect(report.risks.map((r) => [r.kind, r.count, r.text])).toEqual(expected);
  });

  it('orders open items by due date (undated last), keeping catalog order among equals; met and scoped-out controls are not open', () => {
    const controls = [
      control('hipaa', 'h1'),
      control('hipaa', 'h2', { dueDate: '2025-07-01', state: ReadinessState.Partial }),
      control('hipaa', 'h3', { dueDate: '2025-05-01', state: ReadinessState.Met }),
      control('soc2', 's1', { dueDate: '2025-07-01' }),
      control('soc2', 's2', { dueDate: '2025-03-01', daysOverdue: 92 }),
      control('soc2', 's3', { applicable: false, state: ReadinessState.NotApplicable, justification: 'n/a' }),
      control('soc2', 's4'),
    ];
    const report = buildGapReport(input({ controls }));
    expect(report.remediation.map((c) => c.ref)).toEqual(['s2', 'h2', 's1', 'h1', 's4']);
    expect(report.mostOverdue.map((c) => c.ref)).toEqual(['s2']);
  });

  it('names at most ten most overdue controls, most overdue first', () => {
    const controls = Array.from({ length: 15 }, (_, i) => control('soc2', `r${i}`, { daysOverdue: i + 1, dueDate: '2025-01-01' }));
    expect(buildGapReport(input({ controls })).mostOverdue.map((c) => c.daysOverdue)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
  });

  it('lists as expiring only accepted evidence of an applicable control whose validity ends within 30 days', () => {
    const items = [
      evidence('a', { validUntil: '2025-06-01' }),
      evidence('b', { validUntil: '2025-07-01' }),
      evidence('c', { validUntil: '2025-07-02' }),
      evidence('d', { validUntil: '2025-05-31' }),
      evidence('e', { validUntil: '2025-06-10', reviewState: ReviewState.Pending }),
      evidence('f', { validUntil: '2025-06-10', controls: [{ framework: 'soc2', ref: 'CC1.1', applicable: false }] }),
      evidence('g', { validUntil: null }),
      evidence('h', { validUntil: '2025-06-05' }),
    ];
    expect(buildGapReport(input({ evidence: items })).expiringEvidence.map((e) => e.id)).toEqual(['a', 'h', 'b']);
  });
});
