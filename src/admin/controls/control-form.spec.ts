import { controlChanges, fieldOfMessage, matrixFilters, toControlsQuery } from 'src/admin/controls/control-form';

describe('control matrix forms', () => {
  it.each([
    [{ status: 'implemented' }, { status: 'implemented' }],
    [{ ownerId: '', dueDate: '', notes: '' }, { ownerId: null, dueDate: null, notes: null }],
    [{ ownerId: 'u1', dueDate: '2026-01-31' }, { ownerId: 'u1', dueDate: '2026-01-31' }],
    [{ applicable: 'false', justification: '  No card data  ' }, { applicable: false, justification: 'No card data' }],
    [{ applicable: 'false', justification: '' }, { applicable: false }],
    [{ applicable: 'true', justification: 'ignored when applicable' }, { applicable: true }],
    [{ applicable: 'maybe' }, { applicable: 'maybe' }],
    [{ status: '' }, {}],
    [{}, {}],
  ])('maps the form %j to the change %j', (form, change) => {
    expect(controlChanges(form)).toEqual(change);
  });

  it('turns the owner filter into the API terms and drops empty fields', () => {
    expect(toControlsQuery(matrixFilters({ owner: 'unowned', framework: 'soc2', status: '', search: ' cc6 ' }))).toEqual({
      framework: 'soc2',
      search: 'cc6',
      pageSize: '500',
      unowned: 'true',
      ownerId: undefined,
    });
    expect(toControlsQuery({ owner: 'abc', pageSize: '50' })).toMatchObject({ ownerId: 'abc', unowned: undefined, pageSize: '50' });
  });

  it.each([
    ['A control marked not applicable needs a justification: say why it does not apply', 'justification'],
    ['ownerId must be a consultant or member of this client', 'ownerId'],
    ['dueDate must be a date (YYYY-MM-DD)', 'dueDate'],
    ['Members may change only controls they own', '_form'],
    ['Control not found', '_form'],
  ])('shows "%s" beside %s', (message, field) => {
    expect(fieldOfMessage(message)).toBe(field);
  });
});
