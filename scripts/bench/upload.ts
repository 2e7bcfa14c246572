import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { withRssSampling } from './load';

export interface UploadResult {
  sizeMiB: number;
  uploadSeconds: number;
  uploadMiBPerS: number;
  /** sha256sum of the file plus cp of it, on the same disk (mean of a run before and one after the upload). */
  baselineSeconds: number;
  baselineMiBPerS: number;
  /** upload time / baseline time: the target is at most 2. */
  ratio: number;
  rssBaselineMiB: number;
  rssPeakMiB: number;
  rssGrowthMiB: number;
  sha256Matches: boolean;
}

/** Writes `mib` MiB of random bytes (incompressible, so no layer can cheat) 1 MiB at a time. */
export function writeRandomFile(path: string, mib: number): void {
  const fd = openSync(path, 'w');
  try {
    const chunk = randomBytes(1 << 20);
    for (let i = 0; i < mib; i++) {
      chunk.writeUInt32LE(i, 0);
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes dirty pages back first, so that no timed run pays for the writes of the one before. */
const flushDisk = () => execFileSync('sync');

/** `sha256sum file` then `cp file copy`, timed together, as the reference for "hash it and store it". */
function baseline(file: string, dir: string): { seconds: number; sha256: string } {
  const copy = join(dir, `baseline-copy-${randomUUID()}`);
  flushDisk();
  const start = performance.now();
  const out = execFileSync('sha256sum', [file], { encoding: 'utf8' });
  execFileSync('cp', [file, copy]);
  const seconds = (performance.now() - start) / 1000;
  rmSync(copy, { force: true });
  return { seconds, sha256: out.split(/\s+/)[0] };
}

/** Runs scripts/bench/upload-client.js in a child process and returns what it printed. */
function runUploadClient(url: string, token: string, file: string): Promise<{ status: number; seconds: number; body: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [join(__dirname, 'upload-client.js'), url, token, file], { timeout: 20 * 60_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`upload client failed: ${stderr.trim() || err.message}`));
      else resolve(JSON.parse(stdout) as { status: number; seconds: number; body: string });
    });
    child.stdin?.end();
  });
}

/**
 * Uploads a file of `mib` MiB through POST /clients/:id/evidence over loopback HTTP (from a child process, see
 * upload-client.ts) and compares the time with sha256sum + cp of the same file in the same directory (the evidence
 * store's disk). The app's RSS is sampled every 50 ms.
 */
export async function benchUpload(opts: { baseUrl: string; clientId: string; token: string; dir: string; mib: number }): Promise<UploadResult> {
  const file = join(opts.dir, 'bench-upload.bin');
  writeRandomFile(file, opts.mib);
  const size = opts.mib * 1048576;
  try {
    const before = baseline(file, opts.dir);
    flushDisk();
    const run = await withRssSampling(async () => {
      const res = await runUploadClient(`${opts.baseUrl}/api/v1/clients/${opts.clientId}/evidence`, opts.token, file);
      if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${res.body.slice(0, 300)}`);
      return { seconds: res.seconds, response: JSON.parse(res.body) as { sha256?: string; size?: number } };
    });
    const after = baseline(file, opts.dir);
    const baselineSeconds = (before.seconds + after.seconds) / 2;
    const r2 = (n: number) => Math.round(n * 100) / 100;
    return {
      sizeMiB: opts.mib,
      uploadSeconds: r2(run.value.seconds),
      uploadMiBPerS: r2(opts.mib / run.value.seconds),
      baselineSeconds: r2(baselineSeconds),
      baselineMiBPerS: r2(opts.mib / baselineSeconds),
      ratio: r2(run.value.seconds / baselineSeconds),
      rssBaselineMiB: run.baselineMiB,
      rssPeakMiB: run.peakMiB,
      rssGrowthMiB: run.growthMiB,
      sha256Matches: run.value.response.sha256 === before.sha256 && Number(run.value.response.size) === size,
    };
  } finally {
    rmSync(file, { force: true });
  }
}
