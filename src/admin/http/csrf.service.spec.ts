import { Request, Response } from 'express';

import { CSRF_COOKIE, CsrfService } from 'src/admin/http/csrf.service';
import { SESSION_COOKIE } from 'src/auth/strategies/jwt.strategy';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

function request(init: { method?: string; url?: string; cookies?: Record<string, string>; headers?: Record<string, string>; body?: object }): Request {
  return { method: init.method ?? 'POST', originalUrl: init.url ?? '/api/v1/clients', cookies: init.cookies ?? {}, headers: init.headers ?? {}, body: init.body ?? {}, secure: false } as unknown as Request;
}

/** The token a page would get, and the cookie the browser would then send back. */
function issue(csrf: CsrfService, session?: string) {
  const set: Record<string, string> = {};
  const res = { cookie: (name: string, value: string) => (set[name] = value) } as unknown as Response;
  const token = csrf.token(request({ method: 'GET', url: '/', cookies: session ? { [SESSION_COOKIE]: session } : {} }), res);
  return { token, cookies: { [CSRF_COOKIE]: set[CSRF_COOKIE], ...(session ? { [SESSION_COOKIE]: session } : {}) } };
}

describe('CsrfService', () => {
  const csrf = new CsrfService(SECRET);

  it.each([
    ['a safe method', { method: 'GET', url: '/ui/clients/x', cookies: { [SESSION_COOKIE]: 'jwt' } }, false],
    ['an API call with a bearer token, even with the cookie', { headers: { authorization: 'Bearer abc' }, cookies: { [SESSION_COOKIE]: 'jwt' } }, false],
    ['an API call without cookie or bearer (scripts signing in)', { url: '/api/v1/auth/login' }, false],
    ['an API call authenticated by the session cookie', { cookies: { [SESSION_COOKIE]: 'jwt' } }, true],
    ['a cookie API call with a non-bearer Authorization header', { headers: { authorization: 'Basic eA==' }, cookies: { [SESSION_COOKIE]: 'jwt' } }, true],
    ['any UI form post, signed in or not', { url: '/login' }, true],
    ['a UI post with the cookie', { url: '/ui/clients', cookies: { [SESSION_COOKIE]: 'jwt' } }, true],
  ])('%s: required = %s', (_what, init, required) => {
    expect(csrf.required(request(init))).toBe(required);
  });

  it('accepts the issued token from the header or the form field, bound to the session', () => {
    const { token, cookies } = issue(csrf, 'session-1');
    expect(csrf.valid(request({ cookies, headers: { 'x-csrf-token': token } }))).toBe(true);
    expect(csrf.valid(request({ cookies, body: { _csrf: token } }))).toBe(true);
    expect(csrf.valid(request({ cookies }))).toBe(false);
    expect(csrf.valid(request({ cookies, headers: { 'x-csrf-token': `${token}x` } }))).toBe(false);
    expect(csrf.valid(request({ cookies: { ...cookies, [SESSION_COOKIE]: 'session-2' }, headers: { 'x-csrf-token': token } }))).toBe(false);
    expect(csrf.valid(request({ cookies: { [SESSION_COOKIE]: 'session-1' }, headers: { 'x-csrf-token': token } }))).toBe(false);
  });

  it('refuses tokens made with another secret', () => {
    const { token, cookies } = issue(new CsrfService(`${SECRET}-other`), 's');
    expect(csrf.valid(request({ cookies, headers: { 'x-csrf-token': token } }))).toBe(false);
  });
});
