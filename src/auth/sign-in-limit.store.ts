import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The part of a `pg` client that rate-limiter-flexible's RateLimiterPostgres uses (storeType 'client'). */
export interface PgQueryClient {
  query(q: { text: string; values?: unknown[]; name?: string }): Promise<{ rows: unknown[]; rowCount: number }>;
}

/**
 * Gives the sign-in limiter (src/auth/sign-in-limiter.service.ts) the app's own connection pool, through TypeORM,
 * instead of a pool of its own: the embedded PGlite serves one connection, and the pool's timeouts and
 * connection settings then apply to the limiter as to every other query.
 *
 * The library names its prepared statements; they are sent unnamed here, because PGlite runs every socket
 * connection in its one backend session, so a statement prepared by one connection (another instance, or a
 * reconnection of this pool) would collide with the same name prepared again by the next.
 */
@Injectable()
export class SignInLimitStore implements PgQueryClient, OnModuleDestroy {
  private closed = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async query(q: { text: string; values?: unknown[] }): Promise<{ rows: unknown[]; rowCount: number }> {
    // The library's clean-up timer (every few minutes) outlives the app; after shutdown it must not reach for a closed pool.
    if (this.closed) throw new Error('The sign-in limit store is closed');
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(q.text, q.values, true);
      const rows = (result.records ?? []) as unknown[];
      return { rows, rowCount: result.affected ?? rows.length };
    } finally {
      await runner.release();
    }
  }

  onModuleDestroy(): void {
    this.closed = true;
  }
}
