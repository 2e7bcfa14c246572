import { formatDate } from 'src/admin/http/view-filters';

interface AuditEvent {
  at: Date;
  actorEmail: string | null;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const ACTIONS: Record<string, string> = {
  'control.update': 'changed',
  'control.bulk_update': 'changed (bulk)',
};

const FIELDS: Record<string, string> = {
  status: 'Status',
  ownerId: 'Owner',
  dueDate: 'Due date',
  notes: 'Notes',
  applicable: 'Applicability',
  justification: 'Justification',
};

const STATUS: Record<string, string> = { not_started: 'Not started', in_progress: 'In progress', implemented: 'Implemented' };

/** A control's audit events in words: who changed what from what to what (owners by name, not id). */
export function describeHistory(events: AuditEvent[], people: { userId: string; name: string; email: string }[]) {
  const names = new Map(people.map((p) => [p.userId, p.name || p.email]));
  const show = (key: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (key === 'ownerId') return names.get(String(v)) ?? 'a former member';
    if (key === 'status') return STATUS[String(v)] ?? String(v);
    if (key === 'applicable') return v ? 'Applicable' : 'Not applicable';
    if (key === 'dueDate') return formatDate(v);
    return String(v);
  };
  return events.map((e) => {
    const keys = [...new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})])];
    return {
      at: e.at,
      actor: e.actorEmail ?? 'system',
      action: ACTIONS[e.action] ?? e.action,
      changes: keys.map((k) => ({ field: FIELDS[k] ?? k, from: show(k, e.before?.[k]), to: show(k, e.after?.[k]) })),
    };
  });
}
