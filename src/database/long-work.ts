import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { TimeoutSafeClient } from 'src/database/timeout-safe-client';

/** Client-side margin over a statement timeout, so that the server cancels a slow statement before the client gives up. */
const CLIENT_MARGIN_MS = 5_000;

/** The pg client under a connected TypeORM query runner, when it is ours (not on the embedded database). */
const clientOf = (runner: QueryRunner | undefined): TimeoutSafeClient | undefined => {
  const client = (runner as { databaseConnection?: unknown } | undefined)?.databaseConnection;
  return client instanceof TimeoutSafeClient ? client : undefined;
};

/**
 * Lifts the statement and idle-in-transaction timeouts for the session of `runner` (connected), and the client-side
 * bound with them; `statementMs` 0 lifts them entirely. Returns the function that restores the service's bounds;
 * call it before releasing the runner.
 */
export async function liftSessionTimeouts(runner: QueryRunner, statementMs: number): Promise<() => Promise<void>> {
  const restoreClient = clientOf(runner)?.allowLongQueries(statementMs === 0 ? null : statementMs + CLIENT_MARGIN_MS);
  await runner.query(`SELECT set_config('statement_timeout', $1, false), set_config('idle_in_transaction_session_timeout', '0', false)`, [String(statementMs)]);
  return async () => {
    // RESET returns to the connection's own settings (sent when it was opened), not to the server's defaults.
    await runner.query('RESET statement_timeout; RESET idle_in_transaction_session_timeout');
    restoreClient?.();
  };
}

/**
 * Per-operation timeouts for long work. The service's statement timeout (DATABASE_STATEMENT_TIMEOUT_MS) fits
 * requests; reports, exports and integrity verification read much more and get DATABASE_LONG_STATEMENT_TIMEOUT_MS,
 * set with `SET LOCAL` so that it ends with their transaction and never leaks to the next user of the connection.
 */
@Injectable()
export class LongWork {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Runs `work` in one read-only, repeatable-read transaction (every query sees the same snapshot, so a report's
   * numbers agree with its lists) whose statements may take the long timeout. `work` must only query: the
   * transaction's single connection answers one query at a time, and anything slow outside the database (rendering,
   * file reads) belongs after it, or idle_in_transaction_session_timeout ends it.
   */
  read<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      await tx.query(`SET TRANSACTION READ ONLY`);
      return this.withLongStatements(tx, work);
    });
  }

  /** Runs `work` in one read-write transaction whose statements (and lock waits) may take the long timeout. */
  run<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((tx) => this.withLongStatements(tx, work));
  }

  private async withLongStatements<T>(tx: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    const ms = this.config.databaseTimeouts.longStatementMs;
    const restoreClient = clientOf(tx.queryRunner)?.allowLongQueries(ms + CLIENT_MARGIN_MS);
    try {
      await tx.query(`SELECT set_config('statement_timeout', $1, true)`, [String(ms)]);
      return await work(tx);
    } finally {
      restoreClient?.();
    }
  }
}

/**
 * Two reads at once on the pool, or one after the other inside a transaction (its one connection runs one query at
 * a time; pg deprecates queueing a second query on a busy connection).
 */
export async function both<A, B>(tx: EntityManager | undefined, a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> {
  if (!tx) return Promise.all([a(), b()]);
  return [await a(), await b()];
}
