import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

import { AuditVerifyService, type ChainReport } from 'src/audit/audit-verify.service';
import { AuditRepository } from 'src/audit/audit.repository';
import { dataSourceOptions, runMigrations } from 'src/database/data-source';
import { serviceRoleStatus } from 'src/database/service-role';
import { API, TestApp, TestUser } from '../utils/app';

const auth = { type: 'bearer' as const };
const onPostgres = process.env.TEST_DATABASE_KIND === 'postgresql';

/**
 * Runs SQL as someone who may do anything: on PostgreSQL the run's superuser; on PGlite (one session, switched to
 * the service role) the session's superuser login, switched back afterwards.
 */
async function asSuperuser<T>(ds: DataSource, fn: (q: (sql: string, params?: unknown[]) => Promise<unknown[]>) => Promise<T>): Promise<T> {
  if (onPostgres) {
    const c = new Client({ connectionString: process.env.TEST_DATABASE_SUPERUSER_URL });
    await c.connect();
    try {
      return await fn(async (sql, params) => (await c.query(sql, params)).rows);
    } finally {
      await c.end();
    }
  }
  const [{ role }] = await ds.query(`SELECT current_user AS role`);
  await ds.query('RESET ROLE');
  try {
    return await fn((sql, params) => ds.query(sql, params));
  } finally {
    await ds.query(`SET ROLE "${role}"`);
  }
}

