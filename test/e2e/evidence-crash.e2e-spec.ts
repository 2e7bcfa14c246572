import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { ClientRequest, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import request from 'supertest';

import { binaryParser } from '../utils/app';

const MAIN = resolve('dist/src/main.js');
const API = '/api/v1';
const ADMIN = { email: 'admin@crash.test', password: 'crash-test-password-123' };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Polls `ready`; the jest timeout bounds it, never a wall-clock assertion. */
async function until<T>(ready: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> {
  for (;;) {
    const v = await ready();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const freePort = () =>
  new Promise<number>((r) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => r(port));
    });
  });

/**
 * The built service (`node dist/src/main.js`) on the embedded database and a fresh DATA_DIR, killed with SIGKILL
 * in the middle of an upload and started again: what a power cut or an OOM kill leaves must not outlive the restart.
 */
describe('evidence after the service is killed mid-upload', () => {
  let dataDir: string;
  let port: number;
  let child: ChildProcess | undefined;
  let log = '';

  const start = async () => {
    log = '';
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: '',
      DATA_DIR: dataDir,
      PORT: String(port),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      UPLOAD_TEMP_MAX_AGE_SECONDS: '1',
    };
    child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<never>((_, reject) => child!.once('exit', (code) => reject(new Error(`service exited (${code}):\n${log}`))));
    // Ready once it answers: the start-up cleanup runs before the server listens.
    await Promise.race([exited, until(() => request(`http://127.0.0.1:${port}`).get('/health').then((r) => r.status === 200, () => false))]);
    exited.catch(() => undefined);
  };

  const stop = async (signal: NodeJS.Signals) => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await gone;
  };

  const http = () => request(`http://127.0.0.1:${port}`);
  const tempFiles = () => (existsSync(join(dataDir, 'tmp')) ? readdirSync(join(dataDir, 'tmp')) : []);

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" before this test (CI does)`);
    dataDir = mkdtempSync(join(tmpdir(), 'crt-crash-'));
    port = await freePort();
    await start();
  }, 600_000);
  afterAll(() => stop('SIGTERM'), 60_000);

  it('leaves no record without bytes, no temp file after the restart, and takes the upload again', async () => {
    const token = (await http().post(`${API}/auth/login`).send(ADMIN).expect(200)).body.accessToken as string;
    const clientId = (await http().post(`${API}/clients`).auth(token, { type: 'bearer' }).send({ name: 'Crash Ltd' }).expect(201)).body.id as string;
    const bytes = randomBytes(8 * 1024 * 1024);

    // A slow upload that announces 8 MiB and sends the first MiB, then a chunk at a time: killed while receiving.
    const boundary = 'xxCRASHxx';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nKilled\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const req: ClientRequest = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `${API}/clients/${clientId}/evidence`,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + bytes.length + tail.length),
      },
    });
    req.on('error', () => undefined);
    req.write(head);
    req.write(bytes.subarray(0, 1024 * 1024));
    let sent = 1024 * 1024;
    const trickle = setInterval(() => {
      if (sent < bytes.length - 64 * 1024) req.write(bytes.subarray(sent, (sent += 64 * 1024)));
    }, 50);
    const temp = await until(() => tempFiles().find((f) => statSync(join(dataDir, 'tmp', f)).size > 0));
    await stop('SIGKILL');
    clearInterval(trickle);
    req.destroy();
    expect(tempFiles()).toContain(temp);

    // The leftover is older than the bound (1 s here) once a little time has passed since its last write.
    const lastWrite = statSync(join(dataDir, 'tmp', temp)).mtimeMs;
    await until(() => Date.now() - lastWrite > 1500);
    await start();
    expect(tempFiles()).toEqual([]);

    const list = (await http().get(`${API}/clients/${clientId}/evidence`).auth(token, { type: 'bearer' }).expect(200)).body;
    expect(list.total).toBe(0);
    const report = (await http().post(`${API}/admin/evidence/verify`).auth(token, { type: 'bearer' }).expect(200)).body;
    expect(report).toMatchObject({ missing: [], mismatched: [] });

    const up = await http().post(`${API}/clients/${clientId}/evidence`).auth(token, { type: 'bearer' }).field('title', 'Again').attach('file', bytes, 'big.bin').expect(201);
    expect(up.body.sha256).toBe(sha(bytes));
    const down = await http().get(`${API}/clients/${clientId}/evidence/${up.body.id}/content`).auth(token, { type: 'bearer' }).buffer(true).parse(binaryParser).expect(200);
    expect(sha(down.body)).toBe(sha(bytes));
    expect(tempFiles()).toEqual([]);
  }, 600_000);
});
