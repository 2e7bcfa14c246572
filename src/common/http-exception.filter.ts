import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Response } from 'express';
import { STATUS_CODES } from 'node:http';

import { ErrorBody, PgError, pgErrorCode, setRetryAfter } from 'src/common/errors';
import { DatabaseUnavailableException, logDatabaseFault, RETRY_AFTER_SECONDS } from 'src/database/database-errors';

/** Errors raised by Express middleware (body parser) carry their own 4xx status. */
interface MiddlewareError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

const MIDDLEWARE_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'Request body is not valid JSON',
  'entity.too.large': 'Request body is too large',
  'encoding.unsupported': 'Unsupported content encoding',
  'charset.unsupported': 'Unsupported charset',
};

const DB_ERRORS: Record<string, { status: number; message: string }> = {
  [PgError.UniqueViolation]: { status: 409, message: 'A record with the same unique value already exists' },
  [PgError.ForeignKeyViolation]: { status: 409, message: 'The record refers to, or is referred to by, another record' },
  [PgError.InvalidTextRepresentation]: { status: 400, message: 'A value has the wrong format' },
  [PgError.StringTooLong]: { status: 400, message: 'A value is too long' },
};

/**
 * Shapes every error into `{ statusCode, error, message, details? }`. Anything it does not recognise is logged and
 * answered with a bare 500, so no internal detail reaches the caller.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    // A database that is down, frozen or too slow is a 503 the caller may retry, never a 500 (or a 401 from the guard).
    const unavailable = DatabaseUnavailableException.from(exception);
    if (unavailable) logDatabaseFault(this.logger, unavailable);
    const body = this.toBody(unavailable ?? exception);
    // A 503 thrown on purpose (health: database down) is an answer, not a failure of ours.
    if (body.statusCode >= 500 && body.statusCode !== HttpStatus.SERVICE_UNAVAILABLE) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    setRetryAfter(res, exception);
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      const r = (typeof response === 'string' ? { message: response } : response) as {
        message?: string | string[];
        details?: unknown;
      };
      const message = Array.isArray(r.message) ? r.message.join('; ') : (r.message ?? exception.message);
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...(r.details ? { details: r.details } : {}) };
    }
    const mw = exception as MiddlewareError;
    const status = mw?.status ?? mw?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = (mw.type && MIDDLEWARE_MESSAGES[mw.type]) ?? (mw.expose && mw.message ? mw.message : STATUS_CODES[status]!);
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
    }
    const db = DB_ERRORS[pgErrorCode(exception) ?? ''];
    if (db) return { statusCode: db.status, error: STATUS_CODES[db.status]!, message: db.message };
    return { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' };
  }
}
