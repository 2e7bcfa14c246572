import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bareEnv, builtService, CookieJar, csrfFieldOf, freePort, ServiceProcess } from '../utils/built-service';

const NEW_PASSWORD = 'a newcomer chose this one';

/**
 * What a newcomer does after cloning: start the built service (`npm start` runs `node dist/src/main.js`) with no
 * configuration at all (embedded PGlite under a fresh DATA_DIR, no DATABASE_URL, no ADMIN_*), read the printed
 * password, and sign in with it through the API and the web UI. The test suite's app helper is not used: it
 * configures an admin of its own.
 */
describe('first run with no configuration', () => {
  let dataDir: string;
  let service: ServiceProcess | undefined;
  let base: string;

  beforeAll(async () => {
    const dist = await builtService();
    dataDir = mkdtempSync(join(tmpdir(), 'crt-first-run-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = ServiceProcess.start(dist, 'src/main.js', [], bareEnv({ DATA_DIR: dataDir, PORT: String(port) }));
    await service.waitHealthy(`${base}/health`);
  }, 600_000);

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  const json = (path: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
    fetch(`${base}/api/v1${path}`, {
      method: init.method ?? (init.body ? 'POST' : 'GET'),
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  it('prints a one-time password that signs in through the API and then, changed, through the web UI', async () => {
    const m = /First run: created admin (\S+) with password (\S+)/.exec(service!.printed);
    expect(m).not.toBeNull();
    const [, email, password] = m!;
    expect(email).toBe('admin@localhost');

    // API: the printed password signs in; it is one-time, so only the password change (and /auth/me) is open.
    const login = await json('/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    const session = (await login.json()) as { accessToken: string; passwordChangeRequired: boolean };
    expect(session.passwordChangeRequired).toBe(true);
    const token = session.accessToken;
    const me = await json('/auth/me', { token });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email, isAdmin: true, canCreateClients: true, passwordChangeRequired: true });
    const refused = await json('/clients', { token });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/change your password first/i);

    const changed = await json('/auth/password', { token, body: { currentPassword: password, newPassword: NEW_PASSWORD } });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ email, passwordChangeRequired: false });
    expect((await json('/clients', { token })).status).toBe(200);
    expect((await json('/auth/login', { body: { email, password } })).status).toBe(401);

    // Web UI: the sign-in form (with its CSRF token), a redirect home with the session cookie, the dashboard.
    const jar = new CookieJar();
    const form = await fetch(`${base}/login`);
    expect(form.status).toBe(200);
    jar.store(form);
    const signIn = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
      body: new URLSearchParams({ _csrf: csrfFieldOf(await form.text()), email: 'Admin@Localhost ', password: NEW_PASSWORD }).toString(),
    });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/');
    jar.store(signIn);
    expect(jar.names().some((n) => /session/.test(n))).toBe(true);
    const dashboard = await fetch(`${base}/`, { redirect: 'manual', headers: { cookie: jar.header() } });
    expect(dashboard.status).toBe(200);
    const html = await dashboard.text();
    expect(html).toContain('<h1>Clients</h1>');
    expect(html).toContain('admin@localhost');
  }, 300_000);
});
