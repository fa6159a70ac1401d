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
  /**
   * The authority whose chain the entry goes to when it is not the actor's: a write of a system
   * actor (dispatch, reply links) about one authority's object. Without it, an entry of an
   * actor of no authority about a task goes to the task's authority (`appendAudit` looks it up).
   */
  readonly authorityId?: string | null;
  /** A dotted verb, e.g. `expert.created`, `expert.suspended`, `task.created`, `draw.made`. */
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly reason?: string | null | undefined;
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * How an entry was hashed. 1: the time to the millisecond, as entries were written before
 * migration 0010 (they keep that form, so they still verify). 2: the time to the microsecond,
 * as PostgreSQL stores it, and the version itself in the hashed body. 3 (0023): the chain and the
 * place in it instead of the global `seq`. Versions 1 and 2 are the legacy chain's.
 */
export type HashVersion = 1 | 2 | 3;

/** The version new entries are hashed in. */
export const CURRENT_HASH_VERSION: HashVersion = 3;

/** The single chain written before migration 0023: closed, verified as it was hashed. */
export const LEGACY_CHAIN = 'legacy';

/** The chain of entries whose actor has no authority (the CLI, scheduled jobs). */
export const SYSTEM_CHAIN = 'system';

/**
 * The chain an actor's entries go to: one per authority, so that authorities never wait on
 * each other's audit appends.
 *
 * @example
 * chainOf({ keyId: 'k1', authorityId: 'km-yjj' }); // 'authority:km-yjj'
 * chainOf({ keyId: null, authorityId: null }); // 'system'
 */
export function chainOf(actor: Actor): string {
  return actor.authorityId === null ? SYSTEM_CHAIN : authorityChain(actor.authorityId);
}

/**
 * The chain of one authority.
 *
 * @example
 * authorityChain('yn-yjt'); // 'authority:yn-yjt'
 */
export function authorityChain(authorityId: string): string {
  return `authority:${authorityId}`;
}

/** An entry as stored and as `GET /v1/audit` returns it. */
export interface AuditEntry {
  /** The listing order across chains; in the legacy chain also the place in the chain. */
  readonly seq: number;
  readonly chain: string;
  /** The place in the chain, from 1. */
  readonly chainSeq: number;
  /**
   * The time as hashed, UTC: `2026-12-02T06:00:00.123Z` (version 1) or
   * `2026-12-02T06:00:00.123000Z` (version 2, microseconds as stored).
   */
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
  readonly hashVersion: HashVersion;
}

/**
 * The hash of an entry: sha256(prevHash + canonical JSON of everything but the hashes); from
 * version 2 on, the body names its version, so an entry cannot be passed off as another form;
 * from version 3 on, `seq` is the place in the chain and the body names the chain, so an entry
 * cannot be moved to another chain.
 *
 * @example
 * hashEntry(GENESIS_HASH, { chain: 'system', chainSeq: 1, at: '2026-01-01T00:00:00.000000Z', hashVersion: 3, … }); // 64 hex digits
 */
export function hashEntry(
  prevHash: string,
  entry: Omit<AuditEntry, 'prevHash' | 'hash' | 'seq' | 'chain' | 'chainSeq'> &
    ({ readonly seq: number } | { readonly chain: string; readonly chainSeq: number }),
): string {
  const position = 'chainSeq' in entry ? entry.chainSeq : entry.seq;
  const fields = {
    seq: position,
    at: entry.at,
    actorKeyId: entry.actorKeyId,
    actorAuthorityId: entry.actorAuthorityId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    reason: entry.reason,
    before: entry.before,
    after: entry.after,
  };
  const body = canonicalJson(
    entry.hashVersion === 1
      ? fields
      : entry.hashVersion === 2
        ? { ...fields, v: 2 }
        : { ...fields, chain: 'chain' in entry ? entry.chain : LEGACY_CHAIN, v: 3 },
  );
  return createHash('sha256')
    .update(prevHash + body, 'utf8')
    .digest('hex');
}

/**
 * The time of a new entry as version 2 hashes it: UTC with six decimals. A JavaScript clock
 * has milliseconds; PostgreSQL stores microseconds, and reads them back in this same form
 * (`AUDIT_AT_TEXT`), on PostgreSQL and PGlite alike.
 *
 * @example
 * microsecondTime(new Date('2026-12-02T14:00:00.123+08:00')); // '2026-12-02T06:00:00.123000Z'
 */
export function microsecondTime(at: Date): string {
  return `${at.toISOString().slice(0, -1)}000Z`;
}

/**
 * The stored time as an entry of `version` was hashed, from the database's microsecond text.
 * A version 1 entry was written with milliseconds: its text ends in `000Z`, or it was changed.
 *
 * @example
 * hashedTime('2026-12-02T06:00:00.123000Z', 1); // '2026-12-02T06:00:00.123Z'
 */
export function hashedTime(storedMicroseconds: string, version: HashVersion): string {
  if (version === 1 && storedMicroseconds.endsWith('000Z')) {
    return `${storedMicroseconds.slice(0, -4)}Z`;
  }
  return storedMicroseconds;
}

/** A value as it reads back from jsonb: plain JSON, `undefined` as null. */
export function toJsonValue(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
