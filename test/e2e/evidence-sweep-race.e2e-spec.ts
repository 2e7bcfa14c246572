import { jest } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

import { EvidenceIntegrityService } from 'src/evidence/evidence-integrity.service';
import { EvidenceStoreService } from 'src/evidence/evidence-store.service';
import { EVIDENCE_STORAGE, type EvidenceStorage } from 'src/evidence/storage/evidence-storage';

import { API, binaryParser, TestApp } from '../utils/app';

const HOUR = 60 * 60 * 1000;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A promise the test opens when it chooses. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

/** Polls `ready` (each poll yields to the event loop and to I/O); no wall-clock assertion, the jest timeout bounds it. */
async function until(ready: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await ready())) await new Promise((r) => setTimeout(r, 20));
}

/**
 * The sweep against uploads in flight, with the dangerous interleavings forced through the real storage (a pause
 * injected after `put` or before `remove`), the real HTTP path and the real database, for each storage driver.
 * Every sweep below runs with a clock two hours ahead, so every object counts as older than the grace period: the
 * announcements, not the grace period, are what must protect uploads in flight.
 */
describe.each(['local disk', 'S3'] as const)('evidence sweep against uploads in flight (%s)', (driver) => {
  let s3: S3rver | undefined;
  let t: TestApp;
  let storage: EvidenceStorage;
  let integrity: EvidenceIntegrityService;
  const later = () => new Date(Date.now() + 2 * HOUR);

  beforeAll(async () => {
    const env: Record<string, string> = { DATA_DIR: mkdtempSync(join(tmpdir(), 'crt-race-')) };
    if (driver === 'S3') {
      s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: mkdtempSync(join(tmpdir(), 'crt-race-s3-')), configureBuckets: [{ name: 'race', configs: [] }] });
      const { port } = (await s3.run()) as unknown as { port: number };
      Object.assign(env, { S3_ENDPOINT: `http://127.0.0.1:${port}`, S3_BUCKET: 'race', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' });
    }
    t = await TestApp.create(env);
    storage = t.app.get<EvidenceStorage>(EVIDENCE_STORAGE);
    integrity = t.app.get(EvidenceIntegrityService);
  });
  afterAll(async () => {
    await t.close();
    await s3?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  const upload = (token: string, clientId: string, bytes: Buffer) =>
    t.http().post(`${API}/clients/${clientId}/evidence`).auth(token, { type: 'bearer' }).field('title', 'Race').attach('file', bytes, 'race.bin');

  /** Makes `put` store the bytes for real, then wait: the upload sits between store and commit until `resume`. */
  function pauseAfterStore() {
    const stored = gate();
    const resume = gate();
    const put = storage.put.bind(storage);
    jest.spyOn(storage, 'put').mockImplementation(async (...args) => {
      await put(...args);
      stored.open();
      await resume.opened;
    });
    return { stored: stored.opened, resume: resume.open };
  }

  /** Stores bytes that no record references (an orphan: its upload failed or its records went long ago). */
  async function storeOrphan(bytes: Buffer) {
    const temp = join(mkdtempSync(join(tmpdir(), 'crt-orphan-')), 'orphan');
    writeFileSync(temp, bytes);
    await storage.put(sha(bytes), temp, bytes.length);
    expect(await storage.exists(sha(bytes))).toBe(true);
  }

  /** The record's bytes come back whole, and verification finds them. */
  async function expectServed(c: { clientId: string; auditor: { token: string } }, id: string, bytes: Buffer) {
    const down = await t.http().get(`${API}/clients/${c.clientId}/evidence/${id}/content`).auth(c.auditor.token, { type: 'bearer' }).buffer(true).parse(binaryParser);
    expect(down.status).toBe(200);
    expect(sha(down.body)).toBe(sha(bytes));
    expect((await integrity.verify())!.missing).not.toContain(sha(bytes));
  }

  it('never removes new bytes between an upload storing them and committing its record', async () => {
    const c = await t.clientWithRoles();
    const bytes = randomBytes(40_000);
    const paused = pauseAfterStore();
    const res = upload(c.member.token, c.clientId, bytes).then((r) => r);
    await paused.stored;
    expect(await integrity.sweep(later())).not.toContain(sha(bytes));
    paused.resume();
    const done = await res;
    expect(done.status).toBe(201);
    await expectServed(c, done.body.id, bytes);
  });

  it('never removes long-orphaned bytes that an upload of the same file found already stored (dedupe)', async () => {
    const c = await t.clientWithRoles();
    const bytes = randomBytes(50_000);
    await storeOrphan(bytes);
    const paused = pauseAfterStore();
    const res = upload(c.member.token, c.clientId, bytes).then((r) => r);
    await paused.stored;
    expect(await integrity.sweep(later())).not.toContain(sha(bytes));
    paused.resume();
    const done = await res;
    expect(done.status).toBe(201);
    await expectServed(c, done.body.id, bytes);
    // Once referenced, later sweeps keep it too; an orphan nobody announced still goes (the sweep still works).
    const other = randomBytes(1000);
    await storeOrphan(other);
    const removed = await integrity.sweep(later());
    expect(removed).toContain(sha(other));
    expect(removed).not.toContain(sha(bytes));
  });

  it('lets a sweep that has decided to remove an orphan finish first, then stores the upload afresh', async () => {
    const c = await t.clientWithRoles();
    const bytes = randomBytes(60_000);
    await storeOrphan(bytes);
    // The upload has passed authentication and received its file, and waits just before storing it.
    const atStore = gate();
    const store = gate();
    const hold = EvidenceStoreService.prototype.hold;
    jest.spyOn(EvidenceStoreService.prototype, 'hold').mockImplementation(async function (this: EvidenceStoreService, ...args) {
      atStore.open();
      await store.opened;
      return hold.apply(this, args);
    });
    // The sweep has found the orphan unused and is about to remove it: hold it there.
    const deciding = gate();
    const proceed = gate();
    const remove = storage.remove.bind(storage);
    jest.spyOn(storage, 'remove').mockImplementation(async (h) => {
      if (h === sha(bytes)) {
        deciding.open();
        await proceed.opened;
      }
      await remove(h);
    });

    let settled = false;
    const res = upload(c.member.token, c.clientId, bytes).then((r) => ((settled = true), r));
    await atStore.opened;
    const sweeping = integrity.sweep(later());
    await deciding.opened;
    store.open();
    // Let the sweep go on once the upload has either finished (what the old code did, relying on the doomed object)
    // or is seen waiting for the sweep: for the object's lock on PostgreSQL, for the one connection on PGlite.
    const pool = (t.dataSource.driver as unknown as { master: { waitingCount: number } }).master;
    const waiting = async () =>
      process.env.TEST_DATABASE_KIND === 'postgresql'
        ? (await t.dataSource.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).length > 0
        : pool.waitingCount > 0;
    await until(async () => settled || (await waiting()));
    proceed.open();
    expect(await sweeping).toContain(sha(bytes));
    const done = await res;
    expect(done.status).toBe(201);
    await expectServed(c, done.body.id, bytes);
  });

  it('keeps bytes of identical uploads made all at once while sweeps run', async () => {
    const c = await t.clientWithRoles();
    const bytes = randomBytes(30_000);
    await storeOrphan(bytes);
    const uploads = Array.from({ length: 4 }, () => upload(c.member.token, c.clientId, bytes).then((r) => r));
    const sweeps = [integrity.sweep(later()), integrity.sweep(later())];
    const results = await Promise.all(uploads);
    await Promise.all(sweeps);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect((await integrity.sweep(later())) ?? []).not.toContain(sha(bytes));
    for (const r of results) await expectServed(c, r.body.id, bytes);
  });

  it('forgets a crashed upload after its announcement expires, and refuses an upload that outlived its own', async () => {
    const c = await t.clientWithRoles();
    // A crash after announcing and storing: the announcement stays; while it is young the bytes stay too.
    const crashed = randomBytes(20_000);
    await storeOrphan(crashed);
    await t.dataSource.query(`INSERT INTO evidence_upload_pending (sha256) VALUES ($1)`, [sha(crashed)]);
    expect(await integrity.sweep(later())).not.toContain(sha(crashed));
    await t.dataSource.query(`UPDATE evidence_upload_pending SET started_at = now() - interval '25 hours' WHERE sha256 = $1`, [sha(crashed)]);
    expect(await integrity.sweep(later())).toContain(sha(crashed));
    expect(await t.dataSource.query(`SELECT 1 FROM evidence_upload_pending WHERE sha256 = $1`, [sha(crashed)])).toEqual([]);

    // An upload paused for longer than the announcement lives: its bytes may be swept, and then it must not commit.
    const slow = randomBytes(20_000);
    const paused = pauseAfterStore();
    const res = upload(c.member.token, c.clientId, slow).then((r) => r);
    await paused.stored;
    await t.dataSource.query(`UPDATE evidence_upload_pending SET started_at = now() - interval '25 hours' WHERE sha256 = $1`, [sha(slow)]);
    expect(await integrity.sweep(later())).toContain(sha(slow));
    paused.resume();
    const done = await res;
    expect(done.status).toBe(503);
    expect(done.body).toMatchObject({ statusCode: 503, message: expect.stringMatching(/upload the file again/) });
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM evidence WHERE client_id = $1`, [c.clientId]);
    expect(n).toBe(0);
    // Uploading again works.
    const again = await upload(c.member.token, c.clientId, slow);
    expect(again.status).toBe(201);
    await expectServed(c, again.body.id, slow);
  });
});
