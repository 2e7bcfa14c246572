import { Readable } from 'node:stream';

export const EVIDENCE_STORAGE = Symbol('EVIDENCE_STORAGE');

/**
 * Where evidence bytes live, addressed by their SHA-256: identical bytes are stored once. Drivers: local disk
 * (default, under DATA_DIR) and an S3-compatible bucket. Bytes are written before the row that references them,
 * so a failure leaves at most an unreferenced object, which `sweep` removes.
 */
export interface EvidenceStorage {
  /** Moves a fully written, already hashed temporary file into the store under `sha256` (no-op if present). */
  put(sha256: string, tempFile: string, size: number): Promise<void>;
  /** A stream of the stored bytes, optionally a byte range (inclusive end). Rejects with StorageMissingError. */
  read(sha256: string, range?: { start: number; end: number }): Promise<Readable>;
  exists(sha256: string): Promise<boolean>;
  /** Every stored object (for sweep and verification). */
  list(): AsyncIterable<{ sha256: string; modifiedAt: Date }>;
  remove(sha256: string): Promise<void>;
}

export class StorageMissingError extends Error {
  constructor(readonly sha256: string) {
    super(`Stored object ${sha256} is missing`);
  }
}
