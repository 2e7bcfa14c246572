import canonicalize from 'canonicalize';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The audit chain's arithmetic, free of I/O. An event's hash covers its content in canonical form (RFC 8785 JSON,
 * so that re-reading jsonb, whose key order differs, never changes it), its position and the previous event's hash;
 * the HMAC of that hash under the service's key anchors the chain outside the database.
 */

/** What an event says; exactly what is stored, so that re-reading it yields the same hash. */
export interface ChainContent {
  /** ISO 8601 with milliseconds, set by the service (timestamptz keeps them exactly). */
  at: string;
  actorUserId: string | null;
  clientId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

export interface ChainedFields {
  seq: number;
  prevHash: string;
  hash: string;
  hmac: string;
}

export type BreakReason = 'missing' | 'previous_link' | 'content_hash' | 'hmac' | 'unchained';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** Where a chain starts: bound to the chain, so that an event cannot be moved to another one. */
export const genesisHash = (clientId: string | null): string => sha256(`crt-audit-chain/v1/${clientId ?? 'instance'}`);

/** The value as JSON will store it (Dates to ISO strings, undefined members dropped); null stays null. */
export const asStored = (v: unknown): unknown => (v === undefined || v === null ? null : JSON.parse(JSON.stringify(v)));

/** Whether before and after say the same thing (a change that changed nothing is not an event). */
export const sameContent = (a: unknown, b: unknown): boolean => canonicalize(asStored(a)) === canonicalize(asStored(b));

export function linkHash(content: ChainContent, seq: number, prevHash: string): string {
  return sha256(canonicalize({ v: 1, seq, prev: prevHash, ...contentOf(content) })!);
}

export const sealHash = (key: string, hash: string): string => createHmac('sha256', key).update(hash, 'utf8').digest('hex');

/** The chained fields of the event after `prev` (null: the first of its chain). */
export function extendChain(key: string, content: ChainContent, prev: { seq: number; hash: string } | null): ChainedFields {
  const seq = (prev?.seq ?? 0) + 1;
  const prevHash = prev?.hash ?? genesisHash(content.clientId);
  const hash = linkHash(content, seq, prevHash);
  return { seq, prevHash, hash, hmac: sealHash(key, hash) };
}

/** Only the hashed fields, whatever else the row carries (its id, its actor's email...). */
const contentOf = (e: ChainContent): ChainContent => ({
  at: e.at,
  actorUserId: e.actorUserId,
  clientId: e.clientId,
  action: e.action,
  entityType: e.entityType,
  entityId: e.entityId,
  before: e.before,
  after: e.after,
});

const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The first thing wrong with an event read back, given what its predecessor in the chain was; null when it holds. */
export function checkLink(
  key: string,
  event: ChainContent & ChainedFields,
  expected: { seq: number; prevHash: string },
): Exclude<BreakReason, 'unchained'> | null {
  if (event.seq !== expected.seq) return 'missing';
  if (event.prevHash !== expected.prevHash) return 'previous_link';
  if (linkHash(contentOf(event), event.seq, event.prevHash) !== event.hash) return 'content_hash';
  if (!sameHex(sealHash(key, event.hash), event.hmac)) return 'hmac';
  return null;
}
