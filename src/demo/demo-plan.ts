import { type FrameworkKey } from 'src/catalogs/catalog-files';
import { ControlStatus } from 'src/controls/controls.dto';
import { ReviewState } from 'src/evidence/evidence.dto';

/** The sample client of `npm run demo`: a small health-tech company preparing for SOC 2 and HIPAA. */
export const DEMO_CLIENT = {
  name: 'Northwind Health (demo)',
  description: 'Sample client added by npm run demo: a 40-person telehealth company preparing for SOC 2 Type II and HIPAA.',
  frameworks: ['soc2', 'hipaa'] as FrameworkKey[],
};

/** Who works on the client besides its consultant (the first admin). */
export const DEMO_MEMBERS = [
  { key: 'priya', email: 'priya.natarajan@northwind-health.example', name: 'Priya Natarajan' },
  { key: 'marcus', email: 'marcus.webb@northwind-health.example', name: 'Marcus Webb' },
] as const;

export type DemoPerson = 'consultant' | (typeof DEMO_MEMBERS)[number]['key'];

/** What the demo sets on one control; days are relative to today (negative: past, so overdue unless met). */
export interface ControlPlan {
  owner: DemoPerson | null;
  status: ControlStatus;
  dueInDays: number | null;
}

const { Implemented, InProgress, NotStarted } = ControlStatus;

const SOC2_STATUS: Record<string, ControlStatus> = {
  'CC1.1': Implemented,
  'CC2.1': Implemented,
  'CC6.1': Implemented,
  'CC6.2': Implemented,
  'CC6.3': Implemented,
  'CC6.6': Implemented,
  'CC7.1': Implemented,
  'CC8.1': Implemented,
  'CC3.1': InProgress,
  'CC3.2': InProgress,
  'CC6.7': InProgress,
  'CC6.8': InProgress,
  'CC7.2': InProgress,
  'CC7.3': InProgress,
  'A1.2': InProgress,
};

const HIPAA_STATUS: Record<string, ControlStatus> = {
  '164.308(a)(1)(ii)(A)': Implemented,
  '164.308(a)(2)': Implemented,
  '164.308(a)(5)(i)': Implemented,
  '164.312(a)(2)(i)': Implemented,
  '164.312(d)': Implemented,
  '164.312(e)(2)(ii)': Implemented,
  '164.308(a)(1)(ii)(B)': InProgress,
  '164.308(a)(7)(ii)(A)': InProgress,
  '164.312(b)': InProgress,
  '164.310(d)(1)': InProgress,
};

/** First matching rule wins. */
const SOC2_RULES: [RegExp, DemoPerson | null, number | null][] = [
  [/^CC[12]\./, 'consultant', 90],
  [/^CC[34]\./, 'consultant', -14],
  [/^CC5\./, 'consultant', 21],
  [/^CC6\./, 'priya', 14],
  [/^CC7\./, 'priya', -5],
  [/^CC8\./, 'priya', 30],
  [/^CC9\./, 'marcus', 30],
  [/^A1\./, 'marcus', 60],
  [/^C1\./, 'marcus', 45],
];

const HIPAA_RULES: [RegExp, DemoPerson | null, number | null][] = [
  [/^164\.308\(a\)\([12]\)/, 'consultant', -10],
  [/^164\.308/, 'marcus', 21],
  [/^164\.310/, 'marcus', 45],
  [/^164\.312/, 'priya', 30],
  [/^164\.31[46]/, 'consultant', 60],
];

/** Owner, status and due date of a control of the demo client, by framework and ref. */
export function controlPlan(framework: string, ref: string): ControlPlan {
  const [rules, statuses] = framework === 'soc2' ? [SOC2_RULES, SOC2_STATUS] : [HIPAA_RULES, HIPAA_STATUS];
  const rule = rules.find(([re]) => re.test(ref));
  return { owner: rule?.[1] ?? null, status: statuses[ref] ?? NotStarted, dueInDays: rule?.[2] ?? null };
}

/** Scoped out: the SOC 2 privacy series (not in the examination's scope) and one HIPAA physical safeguard. */
export const NOT_APPLICABLE = [
  {
    framework: 'soc2',
    refs: /^P\d/,
    justification: 'The SOC 2 examination covers Security, Availability and Confidentiality; the Privacy criteria are out of its scope.',
  },
  {
    framework: 'hipaa',
    refs: /^164\.310\(a\)\(2\)\(iv\)$/,
    justification:
      'Northwind runs no facility that houses ePHI systems: production runs in AWS under a signed BAA, and AWS keeps the maintenance records of its data centres (reviewed yearly in its SOC 2 report).',
  },
];

