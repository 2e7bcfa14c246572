import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** Namespace of the per-object advisory locks (two-key form, so it cannot meet the single-key locks elsewhere). */
const OBJECT_LOCK_SPACE = 727_311_005;

/**
 * Who may rely on a stored object, as the database sees it: the evidence records that name its hash and the
 * uploads that announced it (evidence_upload_pending). Every decision about an object's life is taken under a
 * transaction-scoped advisory lock on its hash, so "is it used?" and "remove it" / "rely on it" never interleave.
 */
@Injectable()
export class EvidenceObjectsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(fn: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /**
   * Waits for, then holds until the end of `tx`, the lock on one hash. Keyed on the hash's first 32 bits: two hashes
   * that share them only wait for each other. Must be its own statement: under READ COMMITTED the statements after
   * it then see everything committed by the transaction that held the lock before.
   */
  async lockHash(tx: EntityManager, sha256: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock($1, ('x' || substr($2, 1, 8))::bit(32)::int)`, [OBJECT_LOCK_SPACE, sha256]);
  }

  /**
   * For a transaction that waits on the object store while holding a hash lock: the session must not be ended for
   * idling meanwhile, or the lock would be released while the store call is still under way.
   */
  async keepAliveWhileWaiting(tx: EntityManager): Promise<void> {
    await tx.query(`SET LOCAL idle_in_transaction_session_timeout = 0`);
  }

  /** Announces an upload of `sha256` (call with the hash locked); returns the announcement's id. */
  async insertPending(tx: EntityManager, sha256: string): Promise<string> {
    const [row] = await tx.query(`INSERT INTO evidence_upload_pending (sha256) VALUES ($1) RETURNING id`, [sha256]);
    return row.id;
  }

  /** Withdraws an announcement; false if it was gone already (expired and removed by a sweep). */
  async deletePending(id: string, tx?: EntityManager): Promise<boolean> {
    // Wrapped in a SELECT: for a bare DELETE, TypeORM's query() answers [rows, rowCount], not the rows.
    const [{ n }] = await (tx ?? this.dataSource.manager).query(
      `WITH d AS (DELETE FROM evidence_upload_pending WHERE id = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`,
      [id],
    );
    return n > 0;
  }

  /** Whether a record, or an announcement younger than `pendingTtlMs`, names the hash. */
  async isInUse(tx: EntityManager, sha256: string, pendingTtlMs: number): Promise<boolean> {
    const [{ used }] = await tx.query(
      `SELECT EXISTS (SELECT 1 FROM evidence WHERE sha256 = $1)
           OR EXISTS (SELECT 1 FROM evidence_upload_pending WHERE sha256 = $1 AND started_at > now() - $2 * interval '1 millisecond') AS used`,
      [sha256, pendingTtlMs],
    );
    return used;
  }

  /**
   * Forgets every announcement of a hash whose object is being removed (call with the hash locked; all of them are
   * stale, or the object would be in use). An upload that announced it then finds its announcement gone at commit
   * and knows its bytes may have been removed.
   */
  async deletePendingFor(tx: EntityManager, sha256: string): Promise<void> {
    await tx.query(`DELETE FROM evidence_upload_pending WHERE sha256 = $1`, [sha256]);
  }

  /** Forgets announcements older than `pendingTtlMs` (uploads that crashed); returns how many. */
  async deleteStalePending(pendingTtlMs: number): Promise<number> {
    const [{ n }] = await this.dataSource.query(
      `WITH d AS (DELETE FROM evidence_upload_pending WHERE started_at <= now() - $1 * interval '1 millisecond' RETURNING 1)
       SELECT count(*)::int AS n FROM d`,
      [pendingTtlMs],
    );
    return n;
  }
}
