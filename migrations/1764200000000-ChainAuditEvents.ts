import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hash-chains the audit trail: one chain per client and one for the instance (client_id null). Each event stores its
 * position, the previous event's hash, its own hash (content + position + previous hash) and an HMAC of that hash
 * under a key only the service holds (src/audit/audit-chain.ts). Events recorded before this migration stay as they
 * are and are reported as unchained; the NOT VALID check makes every later event chained.
 */
export class ChainAuditEvents1764200000000 implements MigrationInterface {
  name = 'ChainAuditEvents1764200000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_event
        ADD COLUMN chain_seq bigint,
        ADD COLUMN prev_hash text,
        ADD COLUMN hash text,
        ADD COLUMN hmac text`);
    await q.query(`
      ALTER TABLE audit_event ADD CONSTRAINT chk_audit_event__chained
        CHECK (chain_seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL AND hmac IS NOT NULL) NOT VALID`);
    // One event per position of a chain: even a writer that skipped the lock could not fork it.
    await q.query(`
      CREATE UNIQUE INDEX uq_audit_event__chain_position
        ON audit_event ((coalesce(client_id, '00000000-0000-0000-0000-000000000000'::uuid)), chain_seq)
        WHERE chain_seq IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_audit_event__chain_position`);
    await q.query(`ALTER TABLE audit_event DROP CONSTRAINT chk_audit_event__chained`);
    await q.query(`ALTER TABLE audit_event DROP COLUMN hmac, DROP COLUMN hash, DROP COLUMN prev_hash, DROP COLUMN chain_seq`);
  }
}
