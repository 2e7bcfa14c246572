import { Inject, Injectable } from '@nestjs/common';
import { doubleCsrf, DoubleCsrfUtilities } from 'csrf-csrf';
import { Request, Response } from 'express';
import { createHmac } from 'node:crypto';

import { isUiPath } from 'src/admin/ui-routes';
import { JWT_SECRET } from 'src/auth/jwt-secret.provider';
import { SESSION_COOKIE } from 'src/auth/strategies/jwt.strategy';

export const CSRF_COOKIE = 'crt_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Name of the hidden field that carries the token in plain (non-htmx) form posts. */
export const CSRF_FIELD = '_csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type CookieRequest = Request & { cookies?: Record<string, string | undefined> };

/**
 * Double-submit CSRF tokens (csrf-csrf) for everything a browser does with the session cookie. A token is an HMAC,
 * bound to the session cookie's value, of a random value; the same token sits in an httpOnly cookie and must come
 * back in the `x-csrf-token` header (htmx, fetch, XHR uploads) or the `_csrf` form field.
 *
 * Which requests need one: every unsafe request to the UI, and every unsafe API request that would authenticate
 * with the session cookie. A request with a bearer `Authorization` header authenticates with that header only
 * (the JWT and API-token strategies read it first), and a page of another site cannot set that header, so
 * scripts using tokens need no CSRF token.
 */
@Injectable()
export class CsrfService {
  private readonly csrf: DoubleCsrfUtilities;

  constructor(@Inject(JWT_SECRET) jwtSecret: string) {
    // A key of its own, derived from the JWT secret, so that neither kind of token can stand in for the other.
    const secret = createHmac('sha256', jwtSecret).update('crt csrf token v1').digest('hex');
    this.csrf = doubleCsrf({
      getSecret: () => secret,
      getSessionIdentifier: (req) => (req as CookieRequest).cookies?.[SESSION_COOKIE] ?? '',
      cookieName: CSRF_COOKIE,
      cookieOptions: { sameSite: 'lax', path: '/', httpOnly: true, secure: false },
      getCsrfTokenFromRequest: (req) => {
        const header = req.headers[CSRF_HEADER];
        if (typeof header === 'string') return header;
        const field = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
        return typeof field === 'string' ? field : null;
      },
    });
  }

  /** The token for pages rendered in this response (sets or refreshes the cookie). */
  token(req: Request, res: Response): string {
    return this.csrf.generateCsrfToken(req, res, { cookieOptions: { secure: req.secure } });
  }

  required(req: Request): boolean {
    if (SAFE_METHODS.has(req.method)) return false;
    if (/^bearer\s/i.test(req.headers.authorization ?? '')) return false;
    return isUiPath(req.originalUrl) || Boolean((req as CookieRequest).cookies?.[SESSION_COOKIE]);
  }

  valid(req: Request): boolean {
    return this.csrf.validateRequest(req);
  }
}
