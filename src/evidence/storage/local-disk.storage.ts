import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { EvidenceStorage, StorageMissingError } from 'src/evidence/storage/evidence-storage';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Objects on local disk under `root/ab/cd/<sha256>`. The temporary upload file is renamed into place, so an
 * object is either absent or complete (the temp directory must be on the same filesystem: both live in DATA_DIR).
 */
export class LocalDiskStorage implements EvidenceStorage {
  constructor(private readonly root: string) {}

  private path(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`Not a SHA-256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(sha256: string, tempFile: string): Promise<void> {
    const target = this.path(sha256);
    if (await this.exists(sha256)) {
      await unlink(tempFile).catch(() => undefined);
      return;
    }
    await mkdir(join(target, '..'), { recursive: true });
    await rename(tempFile, target);
  }

  async read(sha256: string, range?: { start: number; end: number }): Promise<Readable> {
    const path = this.path(sha256);
    if (!(await this.exists(sha256))) throw new StorageMissingError(sha256);
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async exists(sha256: string): Promise<boolean> {
    return stat(this.path(sha256)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  async *list(): AsyncIterable<{ sha256: string; modifiedAt: Date }> {
    const level = (dir: string) => readdir(dir).catch(() => [] as string[]);
    for (const a of await level(this.root)) {
      for (const b of await level(join(this.root, a))) {
        for (const name of await level(join(this.root, a, b))) {
          if (!SHA256.test(name)) continue;
          const s = await stat(join(this.root, a, b, name)).catch(() => null);
          if (s?.isFile()) yield { sha256: name, modifiedAt: s.mtime };
        }
      }
    }
  }

  async remove(sha256: string): Promise<void> {
    await unlink(this.path(sha256)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
}
