import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { AuditEventQueryDto, toAuditEventResponse } from 'src/audit/audit.dto';
import { AuditRepository, NewAuditEvent } from 'src/audit/audit.repository';
import { pageOf } from 'src/common/pagination.dto';

@Injectable()
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  /**
   * Records events inside the caller's transaction, so that a change and its history commit or roll back together.
   * Callers pass the EntityManager of their `dataSource.transaction(...)`.
   */
  record(tx: EntityManager, ...events: NewAuditEvent[]): Promise<void> {
    return this.repo.insertMany(tx, events);
  }

  async list(clientId: string, q: AuditEventQueryDto) {
    const { page, pageSize, offset } = pageOf(q);
    const [rows, total] = await this.repo.findPage(
      {
        clientId,
        entityType: q.entityType,
        entityId: q.entityId,
        actorUserId: q.actorId,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      },
      offset,
      pageSize,
    );
    return { items: rows.map(toAuditEventResponse), total, page, pageSize };
  }
}
