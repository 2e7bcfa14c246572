import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { dataSourceOptions, runMigrations } from 'src/database/data-source';
import { startEmbeddedDatabase } from 'src/database/embedded-database';

import { API, TEST_PASSWORD, TestApp } from '../utils/app';

describe('health', () => {
  it('reports the database up, then 503 once it is gone', async () => {
    const t = await TestApp.create();
    const ok = await t.http().get('/health').expect(200);
    expect(ok.body).toEqual({ status: 'ok', database: 'up' });
    await t.dataSource.destroy();
    const down = await t.http().get('/health').expect(503);
    expect(down.body).toMatchObject({ statusCode: 503, details: { database: 'down' } });
    await t.close().catch(() => undefined);
  });

  it('sends security headers and a request id on every response', async () => {
    const t = await TestApp.create();
    const res = await t.http().get('/health').expect(200);
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN', 'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    await t.close();
  });

  it('serves the OpenAPI document', async () => {
    const t = await TestApp.create();
    const doc = await t.http().get('/docs-json').expect(200);
    expect(doc.body.components.schemas).toHaveProperty('CreateClientDto');
    await t.close();
  });
});

describe('embedded database (no DATABASE_URL)', () => {
  it('starts on PGlite under DATA_DIR with the same migrations, creates the first admin and serves requests', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crt-embedded-'));
    const t = await TestApp.create({ DATABASE_URL: undefined, DATABASE_OWNER_URL: undefined, DATA_DIR: dataDir });
    try {
      await t.http().get('/health').expect(200);
      const login = await t.http().post(`${API}/auth/login`).send({ email: 'admin@test.local', password: TEST_PASSWORD }).expect(200);
      const token = login.body.accessToken;
      const frameworks = await t.http().get(`${API}/frameworks`).auth(token, { type: 'bearer' }).expect(200);
      expect(frameworks.body.map((f: { requirementCount: number }) => f.requirementCount).sort()).toEqual([280, 61, 78]);
      // The everyday flows, on one connection: anything that reads outside its own transaction would hang here.
      const auth = { type: 'bearer' as const };
      const client = (await t.http().post(`${API}/clients`).auth(token, auth).send({ name: 'Embedded Co' }).expect(201)).body;
      const member = (await t.http().post(`${API}/clients/${client.id}/members`).auth(token, auth).send({ email: 'new@embedded.local', role: 'member' }).expect(201)).body;
      await t.http().post(`${API}/clients/${client.id}/frameworks`).auth(token, auth).send({ framework: 'soc2' }).expect(201);
      const ctl = (await t.http().get(`${API}/clients/${client.id}/controls?search=CC6.1`).auth(token, auth).expect(200)).body.items[0];
      await t.http().patch(`${API}/clients/${client.id}/controls/${ctl.id}`).auth(token, auth).send({ status: 'implemented', ownerId: member.userId }).expect(200);
      await t.http().post(`${API}/clients/${client.id}/controls/bulk`).auth(token, auth).send({ filter: { section: 'CC1' }, set: { dueDate: '2030-01-01' } }).expect(200);
      const ev = (await t.http().post(`${API}/clients/${client.id}/evidence`).auth(token, auth).field('title', 'MFA settings').field('controlIds', ctl.id).attach('file', Buffer.from('mfa on'), 'mfa.txt').expect(201)).body;
      await t.http().post(`${API}/clients/${client.id}/evidence/${ev.id}/links`).auth(token, auth).send({ controlIds: [ctl.id] }).expect(200);
      await t.http().post(`${API}/clients/${client.id}/evidence/${ev.id}/review`).auth(token, auth).send({ decision: 'accepted' }).expect(200);
      const readiness = (await t.http().get(`${API}/clients/${client.id}/readiness`).auth(token, auth).expect(200)).body;
      expect(readiness.frameworks[0]).toMatchObject({ framework: 'soc2', met: 1 });
      const dash = (await t.http().get(`${API}/clients?include=readiness`).auth(token, auth).expect(200)).body;
      expect(dash.items[0].readiness[0].met).toBe(1);
      const pdf = await t.http().get(`${API}/clients/${client.id}/reports/gap-analysis.pdf`).auth(token, auth).expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      await t.http().delete(`${API}/clients/${client.id}/members/${member.userId}`).auth(token, auth).expect(204);
    } finally {
      await t.close();
    }
  }, 600_000); // a ceiling: a fresh PGlite migrates and loads the catalogs, minutes on a busy 2-core machine
});

describe('migrations', () => {
  it('apply on an empty database, revert completely, and apply again', async () => {
    // A database of its own: on the run's PostgreSQL server when there is one, else a fresh embedded PGlite.
    const adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
    const name = `${process.env.TEST_DATABASE_NAME}_mig`;
    let url: string;
    let cleanup: () => Promise<void>;
    if (adminUrl) {
      const admin = new Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const u = new URL(adminUrl);
      u.pathname = `/${name}`;
      url = u.toString();
      cleanup = async () => {
        await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await admin.end();
      };
    } else {
      const embedded = await startEmbeddedDatabase(mkdtempSync(join(tmpdir(), 'crt-mig-')));
      url = embedded.url;
      cleanup = () => embedded.stop();
    }
    const single = !adminUrl;
    const ds = await new DataSource(dataSourceOptions(url, { embedded: single })).initialize();
    try {
      await runMigrations(ds, { embedded: single });
      const tables = async () =>
        (await ds.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migration'`))[0].n;
      expect(await tables()).toBeGreaterThan(5);
      expect(await ds.showMigrations()).toBe(false);
      while ((await ds.query(`SELECT count(*)::int AS n FROM schema_migration`))[0].n > 0) await ds.undoLastMigration();
      expect(await tables()).toBe(0);
      await runMigrations(ds, { embedded: single });
      expect(await ds.showMigrations()).toBe(false);
    } finally {
      await ds.destroy();
      await cleanup();
    }
  });
});
