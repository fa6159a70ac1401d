import { and, asc, getTableColumns, gt, lte, type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/open-database.js';
import { auditHead, auditLog } from '../db/schema.js';
import {
  type AuditEntry,
  GENESIS_HASH,
  type HashVersion,
  hashEntry,
  hashedTime,
} from './audit-entry.js';
import {
  type CheckpointConsistency,
  type CheckpointStatement,
  compareWithCheckpoints,
} from './checkpoint-consistency.js';

/** Where and why the chain first breaks. */
export interface BrokenLink {
  readonly seq: number;
  readonly problem: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'head_mismatch';
  readonly message: { readonly zh: string; readonly en: string };
}

/** A walk along the chain: how far it holds, and the hashes at the sequence numbers asked for. */
export interface ChainWalk {
  readonly ok: boolean;
  readonly entries: number;
  readonly lastSeq: number;
  readonly lastHash: string;
  readonly firstBroken: BrokenLink | null;
  readonly hashesAt: ReadonlyMap<number, string>;
}

export interface ChainVerification {
  /** The chain holds, ends where the head says, and agrees with every checkpoint given. */
  readonly ok: boolean;
  readonly entries: number;
  readonly lastSeq: number;
  readonly lastHash: string;
  readonly firstBroken: BrokenLink | null;
  /** `audit_head`, which every append updates with its last entry. */
  readonly head: { readonly seq: number; readonly hash: string; readonly matches: boolean };
  readonly checkpoints: CheckpointConsistency;
}

const PAGE = 1000;

/**
 * The stored time as UTC text with microseconds, made by the database itself, so that
 * PostgreSQL and PGlite give the same text (a JavaScript Date would drop the microseconds).
 */
const AT_TEXT = sql<string>`to_char(${auditLog.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The columns of an audit row, with its time at full precision. */
export const AUDIT_SELECTION = { ...getTableColumns(auditLog), atText: AT_TEXT };

export type AuditRow = typeof auditLog.$inferSelect & { readonly atText: string };

/**
 * Re-computes every hash of the audit log in order and reports the first broken link: a missing
 * sequence number, an entry not pointing at its predecessor, an entry whose content no longer
 * matches its hash (tampering), or a log that does not end where `audit_head` says (its newest
 * entries deleted). With checkpoints — signed statements of earlier heads, from the database or
 * copies kept outside — it also reports the newest one the chain agrees with and the first one
 * it contradicts: a tail rewritten together with the head is found that way.
 *
 * @example
 * const report = await verifyAuditChain(db, statements); // { ok: true, entries: 42, firstBroken: null, … }
 */
export async function verifyAuditChain(
  db: Executor,
  checkpoints: readonly CheckpointStatement[] = [],
): Promise<ChainVerification> {
  const [headRow] = await db.select().from(auditHead);
  const head = headRow ?? { seq: 0, hash: GENESIS_HASH };
  const walk = await walkAuditChain(db, { record: new Set(checkpoints.map((c) => c.sequence)) });
  const matches = walk.ok && head.seq === walk.lastSeq && head.hash === walk.lastHash;
  const firstBroken = walk.firstBroken ?? (matches ? null : headMismatch(head, walk));
  const consistency = compareWithCheckpoints(walk, checkpoints);
  return {
    ok: firstBroken === null && consistency.firstInconsistent === null,
    entries: walk.entries,
    lastSeq: walk.lastSeq,
    lastHash: walk.lastHash,
    firstBroken,
    head: { seq: head.seq, hash: head.hash, matches },
    checkpoints: consistency,
  };
}

/**
 * `verifyAuditChain` on one snapshot of the database (a read-only REPEATABLE READ
 * transaction), so that entries appended while it walks are neither a log "past its head"
 * nor missed; with the checkpoints `loadCheckpoints` reads in the same snapshot.
 *
 * @example
 * const report = await verifyAuditSnapshot(db, loadCheckpointStatements);
 */
export function verifyAuditSnapshot(
  db: Database,
  loadCheckpoints: (tx: Executor) => Promise<readonly CheckpointStatement[]> = async () => [],
): Promise<ChainVerification> {
  return db.transaction(async (tx) => verifyAuditChain(tx, await loadCheckpoints(tx)), {
    isolationLevel: 'repeatable read',
    accessMode: 'read only',
  });
}

/**
 * Walks the chain from `from` (the genesis by default) up to `until` (the end by default),
 * checking every link, and keeps the hashes at the sequence numbers in `record`.
 *
 * @example
 * const walk = await walkAuditChain(db, { from: { seq: 40, hash }, until: 42 });
 */
export async function walkAuditChain(
  db: Executor,
  options: {
    readonly from?: { readonly seq: number; readonly hash: string };
    readonly until?: number;
    readonly record?: ReadonlySet<number>;
  } = {},
): Promise<ChainWalk> {
  let expectedSeq = (options.from?.seq ?? 0) + 1;
  let prevHash = options.from?.hash ?? GENESIS_HASH;
  let count = 0;
  const hashesAt = new Map<number, string>();
  const wanted = options.record ?? new Set<number>();
  if (wanted.has(expectedSeq - 1)) hashesAt.set(expectedSeq - 1, prevHash);
  for (;;) {
    const conditions: SQL[] = [gt(auditLog.seq, expectedSeq - 1)];
    if (options.until !== undefined) conditions.push(lte(auditLog.seq, options.until));
    const rows = await db
      .select(AUDIT_SELECTION)
      .from(auditLog)
      .where(and(...conditions))
      .orderBy(asc(auditLog.seq))
      .limit(PAGE);
    for (const row of rows) {
      const entry = rowToAuditEntry(row);
      const broken = checkLink(entry, expectedSeq, prevHash);
      if (broken) {
        return {
          ok: false,
          entries: count,
          lastSeq: expectedSeq - 1,
          lastHash: prevHash,
          firstBroken: broken,
          hashesAt,
        };
      }
      count += 1;
      expectedSeq += 1;
      prevHash = entry.hash;
      if (wanted.has(entry.seq)) hashesAt.set(entry.seq, entry.hash);
    }
    if (rows.length < PAGE) break;
  }
  return {
    ok: true,
    entries: count,
    lastSeq: expectedSeq - 1,
    lastHash: prevHash,
    firstBroken: null,
    hashesAt,
  };
}

function headMismatch(head: { seq: number; hash: string }, walk: ChainWalk): BrokenLink {
  if (head.seq > walk.lastSeq) {
    return {
      seq: walk.lastSeq + 1,
      problem: 'head_mismatch',
      message: {
        zh: `链头记录到第 ${head.seq} 条，日志只到第 ${walk.lastSeq} 条（最新记录被删除）`,
        en: `the head records entry ${head.seq} but the log ends at ${walk.lastSeq} (newest entries deleted)`,
      },
    };
  }
  if (head.seq < walk.lastSeq) {
    return {
      seq: head.seq + 1,
      problem: 'head_mismatch',
      message: {
        zh: `日志在链头（第 ${head.seq} 条）之后仍有记录，未经正常追加`,
        en: `the log goes on past the head (entry ${head.seq}): entries not appended the normal way`,
      },
    };
  }
  return {
    seq: head.seq,
    problem: 'head_mismatch',
    message: {
      zh: `第 ${head.seq} 条记录的哈希与链头不符（最新记录被改写）`,
      en: `entry ${head.seq} does not have the hash the head records (the newest entry was rewritten)`,
    },
  };
}

function checkLink(entry: AuditEntry, expectedSeq: number, prevHash: string): BrokenLink | null {
  if (entry.seq !== expectedSeq) {
    return {
      seq: expectedSeq,
      problem: 'sequence_gap',
      message: {
        zh: `缺少第 ${expectedSeq} 条记录（下一条为第 ${entry.seq} 条）`,
        en: `entry ${expectedSeq} is missing (the next is ${entry.seq})`,
      },
    };
  }
  if (entry.prevHash !== prevHash) {
    return {
      seq: entry.seq,
      problem: 'prev_hash_mismatch',
      message: {
        zh: `第 ${entry.seq} 条记录未指向前一条记录的哈希`,
        en: `entry ${entry.seq} does not point at the previous entry's hash`,
      },
    };
  }
  if (hashEntry(prevHash, entry) !== entry.hash) {
    return {
      seq: entry.seq,
      problem: 'hash_mismatch',
      message: {
        zh: `第 ${entry.seq} 条记录内容与其哈希不符（可能被篡改）`,
        en: `entry ${entry.seq} no longer matches its hash (tampered with)`,
      },
    };
  }
  return null;
}

/**
 * An audit row (selected with `AUDIT_SELECTION`) as JSON, its time as it was hashed.
 *
 * @example
 * const [row] = await db.select(AUDIT_SELECTION).from(auditLog).where(eq(auditLog.seq, 1));
 * rowToAuditEntry(row).at; // '2026-12-02T06:00:00.123000Z'
 */
export function rowToAuditEntry(row: AuditRow): AuditEntry {
  const hashVersion = row.hashVersion as HashVersion;
  return {
    seq: row.seq,
    at: hashedTime(row.atText, hashVersion),
    actorKeyId: row.actorKeyId,
    actorAuthorityId: row.actorAuthorityId,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    reason: row.reason,
    before: row.before ?? null,
    after: row.after ?? null,
    prevHash: row.prevHash,
    hash: row.hash,
    hashVersion,
  };
}
