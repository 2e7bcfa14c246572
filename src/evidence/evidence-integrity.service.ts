import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';

import { LongWork } from 'src/database/long-work';
import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { EvidenceObjectsRepository } from 'src/evidence/evidence-objects.repository';
import { PENDING_TTL_MS } from 'src/evidence/evidence-store.service';
import { EvidenceRepository } from 'src/evidence/evidence.repository';
import { EVIDENCE_STORAGE, type EvidenceStorage, StorageMissingError } from 'src/evidence/storage/evidence-storage';
import { removeStaleUploadTempFiles, uploadTempDir } from 'src/evidence/upload/temp-files';

const SWEEP_LOCK = 727_311_003;
const VERIFY_LOCK = 727_311_004;
/**
 * Objects younger than this are left alone. Announcements already protect uploads in flight; this is a second,
 * independent margin (for example for an object a person restored by hand moments ago).
 */
export const SWEEP_GRACE_MS = 60 * 60 * 1000;

export interface VerifyReport {
  checked: number;
  missing: string[];
  mismatched: string[];
}

/** Maintenance of the evidence store: integrity verification and removal of unreferenced objects. */
@Injectable()
export class EvidenceIntegrityService {
  private readonly logger = new Logger('EvidenceIntegrityService');

  constructor(
    private readonly repo: EvidenceRepository,
    private readonly longWork: LongWork,
    private readonly objects: EvidenceObjectsRepository,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Re-hashes every stored object that a record references and reports missing objects and mismatches. */
  async verify(): Promise<VerifyReport | null> {
    return this.repo.withTryLock(VERIFY_LOCK, async () => {
      const report: VerifyReport = { checked: 0, missing: [], mismatched: [] };
      // A scan of every record: the long statement timeout. The files are read after its transaction ended.
      const referenced = await this.longWork.read((tx) => this.repo.findReferencedHashes(tx));
      for (const { sha256 } of referenced) {
        report.checked++;
        try {
          const hash = createHash('sha256');
          for await (const chunk of await this.storage.read(sha256)) hash.update(chunk as Buffer);
          if (hash.digest('hex') !== sha256) report.mismatched.push(sha256);
        } catch (e) {
          if (e instanceof StorageMissingError) report.missing.push(sha256);
          else throw e;
        }
      }
      if (report.missing.length || report.mismatched.length) this.logger.error(`Evidence store integrity problems: ${JSON.stringify(report)}`);
      return report;
    });
  }

  /**
   * Removes stored objects that no record references and no live upload announced, older than the grace period,
   * and upload temporary files left by a crash. Each removal is decided and done under the object's lock
   * (EvidenceStoreService explains the protocol), so an upload either sees the object gone and stores it afresh,
   * or holds it before the sweep looks: a referenced or held object is never touched. Returns the removed hashes.
   */
  async sweep(now = new Date(), graceMs = SWEEP_GRACE_MS): Promise<string[] | null> {
    await this.removeStaleTempFiles();
    return this.repo.withTryLock(SWEEP_LOCK, async () => {
      const forgotten = await this.objects.deleteStalePending(PENDING_TTL_MS);
      if (forgotten) this.logger.warn(`Forgot ${forgotten} upload announcements older than ${PENDING_TTL_MS / 3_600_000} h (crashed uploads)`);
      const removed: string[] = [];
      for await (const o of this.storage.list()) {
        if (now.getTime() - o.modifiedAt.getTime() < graceMs) continue;
        if (await this.removeIfUnused(o.sha256)) removed.push(o.sha256);
      }
      return removed;
    });
  }

  /**
   * Upload temporary files of a killed process (called on start and by every sweep); returns how many went. Always
   * on the real clock, whatever clock the sweep is given: the files of uploads in flight are judged by real time.
   */
  async removeStaleTempFiles(): Promise<number> {
    const removed = await removeStaleUploadTempFiles(uploadTempDir(this.config.dataDir), this.config.uploadTempMaxAgeMs);
    if (removed.length) this.logger.warn(`Removed ${removed.length} upload temporary files left by an interrupted process`);
    return removed.length;
  }

  private removeIfUnused(sha256: string): Promise<boolean> {
    return this.objects.transaction(async (tx) => {
      await this.objects.lockHash(tx, sha256);
      if (await this.objects.isInUse(tx, sha256, PENDING_TTL_MS)) return false;
      await this.objects.deletePendingFor(tx, sha256);
      // The store call runs with the lock held: released earlier, an upload could rely on the object it removes.
      await this.objects.keepAliveWhileWaiting(tx);
      await this.storage.remove(sha256);
      return true;
    });
  }
}
