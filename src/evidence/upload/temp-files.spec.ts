import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { newUploadTempPath, removeStaleUploadTempFiles } from 'src/evidence/upload/temp-files';

describe('removeStaleUploadTempFiles', () => {
  const HOUR = 60 * 60 * 1000;

  it('removes only our upload files not written to for longer than the bound', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crt-temp-'));
    const now = Date.now();
    const age = (path: string, ms: number) => utimesSync(path, new Date(now - ms), new Date(now - ms));
    const stale = newUploadTempPath(dir);
    const fresh = newUploadTempPath(dir);
    const foreign = join(dir, 'upload-notours');
    const other = join(dir, 'keep.txt');
    for (const p of [stale, fresh, foreign, other]) writeFileSync(p, 'x');
    for (const p of [stale, foreign, other]) age(p, 2 * HOUR);
    age(fresh, HOUR - 1000);

    const removed = await removeStaleUploadTempFiles(dir, HOUR, now);
    expect(removed).toEqual([stale.slice(dir.length + 1)]);
    expect([stale, fresh, foreign, other].map((p) => existsSync(p))).toEqual([false, true, true, true]);
  });

  it('does nothing when the directory does not exist yet', async () => {
    await expect(removeStaleUploadTempFiles(join(tmpdir(), 'crt-no-such-dir-for-temp-files'), HOUR)).resolves.toEqual([]);
  });
});
