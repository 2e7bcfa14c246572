import { randomUUID } from 'node:crypto';

import { API, TEST_AUDIT_KEY, TEST_PASSWORD, TestApp } from '../utils/app';
import { builtService, ServiceProcess } from '../utils/built-service';

/**
 * `npm run user:reset-password -- EMAIL` (node dist/scripts/user-reset-password.js) as an operator runs it, in a
 * child process on the run's database, while the service (here: a test app) keeps running beside it.
 */
describe('npm run user:reset-password', () => {
  let t: TestApp;
  let dist: string;
  beforeAll(async () => {
    dist = await builtService();
    t = await TestApp.create();
  }, 600_000);
  afterAll(() => t.close());

  const reset = async (...args: string[]) => {
    // The audit key of the test apps: the script extends the same instance chain in the run's shared database.
    const env = { PATH: process.env.PATH, DATABASE_URL: process.env.DATABASE_URL, DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE, LOG_LEVEL: 'warn', AUDIT_HMAC_KEY: TEST_AUDIT_KEY };
    const p = ServiceProcess.start(dist, 'scripts/user-reset-password.js', args, env);
    return { code: await p.exit(), printed: p.printed };
  };
  const login = (email: string, password: string) => t.http().post(`${API}/auth/login`).send({ email, password });

  it('prints a one-time password, audited without it; the old password stops working; the user must choose a new one', async () => {
    const admin = await t.user({ admin: true });
    const before = await t.dataSource.query(`SELECT password_hash FROM app_user WHERE id = $1`, [admin.id]);

    const { code, printed } = await reset(` ${admin.email.toUpperCase()} `);
    expect(code).toBe(0);
    const m = /New one-time password for (\S+): (\S+)/.exec(printed);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(admin.email);
    const oneTime = m![2];

    const events = await t.dataSource.query(`SELECT actor_user_id AS actor, client_id AS "clientId", before, after FROM audit_event WHERE entity_id = $1 AND action = 'user.password_reset'`, [admin.id]);
    expect(events).toEqual([{ actor: null, clientId: null, before: null, after: { via: 'cli' } }]);
    const all = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE before::text LIKE $1 OR after::text LIKE $1`, [`%${oneTime}%`]);
    expect(all[0].n).toBe(0);
    const after = await t.dataSource.query(`SELECT password_hash FROM app_user WHERE id = $1`, [admin.id]);
    expect(after[0].password_hash).not.toBe(before[0].password_hash);
    expect(after[0].password_hash).not.toContain(oneTime);

    await login(admin.email, TEST_PASSWORD).expect(401);
    const signedIn = await login(admin.email, oneTime).expect(200);
    expect(signedIn.body.passwordChangeRequired).toBe(true);
    const token = signedIn.body.accessToken as string;
    await t.http().get(`${API}/users`).auth(token, { type: 'bearer' }).expect(403);
    await t.http().post(`${API}/auth/password`).auth(token, { type: 'bearer' }).send({ currentPassword: oneTime, newPassword: 'my own long password' }).expect(200);
    await t.http().get(`${API}/users`).auth(token, { type: 'bearer' }).expect(200);
    await login(admin.email, oneTime).expect(401);
    expect((await login(admin.email, 'my own long password').expect(200)).body.passwordChangeRequired).toBe(false);
    const changes = await t.dataSource.query(`SELECT actor_user_id AS actor FROM audit_event WHERE entity_id = $1 AND action = 'user.password_change'`, [admin.id]);
    expect(changes).toEqual([{ actor: admin.id }]);
  }, 300_000);

  it('exits 1 for an unknown email and 2 without one, changing nothing', async () => {
    const n = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'user.password_reset'`))[0].n;
    const count = await n();
    const unknown = await reset(`nobody-${randomUUID()}@localhost`);
    expect(unknown.code).toBe(1);
    expect(unknown.printed).toMatch(/No user has the email nobody-/);
    const none = await reset();
    expect(none.code).toBe(2);
    expect(none.printed).toMatch(/usage: npm run user:reset-password -- EMAIL/);
    expect(await n()).toBe(count);
  }, 300_000);
});
