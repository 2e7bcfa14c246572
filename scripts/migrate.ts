/**
 * npm run migration:run      apply pending migrations (the service also does this on start)
 * npm run migration:revert   undo the most recent migration
 * Against DATABASE_URL, or the embedded database under DATA_DIR, exactly as the service would: as DATABASE_OWNER_URL
 * when it is set, then granting the DATABASE_URL role its privileges (src/database/service-role.ts).
 */
import 'reflect-metadata';

import { DataSource } from 'typeorm';

import { loadConfigOrExit } from 'src/config/app-config';
import { dataSourceOptions } from 'src/database/data-source';
import { migrateAndGrant } from 'src/database/database-startup';
import { startEmbeddedDatabase } from 'src/database/embedded-database';

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(command: string | undefined): Promise<number> {
  if (command !== 'up' && command !== 'down') {
    out('usage: migrate.js up|down');
    return 2;
  }
  const config = loadConfigOrExit();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedDatabase(config.dataDir);
  const url = config.databaseUrl ?? embedded!.url;
  try {
    if (command === 'up') {
      const role = await migrateAndGrant({ url, ownerUrl: config.databaseOwnerUrl, embedded: Boolean(embedded) });
      const as = role ? `role ${role} (SET ROLE from the DATABASE_URL login)` : config.databaseOwnerUrl ? 'the DATABASE_URL login' : 'the DATABASE_URL login, unrestricted';
      out(`Migrations applied; the service runs as ${as}`);
      return 0;
    }
    const dataSource = await new DataSource(dataSourceOptions(config.databaseOwnerUrl ?? url, { embedded: Boolean(embedded) })).initialize();
    try {
      await dataSource.undoLastMigration({ transaction: 'each' });
      out('Reverted the most recent migration');
    } finally {
      await dataSource.destroy();
    }
    return 0;
  } finally {
    await embedded?.stop();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
