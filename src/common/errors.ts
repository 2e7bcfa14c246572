import { HttpException, HttpStatus, NotFoundException } from '@nestjs/common';

/** The one error body of the API (SPEC 4). */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
}

/** A refusal the caller may retry later: the exception filters send `retryAfterSeconds` as `Retry-After`. */
export class RetryLaterException extends HttpException {
  constructor(
    status: HttpStatus,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, status);
  }
}

/** Sets `Retry-After` when the error says when to come back. */
export function setRetryAfter(res: { setHeader(name: string, value: string): unknown }, exception: unknown): void {
  if (exception instanceof RetryLaterException) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(exception.retryAfterSeconds))));
}

/**
 * Resolves to the row or throws 404. Callers use it both for "does not exist" and "not yours",
 * so that the two cases are indistinguishable from outside.
 */
export async function findOrFail<T>(promise: Promise<T | null | undefined>, entity: string): Promise<T> {
  const row = await promise;
  if (row === null || row === undefined) throw new NotFoundException(`${entity} not found`);
  return row;
}

/** PostgreSQL error codes the services translate into client errors. */
export const PgError = {
  UniqueViolation: '23505',
  ForeignKeyViolation: '23503',
  InvalidTextRepresentation: '22P02',
  StringTooLong: '22001',
} as const;

export function pgErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `%text%` for ILIKE with the pattern characters of `text` escaped. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;
