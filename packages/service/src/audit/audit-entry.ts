import { createHash } from 'node:crypto';
import { canonicalJson } from '@expert-dispatch/matcher';

/** The `prev_hash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Who made a change: the API key and its authority, or a system actor such as the CLI. */
export interface Actor {
  readonly keyId: string | null;
  readonly authorityId: string | null;
}

/** What the caller says happened; `appendAudit` adds the sequence, time and hashes. */
export interface AuditEntryInput {
  readonly actor: Actor;
  /** A dotted verb, e.g. `expert.created`, `expert.suspended`, `task.created`, `draw.made`. */
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly reason?: string | null | undefined;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** An entry as stored and as `GET /v1/audit` returns it. */
export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actorKeyId: string | null;
  readonly actorAuthorityId: string | null;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly reason: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * The hash of an entry: sha256(prevHash + canonical JSON of everything but the hashes).
 *
 * @example
 * hashEntry(GENESIS_HASH, { seq: 1, at: '2026-01-01T00:00:00.000Z', … }); // 64 hex digits
 */
export function hashEntry(prevHash: string, entry: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at,
    actorKeyId: entry.actorKeyId,
    actorAuthorityId: entry.actorAuthorityId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    reason: entry.reason,
    before: entry.before,
    after: entry.after,
  });
  return createHash('sha256')
    .update(prevHash + body, 'utf8')
    .digest('hex');
}

/** A value as it reads back from jsonb: plain JSON, `undefined` as null. */
export function toJsonValue(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