/** Runs SQL as the owner of the tables (what migrations run as). */
async function asOwner<T>(ds: DataSource, fn: (q: (sql: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  if (!onPostgres) return asSuperuser(ds, fn);
  const c = new Client({ connectionString: process.env.DATABASE_OWNER_URL });
  await c.connect();
  try {
    return await fn((sql) => c.query(sql));
  } finally {
    await c.end();
  }
}

describe('audit trail', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  const verify = async (admin: TestUser) => (await t.http().get(`${API}/admin/audit/verify`).auth(admin.token, auth).expect(200)).body;
  const chainOf = async (admin: TestUser, clientId: string | null): Promise<ChainReport> =>
    (await verify(admin)).chains.find((c: ChainReport) => c.clientId === clientId);
  const events = (clientId: string) =>
    t.dataSource.query(`SELECT id::text AS id, chain_seq::int AS seq, action, before, after FROM audit_event WHERE client_id = $1 ORDER BY chain_seq`, [clientId]);

  describe('against the database role the service runs as', () => {
    it('the service role may add and read events, never change, erase, or switch off their protection', async () => {
      const { clientId } = await t.clientWithRoles();
      const status = await serviceRoleStatus(t.dataSource);
      expect(status).toMatchObject({ superuser: false, canRewriteAudit: false });
      const q = (sql: string) => t.dataSource.query(sql, sql.includes('$1') ? [clientId] : []);
      await expect(q(`UPDATE audit_event SET action = 'forged' WHERE client_id = $1`)).rejects.toThrow(/permission denied/);
      await expect(q(`DELETE FROM audit_event WHERE client_id = $1`)).rejects.toThrow(/permission denied/);
      await expect(q(`TRUNCATE audit_event`)).rejects.toThrow(/permission denied/);
      await expect(q(`ALTER TABLE audit_event DISABLE TRIGGER trg_audit_event__append_only`)).rejects.toThrow(/must be owner/);
      await expect(q(`DROP TRIGGER trg_audit_event__append_only ON audit_event`)).rejects.toThrow(/must be owner/);
      await expect(q(`ALTER TABLE audit_event DROP CONSTRAINT chk_audit_event__chained`)).rejects.toThrow(/must be owner/);
      await expect(q(`CREATE TRIGGER x BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()`)).rejects.toThrow(
        /permission denied|must be owner/,
      );
      await expect(q(`DELETE FROM schema_migration`)).rejects.toThrow(/permission denied/);
      expect((await q(`SELECT count(*)::int AS n FROM audit_event WHERE client_id = $1`))[0].n).toBeGreaterThan(0);
    });

    it('covers tables that later migrations create, without their authors granting anything', async () => {
      const table = `probe_${Date.now()}`;
      await asOwner(t.dataSource, (q) => q(`CREATE TABLE ${table} (id int PRIMARY KEY, v text)`));
      try {
        await t.dataSource.query(`INSERT INTO ${table} VALUES (1, 'a')`);
        await t.dataSource.query(`UPDATE ${table} SET v = 'b'`);
        await t.dataSource.query(`DELETE FROM ${table}`);
      } finally {
        await asOwner(t.dataSource, (q) => q(`DROP TABLE ${table}`));
      }
    });
  });

  describe('hash chain', () => {
    it('stays one unbroken chain under many concurrent writers on one client', async () => {
      const { clientId, consultant, admin } = await t.clientWithRoles();
      await t.http().post(`${API}/clients/${clientId}/frameworks`).auth(consultant.token, auth).send({ framework: 'soc2' }).expect(201);
      const controls = (await t.http().get(`${API}/clients/${clientId}/controls?pageSize=24`).auth(consultant.token, auth).expect(200)).body.items;
      await Promise.all([
        ...controls.map((c: { id: string }, i: number) =>
          t
            .http()
            .patch(`${API}/clients/${clientId}/controls/${c.id}`)
            .auth(consultant.token, auth)
            .send({ status: i % 2 ? 'implemented' : 'in_progress' })
            .expect(200),
        ),
        ...[1, 2, 3, 4].map((i) => t.http().patch(`${API}/clients/${clientId}`).auth(consultant.token, auth).send({ description: `d${i}` }).expect(200)),
      ]);
      const rows = await events(clientId);
      expect(rows.map((r: { seq: number }) => r.seq)).toEqual(rows.map((_: unknown, i: number) => i + 1));
      const chain = await chainOf(admin, clientId);
      expect(chain).toMatchObject({ checked: rows.length, firstBreak: null, head: { position: rows.length } });
      expect(rows.length).toBeGreaterThanOrEqual(2 + 24 + 4);
    }, 180_000);

    it('reports no break on a clean trail, and the instance chain holds too', async () => {
      const { clientId, consultant, admin } = await t.clientWithRoles();
      await t.http().patch(`${API}/clients/${clientId}`).auth(consultant.token, auth).send({ description: 'clean' }).expect(200);
      const report = await verify(admin);
      expect(report.chains.find((c: ChainReport) => c.clientId === clientId)).toMatchObject({ firstBreak: null, checked: 3 });
      expect(report.chains.find((c: ChainReport) => c.clientId === null)).toMatchObject({ firstBreak: null });
      expect(report.unchained).toBe(0);
    });

    it('catches an owner or superuser who rewrites an event and recomputes its SHA-256 without the key', async () => {
      const { clientId, consultant, admin } = await t.clientWithRoles();
      for (const d of ['one', 'two', 'three']) {
        await t.http().patch(`${API}/clients/${clientId}`).auth(consultant.token, auth).send({ description: d }).expect(200);
      }
      const rows = await events(clientId);
      const victim = rows[3];
      await asSuperuser(t.dataSource, async (q) => {
        await q(`ALTER TABLE audit_event DISABLE TRIGGER trg_audit_event__append_only`);
        try {
          // Plain rewrite: the content no longer matches its hash.
          await q(`UPDATE audit_event SET after = '{"name":"x","description":"forged"}' WHERE id = $1`, [victim.id]);
        } finally {
          await q(`ALTER TABLE audit_event ENABLE TRIGGER trg_audit_event__append_only`);
        }
      });
      expect((await chainOf(admin, clientId)).firstBreak).toEqual({ position: victim.seq, eventId: victim.id, reason: 'content_hash' });

      // Recompute the hash as the service would, with every public input: only the seal is out of reach.
      const { linkHash } = await import('src/audit/audit-chain');
      const [row] = (await asSuperuser(t.dataSource, (q) =>
        q(`SELECT at, actor_user_id, client_id, action, entity_type, entity_id, before, after, prev_hash FROM audit_event WHERE id = $1`, [victim.id]),
      )) as Record<string, unknown>[];
      const content = {
        at: (row.at as Date).toISOString(),
        actorUserId: row.actor_user_id as string,
        clientId: row.client_id as string,
        action: row.action as string,
        entityType: row.entity_type as string,
        entityId: row.entity_id as string,
        before: row.before,
        after: row.after,
      };
      const forgedHash = linkHash(content, victim.seq, row.prev_hash as string);
      const forgedSeal = createHash('sha256').update(forgedHash).digest('hex');
      await asSuperuser(t.dataSource, async (q) => {
        await q(`ALTER TABLE audit_event DISABLE TRIGGER trg_audit_event__append_only`);
        try {
          await q(`UPDATE audit_event SET hash = $2, hmac = $3 WHERE id = $1`, [victim.id, forgedHash, forgedSeal]);
          // ...and relink the next event to it, so that only the missing key gives the forgery away.
          const next = rows[4];
          const [n] = (await q(`SELECT at, actor_user_id, client_id, action, entity_type, entity_id, before, after FROM audit_event WHERE id = $1`, [
            next.id,
          ])) as Record<string, unknown>[];
          const nextHash = linkHash(
            {
              at: (n.at as Date).toISOString(),
              actorUserId: n.actor_user_id as string,
              clientId: n.client_id as string,
              action: n.action as string,
              entityType: n.entity_type as string,
              entityId: n.entity_id as string,
              before: n.before,
              after: n.after,
            },
            next.seq,
            forgedHash,
          );
          await q(`UPDATE audit_event SET prev_hash = $2, hash = $3 WHERE id = $1`, [next.id, forgedHash, nextHash]);
        } finally {
          await q(`ALTER TABLE audit_event ENABLE TRIGGER trg_audit_event__append_only`);
        }
      });
      const chain = await chainOf(admin, clientId);
      expect(chain.firstBreak).toEqual({ position: victim.seq, eventId: victim.id, reason: 'hmac' });
      expect(chain.checked).toBe(rows.length);
    });

    it('reports an event deleted from the middle of a chain', async () => {
      const { clientId, consultant, admin } = await t.clientWithRoles();
      for (const d of ['one', 'two']) {
        await t.http().patch(`${API}/clients/${clientId}`).auth(consultant.token, auth).send({ description: d }).expect(200);
      }
      const rows = await events(clientId);
      await asSuperuser(t.dataSource, async (q) => {
        await q(`ALTER TABLE audit_event DISABLE TRIGGER trg_audit_event__append_only`);
        try {
          await q(`DELETE FROM audit_event WHERE id = $1`, [rows[2].id]);
        } finally {
          await q(`ALTER TABLE audit_event ENABLE TRIGGER trg_audit_event__append_only`);
        }
      });
      expect((await chainOf(admin, clientId)).firstBreak).toEqual({ position: 3, eventId: rows[3].id, reason: 'missing' });
    });

    it('prints the client chain head in the JSON and CSV reports', async () => {
      const { clientId, consultant, admin } = await t.clientWithRoles();
      await t.http().post(`${API}/clients/${clientId}/frameworks`).auth(consultant.token, auth).send({ framework: 'soc2' }).expect(201);
      const head = (await chainOf(admin, clientId)).head!;
      const json = await t.http().get(`${API}/clients/${clientId}/reports/gap-analysis.json`).auth(consultant.token, auth).expect(200);
      expect(json.body.auditChainHead).toEqual(head);
      // The head as the report is built: each download's own event comes after it.
      const next = (await chainOf(admin, clientId)).head!;
      expect(next.position).toBe(head.position + 1);
      const csv = await t.http().get(`${API}/clients/${clientId}/reports/gap-analysis.csv`).auth(consultant.token, auth).expect(200);
      expect(csv.text.trim().split('\n').pop()).toBe(`#audit-chain-head,${next.position},${next.hash},,,,,,,,,,`);
    });
  });

  describe('no event for a change that changed nothing; real before/after', () => {
    it('client, user and evidence changes that change nothing write nothing', async () => {
      const { clientId, consultant, admin } = await t.clientWithRoles();
      const name = (await t.http().get(`${API}/clients/${clientId}`).auth(consultant.token, auth)).body.name;
      const n = (await events(clientId)).length;
      await t.http().patch(`${API}/clients/${clientId}`).auth(consultant.token, auth).send({ name }).expect(200);
      await t.http().patch(`${API}/clients/${clientId}`).auth(consultant.token, auth).send({}).expect(200);
      expect((await events(clientId)).length).toBe(n);

      const user = await t.user();
      const count = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = $1`, [user.id]))[0].n;
      const before = await count();
      await t.http().patch(`${API}/users/${user.id}`).auth(admin.token, auth).send({ active: true }).expect(200);
      expect(await count()).toBe(before);
    });

    it('link, unlink and withdraw record the links and state before and after; unlinking nothing records nothing', async () => {
      const { clientId, consultant } = await t.clientWithRoles();
      await t.http().post(`${API}/clients/${clientId}/frameworks`).auth(consultant.token, auth).send({ framework: 'soc2' }).expect(201);
      const [a, b] = (await t.http().get(`${API}/clients/${clientId}/controls?pageSize=2`).auth(consultant.token, auth).expect(200)).body.items.map(
        (c: { id: string }) => c.id,
      );
      const ev = (
        await t.http().post(`${API}/clients/${clientId}/evidence`).auth(consultant.token, auth).field('title', 'Policy').field('controlIds', a).attach('file', Buffer.from('p'), 'p.txt').expect(201)
      ).body;
      const sorted = [a, b].sort();
      await t.http().post(`${API}/clients/${clientId}/evidence/${ev.id}/links`).auth(consultant.token, auth).send({ controlIds: [b] }).expect(200);
      const n = (await events(clientId)).length;
      await t.http().delete(`${API}/clients/${clientId}/evidence/${ev.id}/links`).auth(consultant.token, auth).send({ controlIds: [b, b] }).expect(200);
      await t.http().delete(`${API}/clients/${clientId}/evidence/${ev.id}/links`).auth(consultant.token, auth).send({ controlIds: [b] }).expect(200);
      await t.http().post(`${API}/clients/${clientId}/evidence/${ev.id}/withdraw`).auth(consultant.token, auth).send({ reason: 'superseded' }).expect(200);
      const rows = await events(clientId);
      expect(rows.length).toBe(n + 2);
      const byAction = (action: string) => rows.filter((r: { action: string }) => r.action === action);
      expect(byAction('evidence.link')[0]).toMatchObject({ before: { linked: [a] }, after: { linked: sorted } });
      expect(byAction('evidence.unlink')).toHaveLength(1);
      expect(byAction('evidence.unlink')[0]).toMatchObject({ before: { linked: sorted }, after: { linked: [a] } });
      expect(byAction('evidence.withdraw')[0]).toMatchObject({
        before: { withdrawnAt: null, withdrawReason: null },
        after: { withdrawnAt: expect.any(String), withdrawReason: 'superseded' },
      });
    });
  });

  describe('instance-level events (admin API)', () => {
    it('lets an admin read user and token events, paginated and filtered', async () => {
      const admin = await t.user({ admin: true });
      const created = (
        await t.http().post(`${API}/users`).auth(admin.token, auth).send({ email: `audit-${Date.now()}@test.local`, name: 'Audited', password: 'a long enough password' }).expect(201)
      ).body;
      const res = await t.http().get(`${API}/admin/audit-events?entityType=user&entityId=${created.id}`).auth(admin.token, auth).expect(200);
      expect(res.body).toMatchObject({ total: 1, page: 1, items: [{ action: 'user.create', clientId: null, actorUserId: admin.id, chainPosition: expect.any(Number) }] });
      const paged = await t.http().get(`${API}/admin/audit-events?pageSize=1&page=2`).auth(admin.token, auth).expect(200);
      expect(paged.body).toMatchObject({ page: 2, pageSize: 1, items: [expect.objectContaining({ clientId: null })] });
    });

    it('answers 400 to bad filters', async () => {
      const admin = await t.user({ admin: true });
      for (const q of ['from=yesterday', 'actorId=42', 'entityType=DROP%20TABLE', 'pageSize=0', 'page=-1', 'clientId=x']) {
        const res = await t.http().get(`${API}/admin/audit-events?${q}`).auth(admin.token, auth);
        expect([q, res.status]).toEqual([q, 400]);
      }
    });

    it('refuses every non-admin (403) and the anonymous (401)', async () => {
      const c = await t.clientWithRoles();
      for (const path of ['/admin/audit-events', '/admin/audit/verify']) {
        for (const who of [c.consultant, c.member, c.auditor, c.outsider]) {
          await t.http().get(`${API}${path}`).auth(who.token, auth).expect(403);
        }
        await t.http().get(`${API}${path}`).expect(401);
        await t.http().get(`${API}${path}`).auth(c.admin.token, auth).expect(200);
      }
    });

    it('shows admins the instance trail, its chain head and, on request, the verification in the web UI', async () => {
      const c = await t.clientWithRoles();
      const get = (who: TestUser, path: string) => t.http().get(path).set('Cookie', `crt_session=${who.token}`);
      const page = await get(c.admin, '/ui/audit').expect(200);
      expect(page.text).toMatch(/Head of the instance chain:\s*<strong>#\d+<\/strong> <code>[0-9a-f]{64}<\/code>/);
      expect(page.text).toContain('user.bootstrap');
      expect((await get(c.admin, '/ui/audit?verify=1').expect(200)).text).toMatch(/every link holds|has been altered/);
      expect((await get(c.admin, '/ui/users').expect(200)).text).toContain('href="/ui/audit"');
      expect((await get(c.admin, '/ui/audit?entityType=NOT%20VALID').expect(200)).text).toContain('entityType must be');
      for (const who of [c.consultant, c.member, c.auditor, c.outsider]) await get(who, '/ui/audit').expect(403);
    });
  });
});

describe('events recorded before chaining began', () => {
  it('are counted as unchained, not reported as breaks, and the chain starts after them', async () => {
    // A database of its own, migrated up to the release before chaining, with history already in it.
    let url: string;
    let cleanup: () => Promise<void>;
    const adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
    if (adminUrl) {
      const name = `${process.env.TEST_DATABASE_NAME}_chain`;
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
      const db = await PGlite.create();
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
      await server.start();
      url = `postgres://postgres@${server.getServerConn()}/postgres`;
      cleanup = async () => {
        await server.stop();
        await db.close();
      };
    }
    const single = !adminUrl;
    const ds = await new DataSource(dataSourceOptions(url, { embedded: single })).initialize();
    try {
      await runMigrations(ds, { embedded: single });
      // Back to just before chaining (later migrations of others included), then history written the old way.
      const chained = async () => (await ds.query(`SELECT 1 FROM schema_migration WHERE name = 'ChainAuditEvents1764200000000'`)).length > 0;
      while (await chained()) await ds.undoLastMigration({ transaction: 'each' });
      await ds.query(`INSERT INTO audit_event (actor_user_id, client_id, action, entity_type, entity_id) VALUES (NULL, NULL, 'legacy.one', 'user', 'x'), (NULL, NULL, 'legacy.two', 'user', 'y')`);
      await runMigrations(ds, { embedded: single });
      const key = 'k'.repeat(40);
      const { extendChain } = await import('src/audit/audit-chain');
      const repo = new AuditRepository(ds);
      await ds.transaction(async (tx) => {
        const content = { at: new Date().toISOString(), actorUserId: null, clientId: null, action: 'user.create', entityType: 'user', entityId: 'z', before: null, after: { a: 1 } };
        await repo.insertMany(tx, [{ ...content, ...extendChain(key, content, await repo.findChainHead(null, tx)) }]);
      });
      const report = await new AuditVerifyService(repo, key).verify();
      expect(report).toEqual({ ok: true, unchained: 2, chains: [expect.objectContaining({ clientId: null, checked: 1, firstBreak: null, head: expect.objectContaining({ position: 1 }) })] });
    } finally {
      await ds.destroy();
      await cleanup();
    }
  }, 400_000); // two migration runs on a fresh database: minutes on a loaded machine
});
