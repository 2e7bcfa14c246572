import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { asStored, ChainContent, extendChain, sameContent } from 'src/audit/audit-chain';
import { AUDIT_HMAC_KEY } from 'src/audit/audit-key';
import { AuditEventQueryDto, toAuditEventResponse } from 'src/audit/audit.dto';
import { AuditRepository, ChainedAuditEvent, NewAuditEvent } from 'src/audit/audit.repository';
import { pageOf } from 'src/common/pagination.dto';

@Injectable()
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    @Inject(AUDIT_HMAC_KEY) private readonly key: string,
  ) {}

  /**
   * Records events inside the caller's transaction, so that a change and its history commit or roll back together.
   * Callers pass the EntityManager of their `dataSource.transaction(...)`. Each event extends its chain (its
   * client's, or the instance's) under that chain's lock, held until the transaction ends. An event whose before and
   * after say the same thing records a change that changed nothing and is dropped.
   */
  async record(tx: EntityManager, ...events: NewAuditEvent[]): Promise<void> {
    const at = new Date().toISOString();
    const contents: ChainContent[] = events
      .filter((e) => !(e.before != null && e.after != null && sameContent(e.before, e.after)))
      .map((e) => ({
        at,
        actorUserId: e.actorUserId,
        clientId: e.clientId,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        before: asStored(e.before),
        after: asStored(e.after),
      }));
    if (contents.length === 0) return;
    // One lock order for every writer (instance chain first, then clients by id), so two transactions never wait
    // on each other's chains in opposite orders.
    const chains = [...new Set(contents.map((c) => c.clientId))].sort((a, b) => (a === null ? -1 : b === null ? 1 : a.localeCompare(b)));
    const chained: ChainedAuditEvent[] = [];
    for (const clientId of chains) {
      await this.repo.lockChain(tx, clientId);
      let head = await this.repo.findChainHead(clientId, tx);
      for (const content of contents.filter((c) => c.clientId === clientId)) {
        const fields = extendChain(this.key, content, head);
        chained.push({ ...content, ...fields });
        head = { seq: fields.seq, hash: fields.hash };
      }
    }
    await this.repo.insertMany(tx, chained);
  }

  /** Position and hash of the client's chain head (what reports print, so a later rewrite shows). */
  async chainHead(clientId: string | null, tx?: EntityManager): Promise<{ position: number; hash: string } | null> {
    const head = await this.repo.findChainHead(clientId, tx);
    return head ? { position: head.seq, hash: head.hash } : null;
  }

  async list(clientId: string | null | undefined, q: AuditEventQueryDto) {
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
