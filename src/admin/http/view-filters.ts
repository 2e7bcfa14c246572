import nunjucks from 'nunjucks';

/** What people read instead of enum values. */
const LABELS: Record<string, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  implemented: 'Implemented',
  met: 'Met',
  partial: 'Partial',
  gap: 'Gap',
  not_applicable: 'Not applicable',
  pending: 'Pending review',
  accepted: 'Accepted',
  rejected: 'Rejected',
  consultant: 'Consultant',
  member: 'Member',
  auditor: 'Auditor',
  soc2: 'SOC 2',
  hipaa: 'HIPAA',
  'pci-dss': 'PCI DSS',
  equivalent: 'Equivalent',
  related: 'Related',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** Dates as YYYY-MM-DD, timestamps as YYYY-MM-DD HH:MM (UTC, the day readiness is judged in). */
export function formatDate(value: unknown, withTime = false): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(d.getTime())) return String(value);
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return withTime ? `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC` : day;
}

export function formatBytes(n: unknown): string {
  const v = Number(n);
  if (!Number.isFinite(v)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let x = v;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${i === 0 ? x : x.toFixed(x < 10 ? 1 : 0)} ${units[i]}`;
}

/** A query string from `params` with `overrides` applied; empty values are left out. */
export function queryString(params: Record<string, unknown>, overrides: Record<string, unknown> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...overrides })) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Shares of met / partial / gap out of the applicable controls, as percentages for the readiness bars. */
export function readinessShares(r: { applicable: number; met: number; partial: number; gap: number }) {
  if (!r || !r.applicable) return { met: 0, partial: 0, gap: 0 };
  const f = (n: number) => Math.round((n / r.applicable) * 1000) / 10;
  return { met: f(r.met), partial: f(r.partial), gap: f(r.gap) };
}

export function registerFilters(env: nunjucks.Environment): void {
  env.addFilter('label', (v: unknown) => (typeof v === 'string' ? (LABELS[v] ?? v) : ''));
  env.addFilter('date', (v: unknown) => formatDate(v));
  env.addFilter('datetime', (v: unknown) => formatDate(v, true));
  env.addFilter('bytes', formatBytes);
  env.addFilter('pct', (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '–'));
  env.addFilter('qs', queryString);
  env.addFilter('shares', readinessShares);
  env.addFilter('short', (v: unknown) => (typeof v === 'string' ? v.slice(0, 12) : ''));
  env.addFilter('iso', (v: unknown) => (v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : ''));
}
