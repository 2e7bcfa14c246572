import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { AppConfig } from 'src/config/app-config';

export const AUDIT_HMAC_KEY = Symbol('AUDIT_HMAC_KEY');

/**
 * AUDIT_HMAC_KEY when set; otherwise a random key generated on first start and kept in DATA_DIR/audit-hmac-key
 * (mode 0600). It must never be stored in the database: it is what a database owner rewriting history lacks.
 * Every instance (and `npm run audit:verify`) must use the same key; a lost key makes every seal read as broken.
 */
export function resolveAuditHmacKey(config: AppConfig): string {
  if (config.auditHmacKey) return config.auditHmacKey;
  const file = join(config.dataDir, 'audit-hmac-key');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // first start: generate below
  }
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(48).toString('base64url');
  // 'wx': never overwrite a key another process wrote meanwhile; then read theirs.
  try {
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return key;
  } catch {
    return readFileSync(file, 'utf8').trim();
  }
}
