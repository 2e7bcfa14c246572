import { FormBody, field } from 'src/admin/http/forms';

/** Matrix filters as the form sends them; `owner` is `unowned` or a user id. */
export interface MatrixFilters {
  framework?: string;
  status?: string;
  state?: string;
  owner?: string;
  overdue?: string;
  section?: string;
  search?: string;
  sort?: string;
  order?: string;
  page?: string;
  pageSize?: string;
}

const FILTER_KEYS = ['framework', 'status', 'state', 'owner', 'overdue', 'section', 'search', 'sort', 'order', 'page', 'pageSize'] as const;

/** The whole client's matrix on one page (419 controls for all three frameworks), the API's largest page. */
export const MATRIX_PAGE_SIZE = '500';

export function matrixFilters(query: FormBody): MatrixFilters {
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, field(query, k)]).filter(([, v]) => v !== undefined));
}

/** The filters in the API's terms (ControlsQueryDto), before validation. */
export function toControlsQuery(f: MatrixFilters): Record<string, string | undefined> {
  const { owner, ...rest } = f;
  return {
    ...rest,
    pageSize: f.pageSize ?? MATRIX_PAGE_SIZE,
    unowned: owner === 'unowned' ? 'true' : undefined,
    ownerId: owner && owner !== 'unowned' ? owner : undefined,
  };
}

/**
 * A control change as the form sends it, in UpdateControlDto's terms. Only the fields present in the form are
 * changed; an emptied owner, due date or notes clears it. A justification is sent only with "not applicable".
 */
export function controlChanges(body: FormBody): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  const has = (k: string) => k in body;
  if (has('status')) changes.status = field(body, 'status');
  if (has('ownerId')) changes.ownerId = field(body, 'ownerId') ?? null;
  if (has('dueDate')) changes.dueDate = field(body, 'dueDate') ?? null;
  if (has('notes')) changes.notes = field(body, 'notes') ?? null;
  if (has('applicable')) {
    const v = field(body, 'applicable');
    changes.applicable = v === 'true' ? true : v === 'false' ? false : v;
    if (changes.applicable === false) changes.justification = field(body, 'justification');
  }
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
}

/** The field a service refusal is about, to show the message beside it. */
export function fieldOfMessage(message: string): string {
  if (/justification|not applicable/i.test(message)) return 'justification';
  if (/owner/i.test(message)) return 'ownerId';
  if (/due ?date/i.test(message)) return 'dueDate';
  return '_form';
}
