import { DataSource, DataSourceOptions, MigrationExecutor } from 'typeorm';

import type { DatabaseTimeouts } from 'src/config/app-config';
import { liftSessionTimeouts } from 'src/database/long-work';
import { SnakeNamingStrategy } from 'src/database/naming-strategy';
import { TimeoutSafeClient } from 'src/database/timeout-safe-client';
import { MIGRATIONS } from 'migrations';

/** Pool size for the embedded database: PGlite serves one connection. */
export const EMBEDDED_POOL_SIZE = 1;
/** Whether options were built for a single-connection database (PGlite): no other session to coordinate with. */
export const isEmbedded = (options: DataSourceOptions): boolean =>
  (options.extra as { max?: number } | undefined)?.max === EMBEDDED_POOL_SIZE;

/**
 * Serialises what must happen once per database however many instances start together: migrations (session lock,
 * below) and the first admin (transaction lock, FirstAdminService).
 */
export const MIGRATION_LOCK_ID = 727_311_001;

/**
 * Bounds every wait on a database server (see DatabaseTimeouts): a stopped server fails the connect, a frozen one the
 * connect or the client-side query timeout, a slow statement the server's statement_timeout; each becomes a 503.
 * TCP keepalive lets the kernel find connections to a host that vanished (and keeps middleboxes from dropping idle
 * ones); an active query to such a host is bounded by the query timeout anyway.
 */
const serverTimeouts = (t: DatabaseTimeouts) => ({
  Client: TimeoutSafeClient,
  connectionTimeoutMillis: t.connectMs,
  statement_timeout: t.statementMs,
  query_timeout: t.queryMs,
  idle_in_transaction_session_timeout: t.idleInTransactionMs,
  keepAlive: t.keepAliveMs > 0,
  keepAliveInitialDelayMillis: t.keepAliveMs,
});

/**
 * The one DataSource definition, shared by the app, the CLI scripts and the tests. `timeouts` are the service's
 * (the CLI scripts run maintenance an operator watches, without them). The embedded PGlite gets none: it runs inside
 * this process, so it cannot stall without the process stalling, and it ignores these settings anyway.
 */
export function dataSourceOptions(url: string, opts: { embedded: boolean; poolSize?: number; role?: string; timeouts?: DatabaseTimeouts }): DataSourceOptions {
  // One connection for PGlite, whether started here or served by the test setup (DATABASE_POOL_SIZE=1).
  const single = opts.embedded || opts.poolSize === EMBEDDED_POOL_SIZE;
  // Every connection of the pool starts as the service role (PostgreSQL applies it at connection start; PGlite ignores
  // start-up options and is switched once with SET ROLE, its single session keeping it).
  const role = opts.role ? ` -c role=${opts.role}` : '';
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    namingStrategy: new SnakeNamingStrategy(),
    extra: single
      ? // One connection: a query issued outside a transaction that holds it would wait forever; fail instead.
        { max: EMBEDDED_POOL_SIZE, connectionTimeoutMillis: 30_000, application_name: 'compliance-tracker', ...(role ? { options: role.trim() } : {}) }
      : // JIT compilation costs more than it saves on these short analytical queries (1 s of a 2 s dashboard query).
        { max: opts.poolSize ?? 10, application_name: 'compliance-tracker', options: `-c jit=off${role}`, ...(opts.timeouts ? serverTimeouts(opts.timeouts) : {}) },
    // Extensions are the owner's business (migrations); the service role may not create them.
    installExtensions: false,
  };
}

/**
 * Applies pending migrations. On a server several instances may start at once, so they take a PostgreSQL
 * advisory lock and apply the migrations once; the embedded database serves a single process and one connection.
 */
export async function runMigrations(dataSource: DataSource, opts: { embedded: boolean; after?: () => Promise<void> }): Promise<void> {
  if (opts.embedded) {
    await dataSource.runMigrations({ transaction: 'each' });
    await opts.after?.();
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  // Migrations run on this connection, without the service's statement timeouts: waiting for the lock while another
  // instance migrates, or building an index on a large table, may take minutes, and an operator watches the start.
  const restoreTimeouts = await liftSessionTimeouts(lock, 0);
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const migrations = new MigrationExecutor(dataSource, lock);
    migrations.transaction = 'each';
    await migrations.executePendingMigrations();
    await opts.after?.();
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    await restoreTimeouts();
    await lock.release();
  }
}
