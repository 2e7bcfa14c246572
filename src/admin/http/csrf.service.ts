import { Inject, Injectable } from '@nestjs/common';
import { doubleCsrf, DoubleCsrfUtilities } from 'csrf-csrf';
import { Request, Response } from 'express';
import { createHmac } from 'node:crypto';

import { JWT_SECRET } from 'src/auth/jwt-secret.provider';
import { csrfCookieName, sessionCookieOf } from 'src/auth/session-cookie';

export const CSRF_HEADER = 'x-csrf-token';
/** Name of the hidden field that carries the token in plain (non-htmx) form posts. */
export const CSRF_FIELD = '_csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The one request spelling that may skip the token: see isJsonApiSignIn. */
const API_SIGN_IN_PATH = '/api/v1/auth/login';

/**
 * Whether this is the JSON API sign-in, the only unsafe request without a bearer token that needs no CSRF token.
 * It sets no cookie (it answers with a bearer token in the body, which another site's page cannot read), and its
 * JSON body cannot come from another site at all: a form can only send urlencoded, multipart or text/plain, and a
 * script must pass a CORS preflight, which this service never grants. A forged sign-in therefore leaves no ambient
 * credential behind. The test is on the exact spelling: any other spelling that Express would still route to it
 * (`/API/V1/auth/login`, a trailing slash) simply needs a token, so the exemption fails closed.
 */
function isJsonApiSignIn(req: Request): boolean {
  return req.originalUrl.split('?')[0] === API_SIGN_IN_PATH && req.is('application/json') === 'application/json';
}

/**
 * Double-submit CSRF tokens (csrf-csrf) for everything a browser does with the session cookie. A token is an HMAC,
 * bound to the session cookie's value, of a random value; the same token sits in an httpOnly cookie and must come
 * back in the `x-csrf-token` header (htmx, fetch, XHR uploads) or the `_csrf` form field.
 *
 * Which requests need one: every unsafe request without a bearer token, whatever its path and however it is
 * spelt (Express routes `/LOGIN` and `/login/` to the sign-in form, so the decision must never depend on the path),
 * except the JSON API sign-in (isJsonApiSignIn). A request with a bearer `Authorization` header authenticates with
 * that header only (JwtStrategy then ignores the cookie), and a page of another site cannot set that header, so
 * scripts using tokens need no CSRF token.
 *
 * The cookie is `__Host-crt_csrf` over TLS and `crt_csrf` over plain HTTP (src/auth/session-cookie.ts): one
 * csrf-csrf instance per name.
 */
@Injectable()
export class CsrfService {
  private readonly plain: DoubleCsrfUtilities;
  private readonly overTls: DoubleCsrfUtilities;

  constructor(@Inject(JWT_SECRET) jwtSecret: string) {
    // A key of its own, derived from the JWT secret, so that neither kind of token can stand in for the other.
    const secret = createHmac('sha256', jwtSecret).update('crt csrf token v1').digest('hex');
    const make = (secure: boolean) =>
      doubleCsrf({
        getSecret: () => secret,
        getSessionIdentifier: (req) => sessionCookieOf(req as Request) ?? '',
        cookieName: csrfCookieName({ secure }),
        cookieOptions: { sameSite: 'lax', path: '/', httpOnly: true, secure },
        getCsrfTokenFromRequest: (req) => {
          const header = req.headers[CSRF_HEADER];
          if (typeof header === 'string') return header;
          const field = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
          return typeof field === 'string' ? field : null;
        },
      });
    this.plain = make(false);
    this.overTls = make(true);
  }

  private for(req: Request): DoubleCsrfUtilities {
    return req.secure ? this.overTls : this.plain;
  }

  /** The token for pages rendered in this response (sets or refreshes the cookie). */
  token(req: Request, res: Response): string {
    return this.for(req).generateCsrfToken(req, res);
  }

  required(req: Request): boolean {
    if (SAFE_METHODS.has(req.method)) return false;
    if (/^bearer\s+\S/i.test(req.headers.authorization ?? '')) return false;
    return !isJsonApiSignIn(req);
  }

  valid(req: Request): boolean {
    return this.for(req).validateRequest(req);
  }
}
