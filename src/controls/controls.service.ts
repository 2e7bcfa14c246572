import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AuditService } from 'src/audit/audit.service';
import { AccessService } from 'src/auth/access.service';
import { AuthContext } from 'src/auth/auth-context';
import { Permission, Role } from 'src/auth/permission';
import { pageOf } from 'src/common/pagination.dto';
import { applyControlChanges, diffControl } from 'src/controls/control-changes';
import { BulkControlsDto, ControlsQueryDto, UpdateControlDto } from 'src/controls/controls.dto';
import { ControlsRepository } from 'src/controls/controls.repository';
import { ReadinessService } from 'src/readiness/readiness.service';

@Injectable()
export class ControlsService {
  constructor(
    private readonly repo: ControlsRepository,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly readiness: ReadinessService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async list(clientId: string, q: ControlsQueryDto) {
    const { page, pageSize, offset } = pageOf(q);
    const [items, total] = await this.repo.findPage(clientId, q, this.readiness.today(), offset, pageSize);
    return { items, total, page, pageSize };
  }

  async get(clientId: string, controlId: string) {
    const today = this.readiness.today();
    const control = await this.repo.findDetail(clientId, controlId, today);
    if (!control) throw new NotFoundException('Control not found');
    const [mappings, evidence, history] = await Promise.all([
      this.repo.findMapped(clientId, control.requirementId, today),
      this.repo.findLinkedEvidence(controlId),
      this.audit.list(clientId, { entityType: 'control', entityId: controlId, pageSize: 100 }),
    ]);
    const { requirementId: _r, ...rest } = control;
    return { ...rest, mappings, evidence, history: history.items };
  }

  async update(auth: AuthContext, clientId: string, controlId: string, dto: UpdateControlDto) {
    if (dto.ownerId) await this.requireAssignable(clientId, dto.ownerId);
    await this.dataSource.transaction(async (tx) => {
      const [current] = await this.repo.findStatesForUpdate(tx, clientId, [controlId]);
      if (!current) throw new NotFoundException('Control not found');
      const next = applyControlChanges(current, dto, { userId: auth.userId, restricted: !auth.can(Permission.ControlWrite) });
      const diff = diffControl(current, next);
      if (!diff) return;
      await this.repo.updateStates(tx, [next]);
      await this.audit.record(tx, { actorUserId: auth.userId, clientId, action: 'control.update', entityType: 'control', entityId: controlId, ...diff });
    });
    return this.get(clientId, controlId);
  }

  /** Applies one change to many controls, all or nothing; each changed control gets its own audit event. */
  async bulk(auth: AuthContext, clientId: string, dto: BulkControlsDto) {
    if ((dto.ids === undefined) === (dto.filter === undefined)) throw new BadRequestException('Give either ids or filter');
    if (Object.values(dto.set).every((v) => v === undefined)) throw new BadRequestException('set names nothing to change');
    if (dto.set.ownerId) await this.requireAssignable(clientId, dto.set.ownerId);
    const ids = dto.ids ? [...new Set(dto.ids)] : await this.repo.findIdsByFilter(clientId, dto.filter!, this.readiness.today());
    return this.dataSource.transaction(async (tx) => {
      const states = await this.repo.findStatesForUpdate(tx, clientId, ids);
      if (states.length !== ids.length) throw new NotFoundException(`${ids.length - states.length} of the controls were not found in this client`);
      const changes = states.map((s) => ({ next: applyControlChanges(s, dto.set, { userId: auth.userId, restricted: false }), diff: null as ReturnType<typeof diffControl> }));
      for (const [i, c] of changes.entries()) c.diff = diffControl(states[i], c.next);
      const changed = changes.filter((c) => c.diff);
      await this.repo.updateStates(tx, changed.map((c) => c.next));
      await this.audit.record(
        tx,
        ...changed.map((c) => ({ actorUserId: auth.userId, clientId, action: 'control.bulk_update', entityType: 'control', entityId: c.next.id, ...c.diff! })),
      );
      return { matched: states.length, changed: changed.length };
    });
  }

  /** Owners are people who work on the client: its consultants and members (not auditors, not outsiders). */
  private async requireAssignable(clientId: string, userId: string): Promise<void> {
    const role = await this.access.roleOf(clientId, userId);
    if (role !== Role.Consultant && role !== Role.Member) {
      throw new BadRequestException('ownerId must be a consultant or member of this client');
    }
  }
}