export interface EvidencePlan {
  title: string;
  filename: string;
  contentType: string;
  content: string;
  uploadedBy: DemoPerson;
  links: { framework: FrameworkKey; ref: string }[];
  effectiveInDays: number;
  validForDays: number | null;
  review: ReviewState;
  comment?: string;
}

const soc2 = (...refs: string[]) => refs.map((ref) => ({ framework: 'soc2' as const, ref }));
const hipaa = (...refs: string[]) => refs.map((ref) => ({ framework: 'hipaa' as const, ref }));

export const DEMO_EVIDENCE: EvidencePlan[] = [
  {
    title: 'Quarterly access review (Q3)',
    filename: 'access-review-q3.csv',
    contentType: 'text/csv',
    content: 'system,account,role,reviewer,decision\naws-prod,priya.natarajan,admin,marcus.webb,keep\naws-prod,ci-deploy,deployer,marcus.webb,keep\nokta,former.contractor,user,marcus.webb,remove\n',
    uploadedBy: 'priya',
    links: [...soc2('CC6.2', 'CC6.3'), ...hipaa('164.312(a)(2)(i)')],
    effectiveInDays: -12,
    validForDays: 170,
    review: ReviewState.Accepted,
    comment: 'Complete: every production account reviewed, one removal ticketed and done.',
  },
  {
    title: 'External penetration test summary',
    filename: 'pentest-summary.md',
    contentType: 'text/markdown',
    content: '# External penetration test\n\nScope: patient portal, public API.\nFindings: 0 critical, 1 high (fixed and retested), 3 medium.\n',
    uploadedBy: 'marcus',
    links: [...soc2('CC7.1'), ...hipaa('164.308(a)(1)(ii)(A)')],
    effectiveInDays: -345,
    // Expires within 30 days: the dashboards flag it for renewal.
    validForDays: 20,
    review: ReviewState.Accepted,
  },
  {
    title: 'Identity provider MFA policy export',
    filename: 'idp-mfa-policy.json',
    contentType: 'application/json',
    content: '{"policy":"Require MFA for everyone","factors":["webauthn","totp"],"appliesTo":"all users","exceptions":[]}\n',
    uploadedBy: 'priya',
    links: [...soc2('CC6.1', 'CC6.6'), ...hipaa('164.312(d)', '164.312(e)(2)(ii)')],
    effectiveInDays: -3,
    validForDays: null,
    review: ReviewState.Accepted,
  },
  {
    title: 'Merged pull requests with approvals (last 90 days)',
    filename: 'change-approvals.csv',
    contentType: 'text/csv',
    content: 'pr,author,approver,merged_at\n1412,priya.natarajan,marcus.webb,2025-09-02\n1418,marcus.webb,priya.natarajan,2025-09-05\n',
    uploadedBy: 'priya',
    links: soc2('CC8.1'),
    effectiveInDays: -1,
    validForDays: 90,
    review: ReviewState.Accepted,
  },
  {
    title: 'Security awareness training completions',
    filename: 'training-completions.csv',
    contentType: 'text/csv',
    content: 'employee,course,completed_on\npriya.natarajan,HIPAA basics,2025-08-14\nmarcus.webb,HIPAA basics,2025-08-15\n',
    uploadedBy: 'marcus',
    links: [...soc2('CC2.1'), ...hipaa('164.308(a)(5)(i)')],
    effectiveInDays: -7,
    validForDays: 365,
    review: ReviewState.Pending,
  },
  {
    title: 'Backup restore test log',
    filename: 'restore-test.log',
    contentType: 'text/plain',
    content: '2025-09-10T02:00:01Z restore started: snapshot rds-prod-2025-09-09\n2025-09-10T02:14:40Z restored 41 tables\n',
    uploadedBy: 'marcus',
    links: [...soc2('A1.2'), ...hipaa('164.308(a)(7)(ii)(A)')],
    effectiveInDays: -20,
    validForDays: 180,
    review: ReviewState.Rejected,
    comment: 'The log stops before the restore finished: attach the full run, with the verification step and the restore time.',
  },
];
