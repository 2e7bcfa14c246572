import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';

import { LongWork } from 'src/database/long-work';
import { EvidenceRepository } from 'src/evidence/evidence.repository';
import { EVIDENCE_STORAGE, type EvidenceStorage, StorageMissingError } from 'src/evidence/storage/evidence-storage';

const SWEEP_LOCK = 727_311_003;
const VERIFY_LOCK = 727_311_004;
/** An object younger than this may belong to an upload whose row is not committed yet. */
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
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
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
   * Removes stored objects that no record references and that are older than the grace period (a younger one may
   * belong to an upload in flight). Only those: a referenced object is never touched. Returns the removed hashes.
   */
  async sweep(now = new Date(), graceMs = SWEEP_GRACE_MS): Promise<string[] | null> {
    return this.repo.withTryLock(SWEEP_LOCK, async () => {
      const removed: string[] = [];
      for await (const o of this.storage.list()) {
        if (now.getTime() - o.modifiedAt.getTime() < graceMs) continue;
        if (await this.repo.isReferenced(o.sha256)) continue;
        await this.storage.remove(o.sha256);
        removed.push(o.sha256);
      }
      return removed;
    });
  }
}
