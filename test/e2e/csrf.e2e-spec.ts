import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';

import { API, TEST_PASSWORD, TestApp, TestUser } from '../utils/app';

/**
 * Login CSRF, the sign-in's `next` parameter and the cookies' names (issue 10, item 5), through HTTP with the real
 * middleware. Requests whose path must reach the server byte for byte go through node:http, which sends the path
 * as given (no normalisation of `..`, `//` or percent-escapes).
 */
const SLOW = 300_000;

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const cookiesOf = (headers: Record<string, unknown>): string[] => (headers['set-cookie'] as string[] | undefined) ?? [];
const pairs = (setCookies: string[]) => setCookies.map((c) => c.split(';')[0]).join('; ');

describe('CSRF, redirects and cookies', () => {
  let t: TestApp;
  let port: number;
  let u: TestUser;

  beforeAll(async () => {
    t = await TestApp.create({ TRUST_PROXY: 'loopback' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    u = await t.user();
  });
  afterAll(() => t.close());

  function raw(method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...opts.headers, 'content-length': Buffer.byteLength(opts.body ?? '') } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(opts.body ?? '');
    });
  }

  /** What a browser gets from the sign-in page: its cookies and the form's token. */
  async function signInForm(opts: { https?: boolean } = {}) {
    const res = await t.http().get('/login').set('X-Forwarded-Proto', opts.https ? 'https' : 'http').expect(200);
    const setCookies = cookiesOf(res.headers);
    return { setCookies, cookie: pairs(setCookies), token: /name="_csrf" value="([^"]+)"/.exec(res.text)![1] };
  }

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  describe('login CSRF: a cross-site form cannot sign the browser in', () => {
    const spellings = ['/login', '/LOGIN', '/Login', '/login/', '/LOGIN/', '//login', '/%6cogin', '/%6Cogin', '/api/v1/../login', '/./login', '/ui/../login', '/login?next=/', '/login;x', '/login%2F', '/api/v1/auth/../../../login'];

    it.each(spellings)('POST %s without a token: 403, no session cookie', async (path) => {
      const res = await raw('POST', path, {
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
        body: form({ email: u.email, password: TEST_PASSWORD }),
      });
      expect(res.status).toBe(403);
      expect(cookiesOf(res.headers).filter((c) => /crt_session=/.test(c))).toEqual([]);
    });

    it.each(spellings)('POST %s with a cookie but a wrong or missing token: 403', async (path) => {
      const { cookie, token } = await signInForm();
      for (const body of [form({ email: u.email, password: TEST_PASSWORD }), form({ _csrf: `${token}x`, email: u.email, password: TEST_PASSWORD })]) {
        const res = await raw('POST', path, { headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body });
        expect(res.status).toBe(403);
      }
    });

    it('signs in with the form token (the control: the tests above could fail)', async () => {
      const { cookie, token } = await signInForm();
      const res = await raw('POST', '/login', { headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: form({ _csrf: token, email: u.email, password: TEST_PASSWORD }) });
      expect(res.status).toBe(303);
      expect(cookiesOf(res.headers).some((c) => c.startsWith('crt_session='))).toBe(true);
    }, SLOW);

    it('refuses a cross-site sign-out in any spelling', async () => {
      for (const path of ['/logout', '/LOGOUT', '//logout', '/logout/', '/%6Cogout']) {
        const res = await raw('POST', path, { headers: { cookie: `crt_session=${u.token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
        expect(res.status).toBe(403);
      }
    });

    it('refuses cookie-authenticated API writes without a token, whatever the path spelling', async () => {
      for (const path of [`${API}/auth/tokens`, '/API/V1/auth/tokens', `${API}/auth/tokens/`, `/${API}/auth/tokens`]) {
        const res = await raw('POST', path, { headers: { cookie: `crt_session=${u.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x' }) });
        expect(res.status).toBe(403);
      }
      // A bearer request needs no token.
      await t.http().post(`${API}/auth/tokens`).auth(u.token, { type: 'bearer' }).send({ name: 'x' }).expect(201);
    });

    it('keeps the JSON API sign-in exempt, and it sets no cookie; a form-encoded one needs a token', async () => {
      const ok = await t.http().post(`${API}/auth/login`).send({ email: u.email, password: TEST_PASSWORD }).expect(200);
      expect(ok.headers['set-cookie']).toBeUndefined();
      const forged = await raw('POST', `${API}/auth/login`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ email: u.email, password: TEST_PASSWORD }) });
      expect(forged.status).toBe(403);
      const plain = await raw('POST', `${API}/auth/login`, { headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ email: u.email, password: TEST_PASSWORD }) });
      expect(plain.status).toBe(403);
      expect(JSON.parse(forged.body)).toEqual({ statusCode: 403, error: 'Forbidden', message: expect.stringContaining('CSRF') });
    }, SLOW);
  });

  describe('next: only paths of this site', () => {
    async function signInWith(next: string) {
      const { cookie, token } = await signInForm();
      return raw('POST', '/login', { headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: form({ _csrf: token, email: u.email, password: TEST_PASSWORD, next }) });
    }

    it('goes back to a local path, re-encoded', async () => {
      const res = await signInWith('/ui/clients?q=a b');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/ui/clients?q=a%20b');
    }, SLOW);

    it('sends every attack to / (never elsewhere, never a 500)', async () => {
      const attacks = ['/%09/evil.example', '/\t/evil.example', '//evil.example', '/\\evil.example', '/\\/evil.example', 'https://evil.example/', '/\r\nSet-Cookie: x=1', '/%0d%0aSet-Cookie:%20x=1', '/.//evil.example', '/%2F/evil.example', 'javascript:alert(1)'];
      for (const next of attacks) {
        const res = await signInWith(next);
        expect({ next, status: res.status, location: res.headers.location }).toEqual({ next, status: 303, location: '/' });
        expect(cookiesOf(res.headers).some((c) => /^x=/.test(c))).toBe(false);
      }
    }, SLOW);

    it('re-encodes what a header cannot hold', async () => {
      const res = await signInWith('/ui/\u0100\u2028x');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/ui/%C4%80%E2%80%A8x');
    }, SLOW);

    it('does not carry an attack into the sign-in form either', async () => {
      const res = await t.http().get(`/login?next=${encodeURIComponent('/\t/evil.example')}`).expect(200);
      expect(res.text).not.toContain('evil.example');
    });
  });

  describe('cookie names', () => {
    it('uses __Host- names over TLS (a trusted proxy saying https), and reads only those there', async () => {
      const { setCookies, cookie, token } = await signInForm({ https: true });
      expect(setCookies).toEqual([expect.stringMatching(/^__Host-crt_csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/)]);

      const res = await t.http().post('/login').set('X-Forwarded-Proto', 'https').set('Cookie', cookie).type('form').send({ _csrf: token, email: u.email, password: TEST_PASSWORD }).expect(303);
      const session = cookiesOf(res.headers).find((c) => c.startsWith('__Host-crt_session='))!;
      expect(session).toMatch(/^__Host-crt_session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
      expect(cookiesOf(res.headers).some((c) => c.startsWith('crt_session='))).toBe(false);
      const jwt = session.split(';')[0].split('=')[1];

      await t.http().get('/').set('X-Forwarded-Proto', 'https').set('Cookie', `__Host-crt_session=${jwt}`).expect(200);
      // Over TLS a plain-named (plantable) session cookie counts for nothing, and over HTTP the prefixed one does not.
      await t.http().get('/').set('X-Forwarded-Proto', 'https').set('Cookie', `crt_session=${jwt}`).expect(303).expect('Location', '/login');
      await t.http().get('/').set('Cookie', `__Host-crt_session=${jwt}`).expect(303).expect('Location', '/login');
      await t.http().get(`${API}/auth/me`).set('X-Forwarded-Proto', 'https').set('Cookie', `crt_session=${jwt}`).expect(401);

      // Signing out over TLS clears the prefixed cookie.
      const home = await t.http().get('/').set('X-Forwarded-Proto', 'https').set('Cookie', `__Host-crt_session=${jwt}`).expect(200);
      const csrf = pairs(cookiesOf(home.headers));
      const csrfToken = /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1] ?? /name="csrf-token" content="([^"]+)"/.exec(home.text)![1];
      const out = await t.http().post('/logout').set('X-Forwarded-Proto', 'https').set('Cookie', `__Host-crt_session=${jwt}; ${csrf}`).type('form').send({ _csrf: csrfToken }).expect(303);
      expect(cookiesOf(out.headers)).toEqual([expect.stringMatching(/^__Host-crt_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax$/)]);
    }, SLOW);

    it('uses plain names over HTTP (development on localhost)', async () => {
      const { setCookies, cookie, token } = await signInForm();
      expect(setCookies).toEqual([expect.stringMatching(/^crt_csrf=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/)]);
      const res = await t.http().post('/login').set('Cookie', cookie).type('form').send({ _csrf: token, email: u.email, password: TEST_PASSWORD }).expect(303);
      expect(cookiesOf(res.headers)).toEqual([expect.stringMatching(/^crt_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/)]);
    }, SLOW);

    it('does not accept a token issued over HTTP for a post over TLS', async () => {
      const { cookie, token } = await signInForm();
      await t.http().post('/login').set('X-Forwarded-Proto', 'https').set('Cookie', cookie).type('form').send({ _csrf: token, email: u.email, password: TEST_PASSWORD }).expect(403);
    });
  });
});
