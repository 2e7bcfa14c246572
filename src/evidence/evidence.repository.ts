import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { containsPattern } from 'src/common/errors';
import { isEmbedded } from 'src/database/data-source';
import { EvidenceQueryDto, LinkedControlDto, ReviewState, SuggestionDto } from 'src/evidence/evidence.dto';
import { ACTIVE_CONTROLS } from 'src/readiness/readiness.sql';

export interface EvidenceRow {
  id: string;
  clientId: string;
  title: string;
  description: string | null;
  originalFilename: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploaderName: string | null;
  uploadedAt: Date;
  effectiveDate: string;
  validUntil: string | null;
  reviewState: ReviewState;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  reviewComment: string | null;
  withdrawnAt: Date | null;
  withdrawReason: string | null;
  current: boolean;
}

export type NewEvidence = Pick<
  EvidenceRow,
  'clientId' | 'title' | 'description' | 'originalFilename' | 'mediaType' | 'size' | 'sha256' | 'uploadedBy' | 'effectiveDate' | 'validUntil'
>;

const COLUMNS = (today: string) => `e.id, e.client_id AS "clientId", e.title, e.description, e.original_filename AS "originalFilename",
  e.media_type AS "mediaType", e.size::float8 AS size, e.sha256, e.uploaded_by AS "uploadedBy", u.name AS "uploaderName",
  e.uploaded_at AS "uploadedAt", to_char(e.effective_date, 'YYYY-MM-DD') AS "effectiveDate",
  to_char(e.valid_until, 'YYYY-MM-DD') AS "validUntil", e.review_state AS "reviewState", e.reviewed_by AS "reviewedBy",
  e.reviewed_at AS "reviewedAt", e.review_comment AS "reviewComment", e.withdrawn_at AS "withdrawnAt",
  e.withdraw_reason AS "withdrawReason",
  (e.review_state = 'accepted' AND e.withdrawn_at IS NULL AND (e.valid_until IS NULL OR e.valid_until >= ${today}::date)) AS current`;

