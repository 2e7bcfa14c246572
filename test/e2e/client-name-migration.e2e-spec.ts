import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

import { dataSourceOptions, runMigrations } from 'src/database/data-source';
import { startEmbeddedDatabase } from 'src/database/embedded-database';

/**
 * Reverting AllowSameClientNameAcrossTenants after two tenants used the same name: the unique index comes back, and
 * the names that would break it are made distinct rather than the revert failing. On an embedded database of its own.
 */
describe('migration AllowSameClientNameAcrossTenants', () => {
  it('reverts with shared names by keeping the oldest and appending the id to the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crt-names-'));
    const embedded = await startEmbeddedDatabase(dir);
    const ds = await new DataSource(dataSourceOptions(embedded.url, { embedded: true })).initialize();
    try {
      await runMigrations(ds, { embedded: true });
      await ds.query(`INSERT INTO client (name, created_at) VALUES ('Acme', now() - interval '1 day'), ('ACME', now()), ('Other', now())`);
      const [second] = await ds.query(`SELECT id FROM client WHERE name = 'ACME'`);
      // Later migrations first, then this one.
      const applied = async () => (await ds.query(`SELECT 1 FROM schema_migration WHERE name = 'AllowSameClientNameAcrossTenants1764100100000'`)).length > 0;
      while (await applied()) await ds.undoLastMigration({ transaction: 'each' });
      const names = (await ds.query(`SELECT name FROM client ORDER BY created_at, name`)).map((r: { name: string }) => r.name);
      expect(names).toEqual(['Acme', `ACME (${second.id})`, 'Other']);
      await expect(ds.query(`INSERT INTO client (name) VALUES ('acme')`)).rejects.toThrow(/uq_client__name/);
      await runMigrations(ds, { embedded: true });
      await ds.query(`INSERT INTO client (name) VALUES ('acme')`);
    } finally {
      await ds.destroy();
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
