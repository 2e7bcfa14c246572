/**
 * npm run migration:run      apply pending migrations (the service also does this on start)
 * npm run migration:revert   undo the most recent migration
 * Against DATABASE_URL, or the embedded database under DATA_DIR, exactly as the service would.
 */
import 'reflect-metadata';

import { DataSource } from 'typeorm';

import { loadConfigOrExit } from 'src/config/app-config';
import { dataSourceOptions, runMigrations } from 'src/database/data-source';
import { startEmbeddedDatabase } from 'src/database/embedded-database';

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(command: string | undefined): Promise<number> {
  if (command !== 'up' && command !== 'down') {
    out('usage: migrate.js up|down');
    return 2;
  }
  const config = loadConfigOrExit();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedDatabase(config.dataDir);
  const dataSource = await new DataSource(dataSourceOptions(config.databaseUrl ?? embedded!.url, { embedded: Boolean(embedded) })).initialize();
  try {
    if (command === 'up') {
      const pending = await dataSource.showMigrations();
      await runMigrations(dataSource, { embedded: Boolean(embedded) });
      out(pending ? 'Migrations applied' : 'No pending migration');
    } else {
      await dataSource.undoLastMigration({ transaction: 'each' });
      out('Reverted the most recent migration');
    }
    return 0;
  } finally {
    await dataSource.destroy();
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
