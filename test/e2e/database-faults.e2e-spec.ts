import { mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Response } from 'superagent';
import type { Test } from 'supertest';

import { DatabaseUnavailableException } from 'src/database/database-errors';
import { LongWork } from 'src/database/long-work';

import { API, TEST_PASSWORD, TestApp, TestUser } from '../utils/app';
import { clusterToolsAvailable, TestCluster } from '../utils/pg-cluster';

/**
 * Database faults on a real PostgreSQL of this test's own (never the shared server): stopped, frozen with SIGSTOP,
 * restarted. Small timeouts keep the run short; nothing here measures time: a request must end, with a 503, within
 * jest's (generous) timeout instead of hanging, and the service must recover without a restart.
 */
const TIMEOUTS = {
  DATABASE_CONNECT_TIMEOUT_MS: '2000',
  DATABASE_STATEMENT_TIMEOUT_MS: '3000',
  DATABASE_QUERY_TIMEOUT_MS: '5000',
  // Longer than any freeze here: the server's own idle-in-transaction timeout would otherwise end a session whose
  // write was abandoned during the freeze, and hide whether the client closes such a connection itself.
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '120000',
  DATABASE_LONG_STATEMENT_TIMEOUT_MS: '60000',
};
const SLOW = 300_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectUnavailable(res: Response, kind: 'json' | 'html' = 'json'): void {
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  expect(res.headers.location).toBeUndefined();
  if (kind === 'json') {
    expect(res.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/database/i) });
  } else {
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toMatch(/database/i);
  }
}

const describeWithCluster = clusterToolsAvailable() ? describe : describe.skip;

