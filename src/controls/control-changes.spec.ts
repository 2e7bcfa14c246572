import { BadRequestException, ForbiddenException } from '@nestjs/common';

import { applyControlChanges, diffControl } from 'src/controls/control-changes';
import { ControlStatus } from 'src/controls/controls.dto';
import { ControlState } from 'src/controls/controls.repository';

const base = (over: Partial<ControlState> = {}): ControlState => ({
  id: 'c1',
  status: ControlStatus.NotStarted,
  ownerId: 'owner',
  dueDate: null,
  notes: null,
  applicable: true,
  justification: null,
  ...over,
});
const consultant = { userId: 'consultant', restricted: false };
const member = { userId: 'owner', restricted: true };

describe('applyControlChanges', () => {
  it('lets a consultant change every field', () => {
    const next = applyControlChanges(base(), { status: ControlStatus.Implemented, ownerId: null, dueDate: '2027-01-31', notes: 'n' }, consultant);
    expect(next).toMatchObject({ status: 'implemented', ownerId: null, dueDate: '2027-01-31', notes: 'n' });
  });

  it.each([
    [{ dueDate: '2027-01-01' }],
    [{ ownerId: 'someone' }],
    [{ applicable: false, justification: 'x' }],
  ])('refuses a member changing %j', (dto) => {
    expect(() => applyControlChanges(base(), dto, member)).toThrow(ForbiddenException);
  });

  it("refuses a member changing a control they do not own, and lets them change their own status and notes", () => {
    expect(() => applyControlChanges(base({ ownerId: 'other' }), { status: ControlStatus.InProgress }, member)).toThrow(ForbiddenException);
    expect(applyControlChanges(base(), { status: ControlStatus.InProgress, notes: 'x' }, member)).toMatchObject({ status: 'in_progress', notes: 'x' });
  });

  it('requires a justification for not applicable, keeps an existing one, and clears it when applicable again', () => {
    expect(() => applyControlChanges(base(), { applicable: false }, consultant)).toThrow(BadRequestException);
    expect(() => applyControlChanges(base(), { applicable: false, justification: '  ' }, consultant)).toThrow(BadRequestException);
    const na = applyControlChanges(base(), { applicable: false, justification: ' No card data ' }, consultant);
    expect(na).toMatchObject({ applicable: false, justification: 'No card data' });
    expect(applyControlChanges(na, { notes: 'still N/A' }, consultant)).toMatchObject({ applicable: false, justification: 'No card data' });
    expect(applyControlChanges(na, { applicable: true }, consultant)).toMatchObject({ applicable: true, justification: null });
    expect(() => applyControlChanges(base(), { justification: 'why' }, consultant)).toThrow(BadRequestException);
  });
});

describe('diffControl', () => {
  it('returns only the changed fields, or null', () => {
    expect(diffControl(base(), base())).toBeNull();
    expect(diffControl(base(), base({ status: ControlStatus.Implemented, notes: 'n' }))).toEqual({
      before: { status: 'not_started', notes: null },
      after: { status: 'implemented', notes: 'n' },
    });
  });
});
