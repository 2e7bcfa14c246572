import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

import { bareEnv, builtService, freePort, ServiceProcess } from '../utils/built-service';

const adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
// Two instances need a database server: PGlite serves one process (the first-run test covers it).
const onPostgres = adminUrl ? describe : describe.skip;

/** Two instances started at the same moment on one empty PostgreSQL database: both come up, one admin exists. */
onPostgres('first admin with two instances starting together', () => {
  const name = `crt_race_${process.pid}_${Date.now()}`;
  let url: string;
  const dirs: string[] = [];
  const services: ServiceProcess[] = [];

  const sql = async <T>(target: string, text: string, params: unknown[] = []): Promise<T[]> => {
    const c = new Client({ connectionString: target });
    await c.connect();
    try {
      return (await c.query(text, params)).rows as T[];
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    await sql(adminUrl!, `CREATE DATABASE ${name}`);
    const u = new URL(adminUrl!);
    u.pathname = `/${name}`;
    url = u.toString();
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await sql(adminUrl!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }, 180_000);

  it('creates exactly one admin and one bootstrap event, prints the password once, and both instances serve it', async () => {
    const dist = await builtService();
    const ports = [await freePort(), await freePort()];
    for (const port of ports) {
      const dir = mkdtempSync(join(tmpdir(), 'crt-race-'));
      dirs.push(dir);
      services.push(ServiceProcess.start(dist, 'src/main.js', [], bareEnv({ DATABASE_URL: url, DATA_DIR: dir, PORT: String(port), LOG_LEVEL: 'warn' })));
    }
    await Promise.all(services.map((s, i) => s.waitHealthy(`http://127.0.0.1:${ports[i]}/health`)));

    const admins = await sql<{ email: string }>(url, `SELECT email FROM app_user`);
    expect(admins).toEqual([{ email: 'admin@localhost' }]);
    const events = await sql(url, `SELECT 1 FROM audit_event WHERE action = 'user.bootstrap'`);
    expect(events).toHaveLength(1);
    const printed = services.map((s) => /First run: created admin \S+ with password (\S+)/.exec(s.printed));
    expect(printed.filter(Boolean)).toHaveLength(1);
    const password = printed.find(Boolean)![1];

    for (const port of ports) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@localhost', password }),
      });
      expect(res.status).toBe(200);
    }
  }, 900_000);
});
