import { BadRequestException, ForbiddenException } from '@nestjs/common';

import { ControlState } from 'src/controls/controls.repository';
import { UpdateControlDto } from 'src/controls/controls.dto';

/** Fields a member may change on a control they own (SPEC 4). */
const OWNER_FIELDS = new Set(['status', 'notes']);

/**
 * The new state of a control after a change, applying the scoping rules: not applicable requires a written
 * justification; applicable again clears it. `restricted` callers (members) may change only status and notes,
 * and only of controls they own. Pure: no I/O, so the rules are tested on their own.
 */
export function applyControlChanges(current: ControlState, dto: UpdateControlDto, caller: { userId: string; restricted: boolean }): ControlState {
  const fields = Object.keys(dto).filter((k) => dto[k as keyof UpdateControlDto] !== undefined);
  if (caller.restricted) {
    const forbidden = fields.filter((f) => !OWNER_FIELDS.has(f));
    if (forbidden.length) throw new ForbiddenException(`Members may change only the status and notes of controls they own (not ${forbidden.join(', ')})`);
    if (current.ownerId !== caller.userId) throw new ForbiddenException('Members may change only controls they own');
  }
  const next: ControlState = { ...current };
  if (dto.status !== undefined) next.status = dto.status;
  if (dto.ownerId !== undefined) next.ownerId = dto.ownerId;
  if (dto.dueDate !== undefined) next.dueDate = dto.dueDate;
  if (dto.notes !== undefined) next.notes = dto.notes;
  if (dto.applicable !== undefined) next.applicable = dto.applicable;

  const justification = dto.justification?.trim();
  if (next.applicable) {
    if (justification) throw new BadRequestException('A justification is only recorded for a control marked not applicable (applicable: false)');
    next.justification = null;
  } else {
    if (justification) next.justification = justification;
    if (!next.justification) {
      throw new BadRequestException('A control marked not applicable needs a justification: say why it does not apply');
    }
  }
  return next;
}

/** The fields that differ, as `before` and `after` objects for the audit trail; null when nothing changed. */
export function diffControl(before: ControlState, after: ControlState): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const keys = (Object.keys(after) as (keyof ControlState)[]).filter((k) => k !== 'id' && before[k] !== after[k]);
  if (keys.length === 0) return null;
  return { before: Object.fromEntries(keys.map((k) => [k, before[k]])), after: Object.fromEntries(keys.map((k) => [k, after[k]])) };
}
