import { randomUUID } from 'node:crypto';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const TEMP_NAME = /^upload-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where uploads are received: inside DATA_DIR, so that the local store can rename them into place. */
export const uploadTempDir = (dataDir: string) => join(dataDir, 'tmp');

/** A fresh temporary file name for one upload. */
export const newUploadTempPath = (tmpDir: string) => join(tmpDir, `upload-${randomUUID()}`);

/**
 * Removes upload temporary files last written more than `maxAgeMs` ago: leftovers of a process that was killed
 * mid-upload (kill -9, power loss), which nothing else would ever remove. A file still receiving bytes is written
 * continuously, so its age stays small: an upload in flight in this or another instance sharing DATA_DIR keeps its
 * file. Only our own names are touched. Returns the names removed.
 */
export async function removeStaleUploadTempFiles(tmpDir: string, maxAgeMs: number, now = Date.now()): Promise<string[]> {
  const names = await readdir(tmpDir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw e;
  });
  const removed: string[] = [];
  for (const name of names) {
    if (!TEMP_NAME.test(name)) continue;
    const path = join(tmpDir, name);
    const s = await stat(path).catch(() => null);
    if (!s?.isFile() || now - s.mtimeMs <= maxAgeMs) continue;
    const gone = await unlink(path).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return false;
        throw e;
      },
    );
    if (gone) removed.push(name);
  }
  return removed;
}
