import { LoggerService, ServiceUnavailableException } from '@nestjs/common';

/** Seconds a caller should wait before retrying after a database fault (the `Retry-After` header of every 503). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Why the database could not serve a request. `stalled` means the server stopped answering (the client gave up:
 * connect or query timeout), `slow-query` that the server itself cancelled a statement that ran past
 * statement_timeout (it was alive, the query was too slow), so operators can tell a frozen server from a slow query.
 */
export type DatabaseFault = 'unreachable' | 'stalled' | 'slow-query' | 'idle-transaction' | 'overloaded' | 'shutting-down';

/** Socket errors of a connection that cannot be opened or was cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATEs (PostgreSQL appendix A) that say the server cannot serve now, not that the request is wrong. */
const SQLSTATES: Record<string, DatabaseFault> = {
  '57P01': 'shutting-down', // admin_shutdown: the server is stopping (or a backend was terminated)
  '57P02': 'shutting-down', // crash_shutdown
  '57P03': 'shutting-down', // cannot_connect_now: starting up, in recovery
  '57P05': 'unreachable', // idle_session_timeout
  '53300': 'overloaded', // too_many_connections
  '25P03': 'idle-transaction', // idle_in_transaction_session_timeout ended the session
};

/** pg raises these as plain Errors without a code; their texts are the only mark. */
const PG_MESSAGES: [RegExp, DatabaseFault][] = [
  [/^Query read timeout$/, 'stalled'], // client-side query_timeout
  [/^timeout expired$/, 'stalled'], // client connect timeout
  [/^timeout exceeded when trying to connect$/, 'stalled'], // pool: no connection within connectionTimeoutMillis
  [/^Connection terminated due to connection timeout$/, 'stalled'],
  [/^Connection terminated/, 'unreachable'],
  [/is not queryable$/, 'unreachable'],
  [/^Cannot use a pool after calling end on the pool$/, 'shutting-down'],
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function classify(e: ErrorLike): DatabaseFault | undefined {
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  if (code) {
    if (NETWORK_CODES.has(code)) return 'unreachable';
    if (code.startsWith('08')) return 'unreachable'; // connection_exception class
    if (SQLSTATES[code]) return SQLSTATES[code];
    // query_canceled: by statement_timeout (the server is alive, the statement was too slow) or by an operator.
    if (code === '57014') return 'slow-query';
  }
  return PG_MESSAGES.find(([pattern]) => pattern.test(message))?.[1];
}

/**
 * The database fault behind an error, looking through TypeORM's QueryFailedError (`driverError`), `cause` chains and
 * AggregateError (a host name that resolves to several addresses, each refused); undefined for any other error.
 */
export function databaseFault(error: unknown, depth = 0): DatabaseFault | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  if (error instanceof DatabaseUnavailableException) return error.fault;
  const e = error as ErrorLike;
  const own = classify(e);
  if (own) return own;
  const nested = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  for (const n of nested) {
    const fault = databaseFault(n, depth + 1);
    if (fault) return fault;
  }
  return undefined;
}

const MESSAGES: Record<DatabaseFault, string> = {
  unreachable: 'The database is not reachable right now, so your request could not be completed. Try again in a few seconds; if this keeps happening, tell your administrator.',
  stalled: 'The database is not answering right now, so your request could not be completed. Try again in a few seconds; if this keeps happening, tell your administrator.',
  'slow-query': 'The database took too long to answer, so your request was stopped. Try again in a moment; if this keeps happening, tell your administrator.',
  'idle-transaction': 'The request took too long and the database ended it, so it could not be completed. Try again; if this keeps happening, tell your administrator.',
  overloaded: 'The database is busy right now (too many connections), so your request could not be completed. Try again in a few seconds.',
  'shutting-down': 'The database is restarting, so your request could not be completed. Try again in a few seconds.',
};

/** 503 for a request the database could not serve; the filters add `Retry-After`. */
export class DatabaseUnavailableException extends ServiceUnavailableException {
  constructor(
    readonly fault: DatabaseFault,
    cause?: unknown,
  ) {
    super(MESSAGES[fault], { cause });
  }

  /** The 503 for a database fault, or undefined when the error is something else. */
  static from(error: unknown): DatabaseUnavailableException | undefined {
    if (error instanceof DatabaseUnavailableException) return error;
    const fault = databaseFault(error);
    return fault ? new DatabaseUnavailableException(fault, error) : undefined;
  }

  /**
   * One log line for operators: the fault, the driver's message and, for a slow query, the start of its SQL (never
   * its parameters, which may hold personal data).
   */
  describe(): string {
    const cause = this.cause as ErrorLike & { query?: unknown } | undefined;
    const detail = typeof cause?.message === 'string' ? cause.message : String(cause);
    const sql = this.fault === 'slow-query' && typeof cause?.query === 'string' ? ` in: ${cause.query.replace(/\s+/g, ' ').slice(0, 200)}` : '';
    return `Database ${this.fault}: ${detail}${sql}`;
  }
}

/** A slow query is ours to fix (error); a database that is down or frozen is the operators' (warning). */
export function logDatabaseFault(logger: LoggerService, e: DatabaseUnavailableException): void {
  if (e.fault === 'slow-query') logger.error(e.describe());
  else logger.warn(e.describe());
}
