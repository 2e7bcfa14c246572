import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, ClientBase } from 'pg';
import { DataSource } from 'typeorm';

import { startEmbeddedDatabase } from 'src/database/embedded-database';

/**
 * The benchmark's own database and how the benchmark reaches it outside the app's HTTP API (seeding, lookups).
 * - postgresql: a database created on the admin URL's server, dropped afterwards;
 * - pglite: the embedded PostgreSQL the service runs without DATABASE_URL, started in this process through
 *   src/database/embedded-database.ts. It serves one connection, so the app gets a pool of one (as the service does)
 *   and the benchmark's own queries borrow the app's connection once the app runs.
 */
export interface BenchDatabase {
  readonly kind: 'postgresql' | 'pglite';
  /** Shown in the output: the database's name or directory. */
  readonly label: string;
  /** What the app is started with. */
  readonly appEnv: { DATABASE_URL: string; DATABASE_POOL_SIZE?: string };
  /** Whether this database serves a single connection (migrations then run without the advisory lock). */
  readonly embedded: boolean;
  /** Which connection the app holds: on PGlite, `use` borrows it. */
  attachApp(dataSource: DataSource): void;
  /** Runs `fn` on a connection of the benchmark's own. */
  use<T>(fn: (c: ClientBase) => Promise<T>): Promise<T>;
  /** Drops (or with keep, keeps and describes) the database; reports what it did. */
  dispose(keep: boolean): Promise<string>;
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function createPostgresDatabase(adminUrl: string, name: string): Promise<BenchDatabase> {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  return {
    kind: 'postgresql',
    label: `database ${name}`,
    appEnv: { DATABASE_URL: url.toString() },
    embedded: false,
    attachApp: () => undefined,
    use: (fn) => withClient(url.toString(), fn),
    async dispose(keep) {
      if (keep) {
        const shown = new URL(url);
        if (shown.password) shown.password = '***';
        return `Kept database ${name} (${shown.toString()}).`;
      }
      await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      return `Dropped database ${name}.`;
    },
  };
}

export async function createEmbeddedDatabase(): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'crt-bench-pglite-'));
  const db = await startEmbeddedDatabase(dir);
  let app: DataSource | undefined;
  return {
    kind: 'pglite',
    label: `embedded PGlite under ${join(dir, 'pgdata')}`,
    appEnv: { DATABASE_URL: db.url, DATABASE_POOL_SIZE: '1' },
    embedded: true,
    attachApp: (dataSource) => void (app = dataSource),
    async use(fn) {
      if (!app) throw new Error('the embedded database serves one connection: start the app before querying it');
      const runner = app.createQueryRunner();
      try {
        return await fn((await runner.connect()) as ClientBase);
      } finally {
        await runner.release();
      }
    },
    async dispose(keep) {
      await db.stop();
      if (keep) return `Kept the embedded database files in ${join(dir, 'pgdata')}.`;
      rmSync(dir, { recursive: true, force: true });
      return `Removed the embedded database ${dir}.`;
    },
  };
}
