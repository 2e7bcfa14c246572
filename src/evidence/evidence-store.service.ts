import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { EvidenceObjectsRepository } from 'src/evidence/evidence-objects.repository';
import { EVIDENCE_STORAGE, type EvidenceStorage } from 'src/evidence/storage/evidence-storage';

/**
 * How long an upload's announcement protects its object from the sweep. Only a crashed upload's announcement ever
 * gets this old; an upload slower than this still commits safely (see `confirm`), it just loses the fast path.
 */
export const PENDING_TTL_MS = 24 * 60 * 60 * 1000;

/** An object an upload has stored and announced, not yet referenced by a committed record. */
export interface HeldObject {
  readonly sha256: string;
  readonly pendingId: string;
}

/**
 * Stores upload bytes so that no interleaving with the sweep (or a crash) can leave a record without its bytes.
 * The protocol, with every step on one hash under that hash's advisory lock (EvidenceObjectsRepository):
 *  1. announce: commit an evidence_upload_pending row, then store the bytes (no transaction is open meanwhile: the
 *     embedded database has one connection, and an S3 upload of a large file takes long);
 *  2. confirm, in the transaction that inserts the record: withdraw the announcement; if it is still there, no sweep
 *     removed the object since it was made, so the bytes stored in 1 are there; if it is gone (expired after
 *     PENDING_TTL_MS), ask the store, still under the lock;
 *  3. the sweep removes an object only under the lock, after seeing no record and no live announcement, and
 *     forgets the stale announcements in the same transaction.
 * A sweep that decided to remove before step 1 holds the lock until the object is gone, so step 1 waits for it
 * and then writes the bytes afresh instead of relying on the doomed object.
 */
@Injectable()
export class EvidenceStoreService {
  private readonly logger = new Logger('EvidenceStoreService');

  constructor(
    private readonly objects: EvidenceObjectsRepository,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
  ) {}

  /** Announces, then stores, the hashed temporary file (the storage consumes it). */
  async hold(sha256: string, tempFile: string, size: number): Promise<HeldObject> {
    const pendingId = await this.objects.transaction(async (tx) => {
      await this.objects.lockHash(tx, sha256);
      return this.objects.insertPending(tx, sha256);
    });
    const held = { sha256, pendingId };
    try {
      await this.storage.put(sha256, tempFile, size);
    } catch (e) {
      await this.release(held);
      throw e;
    }
    return held;
  }

  /**
   * Inside the transaction that commits the record naming the object: from here until that transaction ends, the
   * sweep cannot decide about the object, and once it commits the record protects it.
   */
  async confirm(tx: EntityManager, held: HeldObject): Promise<void> {
    await this.objects.lockHash(tx, held.sha256);
    if (await this.objects.deletePending(held.pendingId, tx)) return;
    // Rare: the upload outlived its announcement. A short store call under the lock settles it.
    await this.objects.keepAliveWhileWaiting(tx);
    if (!(await this.storage.exists(held.sha256))) {
      this.logger.warn(`Upload of ${held.sha256} outlived its announcement and its bytes were swept; refused`);
      throw new ServiceUnavailableException('The upload took too long and its stored bytes were cleaned up; upload the file again');
    }
  }

  /** After a failed upload: withdraws the announcement (best effort; a leftover one expires). */
  async release(held: HeldObject): Promise<void> {
    await this.objects.deletePending(held.pendingId).catch((e: unknown) => {
      this.logger.warn(`Could not withdraw upload announcement ${held.pendingId}: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
}
