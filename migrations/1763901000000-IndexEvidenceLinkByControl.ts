import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Readiness decides "met" per control with EXISTS (accepted, current evidence linked to it) (src/readiness/readiness.sql.ts).
 * With only evidence_link (control_id) to probe, each probe costs a heap visit, so for one client's 419 controls the
 * planner preferred hashing every accepted link of every client: 190 ms per control-matrix query and 90-240 ms per
 * readiness query on the SPEC 8 data set (500 clients, 100k evidence, 200k links). Covering (control_id, evidence_id),
 * the probe is an index-only scan and the same queries take 4-10 ms (npm run bench). The new index also serves
 * everything the old single-column one did, so that one goes.
 */
export class IndexEvidenceLinkByControl1763901000000 implements MigrationInterface {
  name = 'IndexEvidenceLinkByControl1763901000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idx_evidence_link__control_id_evidence_id ON evidence_link (control_id, evidence_id)`);
    await q.query(`DROP INDEX idx_evidence_link__control_id`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idx_evidence_link__control_id ON evidence_link (control_id)`);
    await q.query(`DROP INDEX idx_evidence_link__control_id_evidence_id`);
  }
}
