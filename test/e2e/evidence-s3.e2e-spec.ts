import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

import { EvidenceIntegrityService } from 'src/evidence/evidence-integrity.service';
import { EVIDENCE_STORAGE, type EvidenceStorage } from 'src/evidence/storage/evidence-storage';

import { API, binaryParser, TestApp } from '../utils/app';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The S3 driver against a real S3-compatible server on loopback (s3rver), not a mock. */
describe('evidence in an S3-compatible bucket', () => {
  let s3: S3rver;
  let t: TestApp;
  beforeAll(async () => {
    s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: mkdtempSync(join(tmpdir(), 'crt-s3rver-')), configureBuckets: [{ name: 'evidence-test', configs: [] }] });
    const { port } = (await s3.run()) as unknown as { port: number };
    t = await TestApp.create({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'crt-s3-')),
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: 'evidence-test',
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
  });
  afterAll(async () => {
    await t.close();
    await s3.close();
  });

  it('uploads in streamed parts, dedups, serves ranges and verifies', async () => {
    const c = await t.clientWithRoles();
    const bytes = randomBytes(9 * 1024 * 1024 + 7); // more than one 8 MiB part
    const up = async () =>
      (await t.http().post(`${API}/clients/${c.clientId}/evidence`).auth(c.member.token, { type: 'bearer' }).field('title', 'S3').attach('file', bytes, 'big.bin').expect(201)).body;
    const a = await up();
    const b = await up();
    expect(a.sha256).toBe(sha(bytes));
    expect(b.sha256).toBe(a.sha256);

    const storage = t.app.get<EvidenceStorage>(EVIDENCE_STORAGE);
    const stored: string[] = [];
    for await (const o of storage.list()) stored.push(o.sha256);
    expect(stored).toEqual([sha(bytes)]);

    const whole = await t.http().get(`${API}/clients/${c.clientId}/evidence/${a.id}/content`).auth(c.auditor.token, { type: 'bearer' }).buffer(true).parse(binaryParser).expect(200);
    expect(sha(whole.body)).toBe(sha(bytes));
    const part = await t.http().get(`${API}/clients/${c.clientId}/evidence/${a.id}/content`).auth(c.auditor.token, { type: 'bearer' }).set('Range', 'bytes=100-199').buffer(true).parse(binaryParser).expect(206);
    expect(Buffer.compare(part.body, bytes.subarray(100, 200))).toBe(0);

    // Records of other suites share this database but not this bucket: look at this suite's object only.
    const report = (await t.app.get(EvidenceIntegrityService).verify())!;
    expect(report.checked).toBeGreaterThanOrEqual(1);
    expect(report.missing).not.toContain(sha(bytes));
    expect(report.mismatched).not.toContain(sha(bytes));
    await storage.remove(sha(bytes));
    expect((await t.app.get(EvidenceIntegrityService).verify())!.missing).toContain(sha(bytes));
  });
});
