import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { AuditEventEntity } from 'src/audit/audit-event.entity';

export interface NewAuditEvent {
  actorUserId: string | null;
  clientId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: object | null;
  after?: object | null;
}

export interface AuditFilter {
  clientId: string;
  entityType?: string;
  entityId?: string;
  actorUserId?: string;
  from?: Date;
  to?: Date;
}

export interface AuditEventRow extends AuditEventEntity {
  actorEmail: string | null;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts several events in one statement, inside the caller's transaction. */
  async insertMany(tx: EntityManager, events: NewAuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((e) => ({
      actor_user_id: e.actorUserId,
      client_id: e.clientId,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      before: e.before ?? null,
      after: e.after ?? null,
    }));
    // One statement however many events (a bulk change may write hundreds).
    await tx.query(
      `INSERT INTO audit_event (actor_user_id, client_id, action, entity_type, entity_id, before, after)
       SELECT actor_user_id, client_id, action, entity_type, entity_id, before, after
         FROM jsonb_to_recordset($1::jsonb)
           AS x(actor_user_id uuid, client_id uuid, action text, entity_type text, entity_id text, before jsonb, after jsonb)`,
      [JSON.stringify(rows)],
    );
  }

  /** Newest first; `total` counts the whole filtered set. */
  async findPage(f: AuditFilter, offset: number, limit: number): Promise<[AuditEventRow[], number]> {
    const qb = this.dataSource
      .createQueryBuilder(AuditEventEntity, 'e')
      .leftJoin('app_user', 'u', 'u.id = e.actor_user_id')
      .addSelect('u.email', 'actor_email')
      .where('e.client_id = :clientId', { clientId: f.clientId });
    if (f.entityType) qb.andWhere('e.entity_type = :entityType', { entityType: f.entityType });
    if (f.entityId) qb.andWhere('e.entity_id = :entityId', { entityId: f.entityId });
    if (f.actorUserId) qb.andWhere('e.actor_user_id = :actor', { actor: f.actorUserId });
    if (f.from) qb.andWhere('e.at >= :from', { from: f.from });
    if (f.to) qb.andWhere('e.at < :to', { to: f.to });
    const total = await qb.getCount();
    const { entities, raw } = await qb.orderBy('e.at', 'DESC').addOrderBy('e.id', 'DESC').offset(offset).limit(limit).getRawAndEntities();
    const rows = entities.map((e, i) => Object.assign(e, { actorEmail: (raw[i] as { actor_email: string | null }).actor_email }));
    return [rows, total];
  }
}
