import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MULTIPART_LIMITS } from 'src/evidence/upload/receive-upload';

import { API, TestApp } from '../utils/app';

const BOUNDARY = 'xxLIMITSxx';

/** A multipart body written by hand, so that every part, header and name is exactly what a hostile client sends. */
function multipart(parts: { name: string; value?: string | Buffer; filename?: string }[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`;
    const type = p.filename === undefined ? '' : 'Content-Type: application/octet-stream\r\n';
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(p.value ?? ''), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const file = (bytes: Buffer = Buffer.from('evidence bytes'), filename = 'proof.txt') => ({ name: 'file', value: bytes, filename });

/** Upload limits, file names, and the upload path attacked as a client would: nothing dropped silently, nothing left. */
describe('evidence upload limits and names', () => {
  let t: TestApp;
  let dataDir: string;
  let c: Awaited<ReturnType<TestApp['clientWithRoles']>>;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crt-limits-'));
    t = await TestApp.create({ DATA_DIR: dataDir, UPLOAD_MAX_BYTES: String(1024 * 1024) });
    c = await t.clientWithRoles();
  });
  afterAll(() => t.close());

  const send = (body: Buffer) =>
    t
      .http()
      .post(`${API}/clients/${c.clientId}/evidence`)
      .auth(c.member.token, { type: 'bearer' })
      .set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`)
      .send(body);

  const evidenceCount = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM evidence WHERE client_id = $1`, [c.clientId]))[0].n as number;
  const tempFiles = () => (existsSync(join(dataDir, 'tmp')) ? readdirSync(join(dataDir, 'tmp')) : []);

  const fields = (n: number) => Array.from({ length: n }, (_, i) => ({ name: i === 0 ? 'title' : `extra${i}`, value: 'x' }));

  it.each([
    ['fields', [...fields(MULTIPART_LIMITS.fields + 1), file()], MULTIPART_LIMITS.fields, /Too many form fields: at most 50/],
    ['fields, with the file first', [file(), ...fields(MULTIPART_LIMITS.fields + 1)], MULTIPART_LIMITS.fields, /Too many form fields: at most 50/],
    ['files (a second "file" part)', [{ name: 'title', value: 'two' }, file(), file(Buffer.from('other'))], MULTIPART_LIMITS.files, /Too many files: an upload carries exactly 1 file/],
    ['field size', [{ name: 'title', value: 'x'.repeat(MULTIPART_LIMITS.fieldSize + 1) }, file()], MULTIPART_LIMITS.fieldSize, /The form field "title" is larger than the limit of 65536 bytes/],
  ])('answers 413 naming the %s limit, and keeps nothing', async (_label, parts, max, message) => {
    const before = await evidenceCount();
    const res = await send(multipart(parts));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large', message: expect.stringMatching(message) });
    expect(res.body.details.max).toBe(max);
    expect(await evidenceCount()).toBe(before);
    expect(tempFiles()).toEqual([]);
  });

  it('answers 413 naming the parts limit, which counts parts busboy would skip (no Content-Disposition)', async () => {
    const filler = Buffer.from(`--${BOUNDARY}\r\nX-Filler: 1\r\n\r\nfiller\r\n`.repeat(MULTIPART_LIMITS.parts));
    const body = Buffer.concat([filler, multipart([{ name: 'title', value: 't' }, file()])]);
    const res = await send(body);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, message: expect.stringMatching(/Too many multipart parts: at most 60/), details: { limit: 'parts', max: 60 } });
    // Exactly at the limit is fine: 58 skipped parts, the title and the file.
    const atLimit = Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nX-Filler: 1\r\n\r\nfiller\r\n`.repeat(MULTIPART_LIMITS.parts - 2)), multipart([{ name: 'title', value: 't' }, file()])]);
    expect((await send(atLimit)).status).toBe(201);
  });

  it('refuses a file sent in another part, or the "file" part sent as text, instead of ignoring it', async () => {
    const other = await send(multipart([{ name: 'title', value: 'x' }, { name: 'attachment', value: Buffer.from('abc'), filename: 'a.txt' }]));
    expect(other.status).toBe(400);
    expect(other.body.message).toMatch(/Unexpected file in the part "attachment"/);
    const text = await send(multipart([{ name: 'title', value: 'x' }, { name: 'file', value: 'not a file' }]));
    expect(text.status).toBe(400);
    expect(text.body.message).toMatch(/"file" part came as a text field/);
    expect(tempFiles()).toEqual([]);
  });

  it('accepts an upload right at the limits', async () => {
    const controlFields = Array.from({ length: MULTIPART_LIMITS.fields - 1 }, () => ({ name: 'description', value: 'd' }));
    const res = await send(multipart([{ name: 'title', value: 'x'.repeat(200) }, file()]));
    expect(res.status).toBe(201);
    // 50 fields (the limit) reach validation: description repeated is refused by the DTO, not dropped.
    const many = await send(multipart([{ name: 'title', value: 'ok' }, ...controlFields, file()]));
    expect(many.status).toBe(400);
  });

  it('stores names without bidi or other invisible characters and serves them so', async () => {
    const res = await send(multipart([{ name: 'title', value: 'Invoice' }, file(Buffer.from('%PDF-1.4 not really'), 'invoice\u202egpj.exe')]));
    expect(res.status).toBe(201);
    expect(res.body.originalFilename).toBe('invoicegpj.exe');
    const down = await t.http().get(`${API}/clients/${c.clientId}/evidence/${res.body.id}/content`).auth(c.auditor.token, { type: 'bearer' }).expect(200);
    const cd = down.headers['content-disposition'] as string;
    expect(cd).toBe('attachment; filename=invoicegpj.exe');

    // Names stored before this rule are cleaned on the way out too.
    await t.dataSource.query(`UPDATE evidence SET original_filename = $2 WHERE id = $1`, [res.body.id, 'old\u202etxt.exe']);
    const old = await t.http().get(`${API}/clients/${c.clientId}/evidence/${res.body.id}/content`).auth(c.auditor.token, { type: 'bearer' }).expect(200);
    expect(old.headers['content-disposition']).toBe('attachment; filename=oldtxt.exe');
  });

  it('keeps path traversal, NUL and header tricks in a file name out of the file system and the headers', async () => {
    for (const [name, expected] of [
      ['../../../../etc/cron.d/x', 'x'],
      ['..\\..\\windows\\win.ini', 'win.ini'],
      ['a%00b.txt', 'a%00b.txt'],
      ['evil.txt%0D%0ASet-Cookie: a=b', 'evil.txtSet-Cookie: a=b'],
      ['%22;filename=other.exe', '";filename=other.exe'],
    ] as const) {
      const res = await send(multipart([{ name: 'title', value: 'n' }, file(randomBytes(64), name)]));
      expect(res.status).toBe(201);
      expect(res.body.originalFilename).toBe(expected);
      const down = await t.http().get(`${API}/clients/${c.clientId}/evidence/${res.body.id}/content`).auth(c.auditor.token, { type: 'bearer' }).expect(200);
      expect(down.headers['set-cookie']).toBeUndefined();
      // A token, or a quoted string with only escaped quotes, then perhaps the RFC 5987 form: one header, one name.
      expect(down.headers['content-disposition']).toMatch(/^attachment; filename=([!#$%&'*+.^_`|~0-9A-Za-z-]+|"[^"\r\n\\]*(\\"[^"\r\n\\]*)*")(; filename\*=UTF-8''\S+)?$/);
    }
    // A raw NUL in a part header is not HTTP: the parser refuses the request.
    const nul = await send(multipart([{ name: 'title', value: 'n' }, file(randomBytes(64), 'raw\u0000nul.txt')]));
    expect(nul.status).toBe(400);
    // The RFC 5987 form is decoded by the parser, then cleaned like any other name.
    const encoded = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nt\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''inv%E2%80%AEgpj.exe\r\n\r\nbytes\r\n--${BOUNDARY}--\r\n`,
    );
    const decoded = await send(encoded);
    expect(decoded.status).toBe(201);
    expect(decoded.body.originalFilename).toBe('invgpj.exe');
    const stored = (dir: string): string[] =>
      existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? stored(join(dir, d.name)) : [d.name])) : [];
    expect(stored(dataDir).filter((n) => !/^[0-9a-f]{64}$/.test(n) && !n.startsWith('jwt') && !/pgdata/.test(n))).toEqual([]);
  });

  it('answers a huge part header or a malformed body with a 4xx, never a 500', async () => {
    const hugeName = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"; x="${'a'.repeat(200_000)}"\r\n\r\nv\r\n--${BOUNDARY}--\r\n`;
    const res = await send(Buffer.from(hugeName));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const truncated = await send(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc`));
    expect(truncated.status).toBe(400);
    const noBoundary = await t.http().post(`${API}/clients/${c.clientId}/evidence`).auth(c.member.token, { type: 'bearer' }).set('Content-Type', 'multipart/form-data').send('x');
    expect(noBoundary.status).toBe(400);
    expect(tempFiles()).toEqual([]);
  });

  it('refuses a request header too large for the server before any handler runs', async () => {
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: `${API}/clients/${c.clientId}/evidence`, headers: { 'x-big': 'a'.repeat(64 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(431);
  });

  it('drops a body that trickles in slower than the server allows (slowloris), leaving no temp file and no record', async () => {
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const before = await evidenceCount();
    // Node's default is 5 minutes for a whole request; shortened here, checked by Node every 30 s at most.
    const saved = server.requestTimeout;
    server.requestTimeout = 1000;
    try {
      const outcome = await new Promise<string>((resolve) => {
        const req = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `${API}/clients/${c.clientId}/evidence`,
          headers: { authorization: `Bearer ${c.member.token}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(1024 * 1024) },
        });
        req.on('response', (res) => (res.resume(), resolve(`status ${res.statusCode}`)));
        req.on('error', (e) => resolve(`error ${(e as NodeJS.ErrnoException).code}`));
        req.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nslow\r\n`);
        req.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="slow.bin"\r\n\r\n`);
        req.write(randomBytes(1024));
      });
      expect(outcome).toMatch(/^(status 408|error ECONNRESET)$/);
    } finally {
      server.requestTimeout = saved;
    }
    // The handler sees the request end early and cleans up after itself.
    for (;;) {
      if (tempFiles().length === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await evidenceCount()).toBe(before);
  }, 180_000);
});
