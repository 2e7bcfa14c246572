import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Client names were unique across the instance, so creating or renaming a client answered 409 "A client named ...
 * already exists" to anyone, revealing other consultants' clients. Two unrelated consultants may both serve an
 * "Acme": the unique index gives way to a plain one (the client list sorts and searches by lower(name)).
 */
export class AllowSameClientNameAcrossTenants1764100100000 implements MigrationInterface {
  name = 'AllowSameClientNameAcrossTenants1764100100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_client__name`);
    await q.query(`CREATE INDEX idx_client__lower_name ON client (lower(name))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // Names shared since the upgrade would break the unique index: all but the oldest get their id appended.
    await q.query(`
      UPDATE client c SET name = c.name || ' (' || c.id || ')'
        FROM (SELECT id, row_number() OVER (PARTITION BY lower(name) ORDER BY created_at, id) AS n FROM client) d
       WHERE d.id = c.id AND d.n > 1`);
    await q.query(`DROP INDEX idx_client__lower_name`);
    await q.query(`CREATE UNIQUE INDEX uq_client__name ON client (lower(name))`);
  }
}
