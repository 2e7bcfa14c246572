import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Test } from 'supertest';

import { EvidenceIntegrityService } from 'src/evidence/evidence-integrity.service';
import { ReadinessService } from 'src/readiness/readiness.service';

import { API, binaryParser, day, TestApp } from '../utils/app';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file below a directory, recursively. */
const filesIn = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesIn(join(dir, d.name)) : [join(dir, d.name)])) : [];

/** Polls a condition until it holds; gives up (and lets the assertions after it fail) after a generous ceiling. */
async function until(condition: () => boolean, ceilingMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + ceilingMs; !condition() && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
}

describe('evidence', () => {
  let t: TestApp;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crt-evidence-'));
    t = await TestApp.create({ DATA_DIR: dataDir, UPLOAD_MAX_BYTES: String(16 * 1024 * 1024) });
  });
  afterAll(() => t.close());

  async function setup() {
    const c = await t.clientWithRoles();
    for (const framework of ['soc2', 'hipaa']) {
      await t.http().post(`${API}/clients/${c.clientId}/frameworks`).auth(c.consultant.token, { type: 'bearer' }).send({ framework }).expect(201);
    }
    const controls: { id: string; ref: string; framework: string }[] = (
      await t.http().get(`${API}/clients/${c.clientId}/controls?pageSize=500`).auth(c.consultant.token, { type: 'bearer' }).expect(200)
    ).body.items;
    const byRef = (ref: string) => controls.find((x) => x.ref === ref)!;
    return { ...c, controls, byRef };
  }

  const upload = (token: string, clientId: string, file: Buffer, opts: { filename?: string; contentType?: string; fields?: Record<string, string> } = {}) => {
    let req = t.http().post(`${API}/clients/${clientId}/evidence`).auth(token, { type: 'bearer' });
    for (const [k, v] of Object.entries({ title: 'Evidence', ...opts.fields })) req = req.field(k, v);
    return req.attach('file', file, { filename: opts.filename ?? 'proof.bin', contentType: opts.contentType ?? 'application/octet-stream' });
  };

  it('streams a multi-MiB upload whose SHA-256 matches sha256sum of the same file, and serves it back', async () => {
    const c = await setup();
    const bytes = randomBytes(5 * 1024 * 1024 + 123);
    const path = join(mkdtempSync(join(tmpdir(), 'crt-up-')), 'big.bin');
    writeFileSync(path, bytes);
    const expected = execFileSync('sha256sum', [path]).toString().split(' ')[0];
    const res = await upload(c.member.token, c.clientId, bytes, { filename: 'big.bin', fields: { title: 'Export', controlIds: c.byRef('CC6.1').id } }).expect(201);
    expect(res.body).toMatchObject({ sha256: expected, size: bytes.length, mediaType: 'application/octet-stream', reviewState: 'pending', originalFilename: 'big.bin', current: false });
    expect(res.body.links.map((l: { ref: string }) => l.ref)).toEqual(['CC6.1']);
    const down = await t.http().get(`${API}/clients/${c.clientId}/evidence/${res.body.id}/content`).auth(c.auditor.token, { type: 'bearer' }).buffer(true).parse(binaryParser).expect(200);
    expect(sha(down.body)).toBe(expected);
    expect(down.headers.etag).toBe(`"${expected}"`);
    expect(filesIn(join(dataDir, 'tmp'))).toEqual([]);
  });

  it('stores identical bytes once, however many records point to them', async () => {
    const c = await setup();
    const bytes = randomBytes(100_000);
    const a = await upload(c.member.token, c.clientId, bytes, { fields: { title: 'first' } }).expect(201);
    const b = await upload(c.consultant.token, c.clientId, bytes, { fields: { title: 'second' } }).expect(201);
    expect(a.body.id).not.toBe(b.body.id);
    expect(a.body.sha256).toBe(b.body.sha256);
    expect(filesIn(join(dataDir, 'evidence')).filter((f) => f.endsWith(sha(bytes)))).toHaveLength(1);
  });

  it('answers 413 over the limit and leaves nothing on disk or in the database', async () => {
    const c = await setup();
    const before = filesIn(join(dataDir, 'evidence')).length;
    const res = await upload(c.consultant.token, c.clientId, randomBytes(16 * 1024 * 1024 + 1), { fields: { title: 'too big' } });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM evidence WHERE client_id = $1`, [c.clientId]);
    expect(n).toBe(0);
    expect(filesIn(join(dataDir, 'tmp'))).toEqual([]);
    expect(filesIn(join(dataDir, 'evidence'))).toHaveLength(before);
  });

  it('leaves no row and no file when the client disconnects mid-upload', async () => {
    const c = await setup();
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const boundary = 'xxBOUNDARYxx';
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `${API}/clients/${c.clientId}/evidence`,
        headers: { authorization: `Bearer ${c.member.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(10 * 1024 * 1024) },
      });
      req.on('error', () => resolve());
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\ncut off\r\n`);
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
      req.write(randomBytes(2 * 1024 * 1024), () => setTimeout(() => (req.destroy(), resolve()), 200));
    });
    // The server notices the disconnect on its own schedule, and may not even have opened its temp file yet: wait until
    // a temp file has been seen and is gone again (the ceiling only bounds the wait; the assertion below decides).
    let seen = false;
    await until(() => {
      const n = filesIn(join(dataDir, 'tmp')).length;
      seen ||= n > 0;
      return seen && n === 0;
    });
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM evidence WHERE client_id = $1`, [c.clientId]);
    expect(n).toBe(0);
    expect(filesIn(join(dataDir, 'tmp'))).toEqual([]);
  });

  it('keeps a hostile filename only as a sanitized display name and serves it safely', async () => {
    const c = await setup();
    const name = '../../etc/"pa\nss"wd Zürich ✓.txt';
    const res = await upload(c.member.token, c.clientId, Buffer.from('hello'), { filename: name, contentType: 'text/plain' }).expect(201);
    expect(res.body.originalFilename).toBe('"pass"wd Zürich ✓.txt');
    expect(res.body.originalFilename).not.toMatch(/[/\\\n]/);
    const down = await t.http().get(`${API}/clients/${c.clientId}/evidence/${res.body.id}/content`).auth(c.member.token, { type: 'bearer' }).expect(200);
    const cd = down.headers['content-disposition'];
    expect(cd).toMatch(/^attachment; filename="[^"\n\\]*(\\"[^"\n\\]*)*"; filename\*=UTF-8''/);
    expect(cd).not.toMatch(/[\r\n]/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1])).toBe(res.body.originalFilename);
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(filesIn(dataDir).some((f) => f.includes('passwd') || f.includes('Zürich'))).toBe(false);
  });

  it('trusts the sniffed type over a lying Content-Type', async () => {
    const c = await setup();
    const png = await upload(c.member.token, c.clientId, PNG, { filename: 'shot.txt', contentType: 'text/plain' }).expect(201);
    expect(png.body.mediaType).toBe('image/png');
    const text = await upload(c.member.token, c.clientId, Buffer.from('plain words, not a PDF'), { filename: 'x.pdf', contentType: 'application/pdf' }).expect(201);
    expect(text.body.mediaType).toBe('text/plain');
    const down = await t.http().get(`${API}/clients/${c.clientId}/evidence/${png.body.id}/content`).auth(c.member.token, { type: 'bearer' }).expect(200);
    expect(down.headers['content-type']).toBe('image/png');
  });

  it('supports byte ranges and conditional requests', async () => {
    const c = await setup();
    const bytes = randomBytes(1000);
    const e = (await upload(c.member.token, c.clientId, bytes).expect(201)).body;
    const url = `${API}/clients/${c.clientId}/evidence/${e.id}/content`;
    const part = await t.http().get(url).auth(c.member.token, { type: 'bearer' }).set('Range', 'bytes=10-19').buffer(true).parse(binaryParser).expect(206);
    expect(part.headers['content-range']).toBe('bytes 10-19/1000');
    expect(Buffer.compare(part.body, bytes.subarray(10, 20))).toBe(0);
    await t.http().get(url).auth(c.member.token, { type: 'bearer' }).set('Range', 'bytes=5000-6000').expect(416);
    await t.http().get(url).auth(c.member.token, { type: 'bearer' }).set('If-None-Match', `"${e.sha256}"`).expect(304);
  });

  it.each([
    ['an empty file', (b: Test) => b.field('title', 'x').attach('file', Buffer.alloc(0), 'empty.txt'), 400],
    ['no file part', (b: Test) => b.field('title', 'x'), 400],
    ['no title', (b: Test) => b.attach('file', Buffer.from('x'), 'x.txt'), 400],
    ['an unknown field', (b: Test) => b.field('title', 'x').field('admin', 'true').attach('file', Buffer.from('x'), 'x.txt'), 400],
    ['a bad date', (b: Test) => b.field('title', 'x').field('validUntil', 'soon').attach('file', Buffer.from('x'), 'x.txt'), 400],
    ['validUntil before effectiveDate', (b: Test) => b.field('title', 'x').field('effectiveDate', '2026-05-01').field('validUntil', '2026-04-01').attach('file', Buffer.from('x'), 'x.txt'), 400],
    ['a bad control id', (b: Test) => b.field('title', 'x').field('controlIds', 'nope').attach('file', Buffer.from('x'), 'x.txt'), 400],
    ['an unknown control', (b: Test) => b.field('title', 'x').field('controlIds', '00000000-0000-4000-8000-000000000000').attach('file', Buffer.from('x'), 'x.txt'), 400],
  ])('answers %s with the right status and stores nothing', async (_label, build, status) => {
    const c = await setup();
    const res = await build(t.http().post(`${API}/clients/${c.clientId}/evidence`).auth(c.member.token, { type: 'bearer' }));
    expect(res.status).toBe(status);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM evidence WHERE client_id = $1`, [c.clientId]);
    expect(n).toBe(0);
  });

  it('refuses a JSON body', async () => {
    const c = await setup();
    await t.http().post(`${API}/clients/${c.clientId}/evidence`).auth(c.member.token, { type: 'bearer' }).send({ title: 'x' }).expect(400);
  });

  it('lets members upload and link, auditors download but not upload, and hides everything from non-members', async () => {
    const c = await setup();
    const e = (await upload(c.member.token, c.clientId, Buffer.from('member proof')).expect(201)).body;
    await t.http().post(`${API}/clients/${c.clientId}/evidence/${e.id}/links`).auth(c.member.token, { type: 'bearer' }).send({ controlIds: [c.byRef('CC1.1').id] }).expect(200);
    await upload(c.auditor.token, c.clientId, Buffer.from('x')).expect(403);
    await t.http().post(`${API}/clients/${c.clientId}/evidence/${e.id}/links`).auth(c.auditor.token, { type: 'bearer' }).send({ controlIds: [c.byRef('CC1.2').id] }).expect(403);
    await t.http().get(`${API}/clients/${c.clientId}/evidence/${e.id}/content`).auth(c.auditor.token, { type: 'bearer' }).expect(200);
    await t.http().get(`${API}/clients/${c.clientId}/evidence`).auth(c.auditor.token, { type: 'bearer' }).expect(200);
    await t.http().post(`${API}/clients/${c.clientId}/evidence/${e.id}/review`).auth(c.member.token, { type: 'bearer' }).send({ decision: 'accepted' }).expect(403);
    await t.http().post(`${API}/clients/${c.clientId}/evidence/${e.id}/review`).auth(c.auditor.token, { type: 'bearer' }).send({ decision: 'accepted' }).expect(403);
    await t.http().post(`${API}/clients/${c.clientId}/evidence/${e.id}/withdraw`).auth(c.member.token, { type: 'bearer' }).send({ reason: 'x' }).expect(403);
    for (const path of ['', `/${e.id}`, `/${e.id}/content`]) {
      await t.http().get(`${API}/clients/${c.clientId}/evidence${path}`).auth(c.outsider.token, { type: 'bearer' }).expect(404);
    }
    await upload(c.outsider.token, c.clientId, Buffer.from('x')).expect(404);
    const other = await setup();
    await t.http().get(`${API}/clients/${other.clientId}/evidence/${e.id}`).auth(other.consultant.token, { type: 'bearer' }).expect(404);
  });

  it("links only the client's own controls, and suggests mapped controls in its other frameworks", async () => {
    const c = await setup();
    const other = await setup();
    const e = (await upload(c.member.token, c.clientId, Buffer.from('access review'), { fields: { title: 'Access review', controlIds: c.byRef('CC6.1').id } }).expect(201)).body;
    await t.http().post(`${API}/clients/${c.clientId}/evidence/${e.id}/links`).auth(c.consultant.token, { type: 'bearer' }).send({ controlIds: [other.byRef('CC6.2').id] }).expect(400);
    const detail = (await t.http().get(`${API}/clients/${c.clientId}/evidence/${e.id}`).auth(c.consultant.token, { type: 'bearer' }).expect(200)).body;
    expect(detail.suggestions.length).toBeGreaterThan(0);
    expect(detail.suggestions.every((s: { framework: string; viaRef: string }) => s.framework === 'hipaa' && s.viaRef === 'CC6.1')).toBe(true);
    const pick = detail.suggestions[0];
    const linked = (await t.http().post(`${API}/clients/${c.clientId}/evidence/${e.id}/links`).auth(c.member.token, { type: 'bearer' }).send({ controlIds: [pick.controlId] }).expect(200)).body;
    expect(linked.links.map((l: { controlId: string }) => l.controlId)).toContain(pick.controlId);
    expect(linked.suggestions.map((s: { controlId: string }) => s.controlId)).not.toContain(pick.controlId);
    const unlinked = (await t.http().delete(`${API}/clients/${c.clientId}/evidence/${e.id}/links`).auth(c.member.token, { type: 'bearer' }).send({ controlIds: [pick.controlId] }).expect(200)).body;
    expect(unlinked.links.map((l: { controlId: string }) => l.controlId)).not.toContain(pick.controlId);
    const events = (await t.http().get(`${API}/clients/${c.clientId}/audit-events?entityType=evidence&entityId=${e.id}`).auth(c.consultant.token, { type: 'bearer' }).expect(200)).body;
    expect(events.items.map((x: { action: string }) => x.action)).toEqual(['evidence.unlink', 'evidence.link', 'evidence.upload']);
  });

  it('moves a control from partial to met when its evidence is accepted, and back when validUntil passes or it is withdrawn', async () => {
    const c = await setup();
    const ctl = c.byRef('CC7.2');
    const auth = (req: ReturnType<ReturnType<typeof t.http>['get']>) => req.auth(c.consultant.token, { type: 'bearer' });
    await auth(t.http().patch(`${API}/clients/${c.clientId}/controls/${ctl.id}`)).send({ status: 'implemented' }).expect(200);
    const state = async () => (await auth(t.http().get(`${API}/clients/${c.clientId}/controls/${ctl.id}`)).expect(200)).body.state;
    const e = (await upload(c.member.token, c.clientId, Buffer.from('monitoring dashboard'), { fields: { title: 'Monitoring', controlIds: ctl.id, validUntil: day(20) } }).expect(201)).body;
    expect(await state()).toBe('partial');
    const reviewed = await auth(t.http().post(`${API}/clients/${c.clientId}/evidence/${e.id}/review`)).send({ decision: 'accepted', comment: 'Looks complete' }).expect(200);
    expect(reviewed.body).toMatchObject({ reviewState: 'accepted', reviewComment: 'Looks complete', current: true });
    expect(await state()).toBe('met');
    const readiness = t.app.get(ReadinessService);
    const soc2 = async (asOf: string) => (await readiness.forClient(c.clientId, asOf)).frameworks.find((f) => f.framework === 'soc2')!;
    expect((await soc2(day(0))).met).toBe(1);
    expect((await soc2(day(0))).expiringEvidence).toBe(1);
    expect((await soc2(day(21))).met).toBe(0);
    expect((await soc2(day(21))).partial).toBe(1);
    // Unlinking, relinking and a later rejection move the state too (the stored evidence horizon follows every change).
    await auth(t.http().delete(`${API}/clients/${c.clientId}/evidence/${e.id}/links`)).send({ controlIds: [ctl.id] }).expect(200);
    expect(await state()).toBe('partial');
    await auth(t.http().post(`${API}/clients/${c.clientId}/evidence/${e.id}/links`)).send({ controlIds: [ctl.id] }).expect(200);
    expect(await state()).toBe('met');
    await auth(t.http().post(`${API}/clients/${c.clientId}/evidence/${e.id}/review`)).send({ decision: 'rejected', comment: 'Wrong system' }).expect(200);
    expect(await state()).toBe('partial');
    await auth(t.http().post(`${API}/clients/${c.clientId}/evidence/${e.id}/review`)).send({ decision: 'accepted' }).expect(200);
    expect(await state()).toBe('met');
    await auth(t.http().post(`${API}/clients/${c.clientId}/evidence/${e.id}/withdraw`)).send({ reason: 'Superseded' }).expect(200);
    expect(await state()).toBe('partial');
    await auth(t.http().post(`${API}/clients/${c.clientId}/evidence/${e.id}/review`)).send({ decision: 'accepted' }).expect(409);
    await auth(t.http().post(`${API}/clients/${c.clientId}/evidence/${e.id}/withdraw`)).send({ reason: 'again' }).expect(409);
    const list = (await auth(t.http().get(`${API}/clients/${c.clientId}/evidence`)).expect(200)).body;
    expect(list.items.map((x: { id: string }) => x.id)).not.toContain(e.id);
    const all = (await auth(t.http().get(`${API}/clients/${c.clientId}/evidence?includeWithdrawn=true`)).expect(200)).body;
    expect(all.items.find((x: { id: string }) => x.id === e.id)).toMatchObject({ withdrawReason: 'Superseded' });
  });

  it('filters the list by control, review state, expiry and uploader', async () => {
    const c = await setup();
    const a = (await upload(c.member.token, c.clientId, Buffer.from('a'), { fields: { title: 'A', controlIds: c.byRef('CC1.1').id, validUntil: day(5) } }).expect(201)).body;
    const b = (await upload(c.consultant.token, c.clientId, Buffer.from('b'), { fields: { title: 'B' } }).expect(201)).body;
    await t.http().post(`${API}/clients/${c.clientId}/evidence/${b.id}/review`).auth(c.consultant.token, { type: 'bearer' }).send({ decision: 'rejected', comment: 'Blurry' }).expect(200);
    const q = async (query: string) => (await t.http().get(`${API}/clients/${c.clientId}/evidence?${query}`).auth(c.auditor.token, { type: 'bearer' }).expect(200)).body.items.map((x: { id: string }) => x.id);
    expect(await q(`controlId=${c.byRef('CC1.1').id}`)).toEqual([a.id]);
    expect(await q('reviewState=rejected')).toEqual([b.id]);
    expect(await q(`expiringBefore=${day(10)}`)).toEqual([a.id]);
    expect(await q(`uploadedBy=${c.member.id}`)).toEqual([a.id]);
    for (const bad of ['reviewState=maybe', 'expiringBefore=tomorrow', 'uploadedBy=x', 'controlId=1']) {
      await t.http().get(`${API}/clients/${c.clientId}/evidence?${bad}`).auth(c.auditor.token, { type: 'bearer' }).expect(400);
    }
  });

  it('verifies stored bytes and reports altered or missing objects (admin only)', async () => {
    const c = await setup();
    const altered = randomBytes(2000);
    const missing = randomBytes(2000);
    const ids: string[] = [];
    for (const b of [altered, missing]) ids.push((await upload(c.consultant.token, c.clientId, b).expect(201)).body.id);
    const fileOf = (b: Buffer) => filesIn(join(dataDir, 'evidence')).find((f) => f.endsWith(sha(b)))!;
    writeFileSync(fileOf(altered), Buffer.concat([altered, Buffer.from('tampered')]));
    rmSync(fileOf(missing));
    await t.http().post(`${API}/admin/evidence/verify`).auth(c.consultant.token, { type: 'bearer' }).expect(403);
    const report = (await t.http().post(`${API}/admin/evidence/verify`).auth(c.admin.token, { type: 'bearer' }).expect(200)).body;
    // Other suites' records share this database but not this store: look at this test's objects.
    expect(report.mismatched).toContain(sha(altered));
    expect(report.missing).toContain(sha(missing));
    expect(report.mismatched).not.toContain(sha(missing));
    expect(report.checked).toBeGreaterThan(2);
    // A missing object is a server-side fault, reported as such (and logged), never silently an empty file.
    await t.http().get(`${API}/clients/${c.clientId}/evidence/${ids[1]}/content`).auth(c.consultant.token, { type: 'bearer' }).expect(500);
    // Restore, so later checks of this shared store are not affected.
    writeFileSync(fileOf(altered), altered);
    const d = join(dataDir, 'evidence', sha(missing).slice(0, 2), sha(missing).slice(2, 4));
    writeFileSync(join(d, sha(missing)), missing);
  });

  it('sweeps stored objects that no record references, and only those', async () => {
    const c = await setup();
    const kept = (await upload(c.member.token, c.clientId, randomBytes(300)).expect(201)).body.sha256;
    const orphan = randomBytes(32).toString('hex');
    const young = randomBytes(32).toString('hex');
    for (const h of [orphan, young]) {
      const d = join(dataDir, 'evidence', h.slice(0, 2), h.slice(2, 4));
      execFileSync('mkdir', ['-p', d]);
      writeFileSync(join(d, h), 'stray bytes');
    }
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(join(dataDir, 'evidence', orphan.slice(0, 2), orphan.slice(2, 4), orphan), old, old);
    utimesSync(filesIn(join(dataDir, 'evidence')).find((f) => f.endsWith(kept))!, old, old);
    const removed = await t.app.get(EvidenceIntegrityService).sweep();
    expect(removed).toContain(orphan);
    expect(removed).not.toContain(kept);
    expect(removed).not.toContain(young);
    expect(filesIn(join(dataDir, 'evidence')).some((f) => f.endsWith(kept))).toBe(true);
  });
});
