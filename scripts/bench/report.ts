export interface Figure {
  /** What was measured, e.g. "control matrix p99". */
  name: string;
  value: number | null;
  unit: string;
  /** SPEC 8 target, e.g. "< 50 ms"; null when the figure is informative only. */
  target: string | null;
  /** null: no target, or not measured. */
  pass: boolean | null;
  note?: string;
}

export const figure = (name: string, value: number | null, unit: string, limit?: { below: number; label?: string }, note?: string): Figure => ({
  name,
  value,
  unit,
  target: limit ? (limit.label ?? `< ${limit.below} ${unit}`) : null,
  pass: limit && value !== null ? value < limit.below : null,
  ...(note ? { note } : {}),
});

export const skipped = (name: string, target: string, note: string): Figure => ({ name, value: null, unit: '', target, pass: null, note });

/** A fixed-width table: figure, value, target, verdict, note. */
export function formatTable(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.name,
    f.value === null ? '-' : `${f.value} ${f.unit}`.trim(),
    f.target ?? '',
    f.pass === null ? (f.target && f.value === null ? 'SKIP' : '') : f.pass ? 'ok' : 'MISSED',
    f.note ?? '',
  ]);
  const head = ['figure', 'value', 'SPEC 8 target', 'verdict', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
