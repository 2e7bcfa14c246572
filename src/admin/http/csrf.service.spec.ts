import { Request, Response } from 'express';

import { CsrfService } from 'src/admin/http/csrf.service';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

interface Init {
  method?: string;
  url?: string;
  secure?: boolean;
  cookies?: Record<string, string>;
  headers?: Record<string, string>;
  body?: object;
}

function request(init: Init): Request {
  const headers = init.headers ?? {};
  return {
    method: init.method ?? 'POST',
    originalUrl: init.url ?? '/api/v1/clients',
    cookies: init.cookies ?? {},
    headers,
    body: init.body ?? {},
    secure: init.secure ?? false,
    // Express's req.is, for the plain media types used here (the e2e tests go through the real one).
    is: (type: string) => ((headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() === type ? type : false),
  } as unknown as Request;
}

/** The token a page would get, and the cookies the browser would then send back. */
function issue(csrf: CsrfService, opts: { session?: string; secure?: boolean } = {}) {
  const sessionName = opts.secure ? '__Host-crt_session' : 'crt_session';
  const set: Record<string, string> = {};
  const res = { cookie: (name: string, value: string) => (set[name] = value) } as unknown as Response;
  const sessionCookies: Record<string, string> = opts.session ? { [sessionName]: opts.session } : {};
  const token = csrf.token(request({ method: 'GET', url: '/', cookies: sessionCookies, secure: opts.secure }), res);
  return { token, set, cookies: { ...set, ...sessionCookies } };
}

describe('CsrfService', () => {
  const csrf = new CsrfService(SECRET);
  const json = { 'content-type': 'application/json' };
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  it.each<[string, Init, boolean]>([
    ['a safe method', { method: 'GET', url: '/ui/clients/x', cookies: { crt_session: 'jwt' } }, false],
    ['an API call with a bearer token, even with the cookie', { headers: { authorization: 'Bearer abc' }, cookies: { crt_session: 'jwt' } }, false],
    ['the JSON API sign-in', { url: '/api/v1/auth/login', headers: json }, false],
    ['the JSON API sign-in with a query string', { url: '/api/v1/auth/login?x=1', headers: { 'content-type': 'application/json; charset=utf-8' } }, false],
    ['a form-encoded API sign-in (a cross-site form can send it)', { url: '/api/v1/auth/login', headers: form }, true],
    ['a text/plain API sign-in', { url: '/api/v1/auth/login', headers: { 'content-type': 'text/plain' } }, true],
    ['a JSON API sign-in spelt otherwise', { url: '/API/v1/auth/login', headers: json }, true],
    ['a JSON API sign-in with a trailing slash', { url: '/api/v1/auth/login/', headers: json }, true],
    ['an unauthenticated API call', {}, true],
    ['an API call authenticated by the session cookie', { cookies: { crt_session: 'jwt' } }, true],
    ['a cookie API call with a non-bearer Authorization header', { headers: { authorization: 'Basic eA==' }, cookies: { crt_session: 'jwt' } }, true],
    ['a cookie API call with an empty bearer', { headers: { authorization: 'Bearer ' }, cookies: { crt_session: 'jwt' } }, true],
    ['any UI form post, signed in or not', { url: '/login' }, true],
    ['the sign-in form in capitals', { url: '/LOGIN' }, true],
    ['the sign-in form, percent-encoded', { url: '/%6cogin' }, true],
    ['a UI post with the cookie', { url: '/ui/clients', cookies: { crt_session: 'jwt' } }, true],
    ['a DELETE', { method: 'DELETE', url: '/ui/clients/x' }, true],
  ])('%s: required = %s', (_what, init, required) => {
    expect(csrf.required(request(init))).toBe(required);
  });

  it('accepts the issued token from the header or the form field, bound to the session', () => {
    const { token, cookies } = issue(csrf, { session: 'session-1' });
    expect(csrf.valid(request({ cookies, headers: { 'x-csrf-token': token } }))).toBe(true);
    expect(csrf.valid(request({ cookies, body: { _csrf: token } }))).toBe(true);
    expect(csrf.valid(request({ cookies }))).toBe(false);
    expect(csrf.valid(request({ cookies, headers: { 'x-csrf-token': `${token}x` } }))).toBe(false);
    expect(csrf.valid(request({ cookies: { ...cookies, crt_session: 'session-2' }, headers: { 'x-csrf-token': token } }))).toBe(false);
    expect(csrf.valid(request({ cookies: { crt_session: 'session-1' }, headers: { 'x-csrf-token': token } }))).toBe(false);
  });

  it('uses __Host- cookies over TLS and plain ones over HTTP, and never accepts one for the other', () => {
    const tls = issue(csrf, { session: 's', secure: true });
    expect(Object.keys(tls.set)).toEqual(['__Host-crt_csrf']);
    expect(csrf.valid(request({ secure: true, cookies: tls.cookies, headers: { 'x-csrf-token': tls.token } }))).toBe(true);
    // The same values under the plain names: over TLS they are not read.
    const renamed = { crt_csrf: tls.set['__Host-crt_csrf'], crt_session: 's' };
    expect(csrf.valid(request({ secure: true, cookies: renamed, headers: { 'x-csrf-token': tls.token } }))).toBe(false);

    const plain = issue(csrf, { session: 's' });
    expect(Object.keys(plain.set)).toEqual(['crt_csrf']);
    const prefixed = { '__Host-crt_csrf': plain.set.crt_csrf, '__Host-crt_session': 's' };
    expect(csrf.valid(request({ cookies: prefixed, headers: { 'x-csrf-token': plain.token } }))).toBe(false);
  });

  it('refuses tokens made with another secret', () => {
    const { token, cookies } = issue(new CsrfService(`${SECRET}-other`), { session: 's' });
    expect(csrf.valid(request({ cookies, headers: { 'x-csrf-token': token } }))).toBe(false);
  });
});
