import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { AuditEventEntity } from 'src/audit/audit-event.entity';
import type { ChainContent, ChainedFields } from 'src/audit/audit-chain';

export interface NewAuditEvent {
  actorUserId: string | null;
  clientId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: object | null;
  after?: object | null;
}

/** A chained event ready to insert: what it says and where it sits in its chain. */
export interface ChainedAuditEvent extends ChainContent, ChainedFields {}

/** An event read back for verification. */
export interface StoredChainEvent extends ChainedAuditEvent {
  id: string;
}

export interface ChainSummary {
  clientId: string | null;
  clientName: string | null;
  events: number;
}

/** null: the instance chain (events without a client). */
const NO_CLIENT = `'00000000-0000-0000-0000-000000000000'::uuid`;
/** The chain key, written as the unique index over positions is, so that head look-ups use it. */
const CHAIN = `coalesce(client_id, ${NO_CLIENT})`;
/** Namespace of the per-chain advisory locks (the second key is the hashed chain). */
const CHAIN_LOCK_NS = 727_311_002;

export interface AuditFilter {
  /** undefined: any client; null: instance events only. */
  clientId?: string | null;
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

  /**
   * Takes the chain's lock for the rest of the caller's transaction, so that concurrent writers extend it one after
   * the other and never fork it. Callers lock chains in one order (instance first, then clients by id).
   */
  async lockChain(tx: EntityManager, clientId: string | null): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [CHAIN_LOCK_NS, clientId ?? 'instance']);
  }

  /** The last event of a chain (position and hash); null for a chain not started yet. Call under its lock. */
  async findChainHead(clientId: string | null, tx?: EntityManager): Promise<{ seq: number; hash: string } | null> {
    const rows: { seq: string; hash: string }[] = await (tx ?? this.dataSource.manager).query(
      `SELECT chain_seq AS seq, hash FROM audit_event
        WHERE ${CHAIN} = coalesce($1::uuid, ${NO_CLIENT}) AND chain_seq IS NOT NULL
        ORDER BY chain_seq DESC LIMIT 1`,
      [clientId],
    );
    return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : null;
  }

  /** Inserts several chained events in one statement, inside the caller's transaction. */
  async insertMany(tx: EntityManager, events: ChainedAuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((e) => ({
      at: e.at,
      actor_user_id: e.actorUserId,
      client_id: e.clientId,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      before: e.before,
      after: e.after,
      chain_seq: e.seq,
      prev_hash: e.prevHash,
      hash: e.hash,
      hmac: e.hmac,
    }));
    // One statement however many events (a bulk change may write hundreds).
    await tx.query(
      `INSERT INTO audit_event (at, actor_user_id, client_id, action, entity_type, entity_id, before, after, chain_seq, prev_hash, hash, hmac)
       SELECT at, actor_user_id, client_id, action, entity_type, entity_id, before, after, chain_seq, prev_hash, hash, hmac
         FROM jsonb_to_recordset($1::jsonb)
           AS x(at timestamptz, actor_user_id uuid, client_id uuid, action text, entity_type text, entity_id text, before jsonb,
                after jsonb, chain_seq bigint, prev_hash text, hash text, hmac text)`,
      [JSON.stringify(rows)],
    );
  }

  /** Every chain that has events, with its client's name (null: the instance chain). */
  findChains(): Promise<ChainSummary[]> {
    return this.dataSource.query(
      `SELECT a.client_id AS "clientId", c.name AS "clientName", a.events
         FROM (SELECT client_id, count(*)::int AS events FROM audit_event WHERE chain_seq IS NOT NULL GROUP BY client_id) a
         LEFT JOIN client c ON c.id = a.client_id
        ORDER BY a.client_id NULLS FIRST`,
    );
  }

  /** Events of one chain after a position, in chain order (keyset pages). */
  async findChainEvents(clientId: string | null, afterSeq: number, limit: number): Promise<StoredChainEvent[]> {
    const rows: (Omit<StoredChainEvent, 'seq' | 'at'> & { seq: string; at: Date; id: string })[] = await this.dataSource.query(
      `SELECT id::text AS id, at, actor_user_id AS "actorUserId", client_id AS "clientId", action, entity_type AS "entityType",
              entity_id AS "entityId", before, after, chain_seq AS seq, prev_hash AS "prevHash", hash, hmac
         FROM audit_event
        WHERE ${CHAIN} = coalesce($1::uuid, ${NO_CLIENT}) AND chain_seq > $2
        ORDER BY chain_seq LIMIT $3`,
      [clientId, afterSeq, limit],
    );
    return rows.map((r) => ({ ...r, seq: Number(r.seq), at: r.at.toISOString() }));
  }

  /**
   * Events without a chain: `before` were recorded before chaining began (older than the first chained event);
   * `after` should not exist (the check constraint forbids them) and are reported as breaks.
   */
  async findUnchained(): Promise<{ before: number; after: { id: string; clientId: string | null }[] }> {
    const [{ before }] = await this.dataSource.query(
      `SELECT count(*)::int AS before FROM audit_event
        WHERE chain_seq IS NULL AND id < coalesce((SELECT min(id) FROM audit_event WHERE chain_seq IS NOT NULL), 'Infinity'::numeric)`,
    );
    const after: { id: string; clientId: string | null }[] = await this.dataSource.query(
      `SELECT id::text AS id, client_id AS "clientId" FROM audit_event
        WHERE chain_seq IS NULL AND id > (SELECT min(id) FROM audit_event WHERE chain_seq IS NOT NULL)
        ORDER BY id LIMIT 1000`,
    );
    return { before, after };
  }

  /** Newest first; `total` counts the whole filtered set. */
  async findPage(f: AuditFilter, offset: number, limit: number): Promise<[AuditEventRow[], number]> {
    const qb = this.dataSource
      .createQueryBuilder(AuditEventEntity, 'e')
      .leftJoin('app_user', 'u', 'u.id = e.actor_user_id')
      .addSelect('u.email', 'actor_email')
      .where('true');
    if (f.clientId === null) qb.andWhere('e.client_id IS NULL');
    else if (f.clientId !== undefined) qb.andWhere('e.client_id = :clientId', { clientId: f.clientId });
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
