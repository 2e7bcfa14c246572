import { CookieOptions, Request } from 'express';

/**
 * Names and options of the web UI's cookies: the session (the same JWT as the API's bearer token, read by
 * JwtStrategy) and the CSRF token (src/admin/http/csrf.service.ts).
 *
 * Over TLS (`req.secure`: HTTPS here, or X-Forwarded-Proto from a proxy that TRUST_PROXY trusts) they carry the
 * `__Host-` prefix: a browser keeps such a cookie only if it is Secure, for Path=/ and without Domain, set by this
 * very host over HTTPS, so neither a sibling subdomain nor a man in the middle on plain HTTP can plant or overwrite
 * it (cookie tossing: signing the victim in as the attacker, or fixing the CSRF cookie). Browsers refuse the prefix
 * over plain HTTP, so development on http://localhost uses the plain names. Over TLS only the prefixed cookie is
 * read, so a planted plain-named cookie counts for nothing.
 */
const SESSION = 'crt_session';
const CSRF = 'crt_csrf';

type CookieRequest = Pick<Request, 'secure'> & { cookies?: Record<string, string | undefined> };

const named = (req: Pick<Request, 'secure'>, name: string) => (req.secure ? `__Host-${name}` : name);

export const sessionCookieName = (req: Pick<Request, 'secure'>): string => named(req, SESSION);
export const csrfCookieName = (req: Pick<Request, 'secure'>): string => named(req, CSRF);

/** The session cookie this request may use (the prefixed one over TLS, the plain one otherwise), or undefined. */
export const sessionCookieOf = (req: CookieRequest): string | undefined => {
  const value = req.cookies?.[sessionCookieName(req)];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/**
 * httpOnly (scripts never see it), SameSite=Lax (not sent with cross-site posts), Secure and Path=/ as `__Host-`
 * requires over TLS; no Max-Age, so a session cookie ends with the browser session (the JWT inside expires anyway).
 */
export const cookieOptions = (req: Pick<Request, 'secure'>): CookieOptions => ({ httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
