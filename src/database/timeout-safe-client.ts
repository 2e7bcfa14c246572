import { Client } from 'pg';

/** The longest timer Node accepts: a client-side bound that never fires in practice. */
const NO_CLIENT_TIMEOUT_MS = 2_147_483_647;

const isThenable = (v: unknown): v is PromiseLike<unknown> => typeof (v as { then?: unknown } | null)?.then === 'function';

/**
 * pg's Client as the pool creates it (`Client` pool option), with two changes for database faults:
 *
 * - When a query's client-side timeout (`query_timeout`) fires, pg reports the error but keeps the connection, still
 *   waiting for the abandoned answer (brianc/node-postgres#3399). Back in the pool, the next queries on it would queue
 *   behind that answer, and once a frozen server resumed they could even run inside the abandoned transaction and
 *   commit it. The connection is closed instead; the pool drops a closed client when it is released, and opens a new
 *   one for the next request.
 * - Long work (see LongWork) may lift the client-side bound for a while, together with the server's statement_timeout.
 */
export class TimeoutSafeClient extends Client {
  private longQueryTimeoutMs?: number;

  /** Until the returned function is called, each query may wait `ms` for its answer (null: without a bound). */
  allowLongQueries(ms: number | null): () => void {
    this.longQueryTimeoutMs = ms ?? NO_CLIENT_TIMEOUT_MS;
    return () => {
      this.longQueryTimeoutMs = undefined;
    };
  }

  // The signature is pg's (a dozen overloads); this override only passes the arguments through.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: unknown[]): any {
    const [config, ...rest] = args;
    const withTimeout = this.longQueryTimeoutMs !== undefined && typeof config === 'string' ? { text: config, query_timeout: this.longQueryTimeoutMs } : config;
    const result: unknown = (super.query as (...a: unknown[]) => unknown).call(this, withTimeout, ...rest);
    if (isThenable(result)) {
      result.then(undefined, (e: unknown) => {
        if ((e as Error | undefined)?.message === 'Query read timeout') this.end().catch(() => undefined);
      });
    }
    return result;
  }
}