@Injectable()
export class EvidenceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(tx: EntityManager, e: NewEvidence): Promise<string> {
    const [row] = await tx.query(
      `INSERT INTO evidence (client_id, title, description, original_filename, media_type, size, sha256, uploaded_by, effective_date, valid_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [e.clientId, e.title, e.description, e.originalFilename, e.mediaType, e.size, e.sha256, e.uploadedBy, e.effectiveDate, e.validUntil],
    );
    return row.id;
  }

  async findPage(clientId: string, q: EvidenceQueryDto, today: string, offset: number, limit: number): Promise<[EvidenceRow[], number]> {
    const params: unknown[] = [clientId, today];
    const add = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = ['e.client_id = $1'];
    if (!q.includeWithdrawn) where.push('e.withdrawn_at IS NULL');
    if (q.controlId) where.push(`EXISTS (SELECT 1 FROM evidence_link el WHERE el.evidence_id = e.id AND el.control_id = ${add(q.controlId)})`);
    if (q.reviewState) where.push(`e.review_state = ${add(q.reviewState)}`);
    if (q.expiringBefore) where.push(`e.valid_until <= ${add(q.expiringBefore)}::date`);
    if (q.uploadedBy) where.push(`e.uploaded_by = ${add(q.uploadedBy)}`);
    if (q.search) {
      const s = add(containsPattern(q.search));
      where.push(`(e.title ILIKE ${s} OR e.description ILIKE ${s} OR e.original_filename ILIKE ${s})`);
    }
    const rows: (EvidenceRow & { total: number })[] = await this.dataSource.query(
      `SELECT ${COLUMNS('$2')}, count(*) OVER ()::int AS total
         FROM evidence e LEFT JOIN app_user u ON u.id = e.uploaded_by
        WHERE ${where.join(' AND ')}
        ORDER BY e.uploaded_at DESC, e.id OFFSET ${add(offset)} LIMIT ${add(limit)}`,
      params,
    );
    return [rows.map(({ total: _t, ...r }) => r), rows[0]?.total ?? 0];
  }

  async findOne(clientId: string, evidenceId: string, today: string, tx?: EntityManager): Promise<EvidenceRow | null> {
    const rows = await (tx ?? this.dataSource.manager).query(
      `SELECT ${COLUMNS('$3')} FROM evidence e LEFT JOIN app_user u ON u.id = e.uploaded_by WHERE e.client_id = $1 AND e.id = $2`,
      [clientId, evidenceId, today],
    );
    return rows[0] ?? null;
  }

  /** Locks the evidence row for a state change. */
  async lock(tx: EntityManager, clientId: string, evidenceId: string): Promise<boolean> {
    const rows = await tx.query(`SELECT id FROM evidence WHERE client_id = $1 AND id = $2 FOR UPDATE`, [clientId, evidenceId]);
    return rows.length > 0;
  }

  /** Links of many evidence records at once, keyed by evidence id. */
  async findLinks(evidenceIds: string[]): Promise<Map<string, LinkedControlDto[]>> {
    const rows: (LinkedControlDto & { evidenceId: string })[] = evidenceIds.length
      ? await this.dataSource.query(
          `SELECT el.evidence_id AS "evidenceId", ctl.id AS "controlId", f.key AS framework, r.ref, r.title
             FROM evidence_link el JOIN control ctl ON ctl.id = el.control_id
             JOIN requirement r ON r.id = ctl.requirement_id JOIN framework f ON f.id = ctl.framework_id
            WHERE el.evidence_id = ANY($1::uuid[]) ORDER BY f.key, r.position`,
          [evidenceIds],
        )
      : [];
    const map = new Map<string, LinkedControlDto[]>(evidenceIds.map((id) => [id, []]));
    for (const { evidenceId, ...link } of rows) map.get(evidenceId)!.push(link);
    return map;
  }

  /** Of the given ids, those that are controls of the client's active enrollments. */
  async findClientControlIds(clientId: string, ids: string[], tx: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(`SELECT ctl.id FROM ${ACTIVE_CONTROLS} WHERE ctl.client_id = $1 AND ctl.id = ANY($2::uuid[])`, [
      clientId,
      ids,
    ]);
    return rows.map((r) => r.id);
  }

  /** Adds links; returns the control ids that were not linked before. */
  async insertLinks(tx: EntityManager, evidenceId: string, controlIds: string[], userId: string): Promise<string[]> {
    if (controlIds.length === 0) return [];
    const rows: { control_id: string }[] = await tx.query(
      `INSERT INTO evidence_link (evidence_id, control_id, linked_by) SELECT $1, unnest($2::uuid[]), $3
       ON CONFLICT DO NOTHING RETURNING control_id`,
      [evidenceId, controlIds, userId],
    );
    return rows.map((r) => r.control_id);
  }

  /** Removes links; returns the control ids that were linked. */
  async deleteLinks(tx: EntityManager, evidenceId: string, controlIds: string[]): Promise<string[]> {
    if (controlIds.length === 0) return [];
    // TypeORM answers a DELETE with [rows, affected count].
    const [rows] = (await tx.query(`DELETE FROM evidence_link WHERE evidence_id = $1 AND control_id = ANY($2::uuid[]) RETURNING control_id`, [
      evidenceId,
      controlIds,
    ])) as [{ control_id: string }[], number];
    return rows.map((r) => r.control_id);
  }

  /** The control ids the evidence is linked to, sorted (what audit events record as before/after). */
  async findLinkedControlIds(tx: EntityManager, evidenceId: string): Promise<string[]> {
    const rows: { control_id: string }[] = await tx.query(`SELECT control_id FROM evidence_link WHERE evidence_id = $1 ORDER BY control_id`, [evidenceId]);
    return rows.map((r) => r.control_id);
  }

  async setReview(tx: EntityManager, evidenceId: string, state: ReviewState, userId: string, comment: string | null): Promise<void> {
    await tx.query(`UPDATE evidence SET review_state = $2, reviewed_by = $3, reviewed_at = now(), review_comment = $4 WHERE id = $1`, [
      evidenceId,
      state,
      userId,
      comment,
    ]);
  }

  /** Marks the evidence withdrawn; returns when. */
  async setWithdrawn(tx: EntityManager, evidenceId: string, userId: string, reason: string): Promise<Date> {
    const [rows] = (await tx.query(`UPDATE evidence SET withdrawn_at = now(), withdrawn_by = $2, withdraw_reason = $3 WHERE id = $1 RETURNING withdrawn_at`, [
      evidenceId,
      userId,
      reason,
    ])) as [{ withdrawn_at: Date }[], number];
    return rows[0].withdrawn_at;
  }

  /**
   * For the controls linked to this evidence: mapped controls in the client's enrolled frameworks (other than the
   * linked control's own) that the evidence is not linked to yet.
   */
  findSuggestions(clientId: string, evidenceId: string): Promise<SuggestionDto[]> {
    return this.dataSource.query(
      `WITH linked AS (
         SELECT ctl.id, ctl.requirement_id, ctl.framework_id, r.ref FROM evidence_link el
           JOIN control ctl ON ctl.id = el.control_id JOIN requirement r ON r.id = ctl.requirement_id
          WHERE el.evidence_id = $2),
       mapped AS (
         SELECT l.ref AS via_ref, m.to_requirement_id AS other, m.strength, m.rationale, l.framework_id
           FROM linked l JOIN requirement_mapping m ON m.from_requirement_id = l.requirement_id
         UNION ALL
         SELECT l.ref, m.from_requirement_id, m.strength, m.rationale, l.framework_id
           FROM linked l JOIN requirement_mapping m ON m.to_requirement_id = l.requirement_id)
       SELECT DISTINCT ON (ctl.id) ctl.id AS "controlId", f.key AS framework, r.ref, r.title, mp.via_ref AS "viaRef", mp.strength, mp.rationale
         FROM mapped mp
         JOIN ${ACTIVE_CONTROLS} ON ctl.requirement_id = mp.other AND ctl.client_id = $1
        WHERE ctl.framework_id <> mp.framework_id
          AND NOT EXISTS (SELECT 1 FROM evidence_link el WHERE el.evidence_id = $2 AND el.control_id = ctl.id)
        ORDER BY ctl.id, (mp.strength = 'equivalent') DESC`,
      [clientId, evidenceId],
    );
  }

  /** Every distinct stored hash that a record references, with one of its sizes. */
  findReferencedHashes(tx?: EntityManager): Promise<{ sha256: string; size: number }[]> {
    return (tx ?? this.dataSource).query(`SELECT sha256, min(size)::float8 AS size FROM evidence GROUP BY sha256`);
  }

  /** Runs `fn` only if no other instance holds the lock (scheduled and maintenance work runs once). */
  async withTryLock<T>(lockId: number, fn: () => Promise<T>): Promise<T | null> {
    // The embedded database serves one process over one connection: there is no other instance to exclude.
    if (isEmbedded(this.dataSource.options)) return fn();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [lockId]);
      if (!locked) return null;
      try {
        return await fn();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [lockId]);
      }
    } finally {
      await runner.release();
    }
  }
}