describeWithCluster('database faults (a PostgreSQL cluster of its own)', () => {
  let cluster: TestCluster | undefined;
  let t: TestApp;
  let admin: TestUser;
  let apiToken: string;
  let clientId: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'crt-faults-'));

  const me = (token: string) => t.http().get(`${API}/auth/me`).auth(token, { type: 'bearer' });

  /** Polls until the request answers 200: the service must come back by itself once the database does. */
  async function recovered(make: () => Test): Promise<Response> {
    const until = Date.now() + 180_000;
    for (;;) {
      const res = await make();
      if (res.status === 200) return res;
      if (Date.now() > until) throw new Error(`The service did not recover: still ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(500);
    }
  }

  /** A UI session: the session cookie plus the CSRF cookie and token of a page. */
  async function uiLoginForm(): Promise<{ cookie: string; token: string }> {
    const page = await t.http().get('/login').expect(200);
    const cookie = (page.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).find((c) => c.startsWith('crt_csrf='))!;
    return { cookie, token: /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? /data-csrf-token="([^"]+)"/.exec(page.text)![1] };
  }

  /** Every way in while the database is away: API (JWT, API token, sign-in), web UI (page, sign-in) and health. */
  async function expectEverythingUnavailable(): Promise<void> {
    expectUnavailable(await me(admin.token));
    expectUnavailable(await me(apiToken));
    expectUnavailable(await t.http().post(`${API}/auth/login`).send({ email: admin.email, password: TEST_PASSWORD }));
    expectUnavailable(await t.http().get('/').set('Cookie', `crt_session=${admin.token}`), 'html');
    expectUnavailable(await t.http().get(`/ui/clients/${clientId}`).set('Cookie', `crt_session=${admin.token}`), 'html');
    const form = await uiLoginForm();
    const uiLogin = await t.http().post('/login').set('Cookie', form.cookie).type('form').send({ email: admin.email, password: TEST_PASSWORD, _csrf: form.token });
    expectUnavailable(uiLogin, 'html');
    expect(uiLogin.headers['set-cookie']?.toString() ?? '').not.toContain('crt_session=ey');
    const health = await t.http().get('/health');
    expect(health.status).toBe(503);
    expect(health.headers['retry-after']).toMatch(/^\d+$/);
    expect(health.body).toMatchObject({ statusCode: 503, details: { database: 'down' } });
  }

  async function expectEverythingBack(): Promise<void> {
    await recovered(() => me(admin.token));
    await me(apiToken).expect(200);
    await t.http().post(`${API}/auth/login`).send({ email: admin.email, password: TEST_PASSWORD }).expect(200);
    await t.http().get('/').set('Cookie', `crt_session=${admin.token}`).expect(200);
    await recovered(() => t.http().get('/health'));
  }

  beforeAll(async () => {
    cluster = await TestCluster.create();
    // The cluster's own login both migrates and serves: the run's owner role (DATABASE_OWNER_URL on PostgreSQL runs)
    // belongs to the shared server, not to this cluster.
    t = await TestApp.create({ DATABASE_URL: cluster.url, DATABASE_OWNER_URL: undefined, DATABASE_POOL_SIZE: '4', DATA_DIR: dataDir, ...TIMEOUTS });
    admin = await t.user({ admin: true });
    apiToken = (await t.http().post(`${API}/auth/tokens`).auth(admin.token, { type: 'bearer' }).send({ name: 'faults' }).expect(201)).body.token;
    clientId = (await t.http().post(`${API}/clients`).auth(admin.token, { type: 'bearer' }).send({ name: 'Faulty Co' }).expect(201)).body.id;
  }, SLOW);

  afterAll(async () => {
    await t?.close().catch(() => undefined);
    cluster?.drop();
  }, SLOW);

  it('sets the statement and idle-in-transaction timeouts on the service connections', async () => {
    const [row] = await t.dataSource.query(`SELECT current_setting('statement_timeout') AS s, current_setting('idle_in_transaction_session_timeout') AS i`);
    expect(row).toEqual({ s: '3s', i: '2min' });
  });

  it('stopped: every signed-in request, sign-in and health answer 503 with Retry-After (never 401, never a redirect to sign-in); restarted: all succeed again without restarting the service', async () => {
    await me(admin.token).expect(200);
    cluster!.stop('immediate');
    try {
      await expectEverythingUnavailable();
    } finally {
      cluster!.start();
    }
    await expectEverythingBack();
  }, SLOW);

  it('frozen (SIGSTOP): requests end with 503 instead of hanging, and succeed again once it resumes', async () => {
    await me(admin.token).expect(200);
    cluster!.freeze();
    try {
      await expectEverythingUnavailable();
      // More requests than pooled connections: the pool must not stay stuck on connections waiting for answers.
      const many = await Promise.all(Array.from({ length: 6 }, () => me(admin.token)));
      for (const res of many) expectUnavailable(res);
    } finally {
      cluster!.thaw();
    }
    await expectEverythingBack();
  }, SLOW);

  it('a slow statement is stopped by the server (503, told apart from a stall); long work gets its own timeout', async () => {
    const slow = await t.dataSource.query('SELECT pg_sleep(30)').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(DatabaseUnavailableException.from(slow)?.fault).toBe('slow-query');
    // 4 s: past the service's 3 s statement timeout (and its 5 s client bound minus nothing), within the long one.
    await expect(t.app.get(LongWork).read((tx) => tx.query('SELECT pg_sleep(4)'))).resolves.toBeDefined();
    // The long timeout was SET LOCAL: the next user of the connection has the service's again.
    const [row] = await t.dataSource.query(`SELECT current_setting('statement_timeout') AS s`);
    expect(row.s).toBe('3s');
    await t.http().get(`${API}/clients/${clientId}/reports/gap-analysis.json`).auth(admin.token, { type: 'bearer' }).expect(200);
  }, SLOW);

  it('a write abandoned during a freeze is never committed later by whoever reuses its connection', async () => {
    // Created by the cluster's superuser: the service's role may not create tables.
    const owner = new Client({ connectionString: cluster!.url });
    await owner.connect();
    await owner.query(`CREATE TABLE IF NOT EXISTS fault_marker (v text); GRANT SELECT, INSERT ON fault_marker TO PUBLIC`);
    await owner.end();
    const marker = `abandoned ${Date.now()}`;
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    cluster!.freeze();
    let failed: unknown;
    try {
      failed = await runner.query(`INSERT INTO fault_marker (v) VALUES ($1)`, [marker]).then(
        () => undefined,
        (e: unknown) => e,
      );
      await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    } finally {
      cluster!.thaw();
    }
    expect(DatabaseUnavailableException.from(failed)?.fault).toBe('stalled');
    await recovered(() => me(admin.token));
    // Every pooled connection, reused for a transaction of someone else's: none may carry the abandoned insert.
    for (let i = 0; i < 8; i++) await t.dataSource.transaction((tx) => tx.query('SELECT 1'));
    const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM fault_marker WHERE v = $1`, [marker]);
    expect(row.n).toBe(0);
  }, SLOW);

  describe.each(['stopped', 'frozen'] as const)('an upload whose database is %s after its bytes arrived', (fault) => {
    it('answers 503, and no record claims it', async () => {
      const title = `Upload while ${fault} ${Date.now()}`;
      const tmp = join(dataDir, 'tmp');
      mkdirSync(tmp, { recursive: true });
      const before = new Set(readdirSync(tmp, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name));
      const server = t.app.getHttpServer();
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;

      const boundary = `----faults${Date.now()}`;
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${title}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="policy.txt"\r\nContent-Type: text/plain\r\n\r\n`,
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const chunk = Buffer.alloc(256 * 1024, 'a');
      const answer = new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, method: 'POST', path: `${API}/clients/${clientId}/evidence`, headers: { authorization: `Bearer ${admin.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + 2 * chunk.length + tail.length } },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
          },
        );
        req.on('error', reject);
        req.write(Buffer.concat([head, chunk]));
        void (async () => {
          // The bytes are arriving once the service writes its temporary file: the guard and its queries are behind.
          const until = Date.now() + 120_000;
          const started = () => readdirSync(tmp).some((f) => !before.has(f) && statSync(join(tmp, f)).size > 0);
          while (!started()) {
            if (Date.now() > until) return reject(new Error('the upload never started'));
            await sleep(100);
          }
          if (fault === 'stopped') cluster!.stop('immediate');
          else cluster!.freeze();
          req.end(Buffer.concat([chunk, tail]));
        })().catch(reject);
      });

      let res: Awaited<typeof answer>;
      try {
        res = await answer;
      } finally {
        if (fault === 'stopped') cluster!.start();
        else cluster!.thaw();
      }
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(JSON.parse(res.body)).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });

      await recovered(() => me(admin.token));
      const rows = await t.dataSource.query(`SELECT count(*)::int AS n FROM evidence WHERE client_id = $1 AND title = $2`, [clientId, title]);
      expect(rows[0].n).toBe(0);
      const list = await t.http().get(`${API}/clients/${clientId}/evidence`).auth(admin.token, { type: 'bearer' }).expect(200);
      expect(list.body.items.map((e: { title: string }) => e.title)).not.toContain(title);
      // And the same upload, once the database is back, is stored.
      await t.http().post(`${API}/clients/${clientId}/evidence`).auth(admin.token, { type: 'bearer' }).field('title', title).attach('file', Buffer.alloc(512 * 1024, 'a'), 'policy.txt').expect(201);
    }, SLOW);
  });
});
