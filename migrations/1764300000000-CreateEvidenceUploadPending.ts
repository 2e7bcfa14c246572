import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An upload announces the hash it is about to store before it stores it, and withdraws the announcement in the
 * transaction that commits its evidence record. The sweep never removes an object that a record or a live
 * announcement names (src/evidence/evidence-integrity.service.ts), so bytes that an upload relies on between
 * storing and committing cannot be swept. A crashed upload's row expires; `started_at` says when.
 */
export class CreateEvidenceUploadPending1764300000000 implements MigrationInterface {
  name = 'CreateEvidenceUploadPending1764300000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evidence_upload_pending (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        started_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_evidence_upload_pending__sha256 ON evidence_upload_pending (sha256)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evidence_upload_pending`);
  }
}
