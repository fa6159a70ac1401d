import { and, asc, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';
import { auditHead, auditLog } from '../db/schema.js';
import {
  type AuditEntry,
  GENESIS_HASH,
  type HashVersion,
  hashEntry,
  hashedTime,
  LEGACY_CHAIN,
} from './audit-entry.js';
import {
  type CheckpointConsistency,
  type CheckpointFinding,
  type CheckpointStatement,
  compareWithCheckpoints,
} from './checkpoint-consistency.js';

/** Where and why a chain first breaks. */
export interface BrokenLink {
  readonly chain: string;
  /** The place in the chain. */
  readonly seq: number;
  readonly problem: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'head_mismatch';
  readonly message: { readonly zh: string; readonly en: string };
}

/** A walk along one chain: how far it holds, and the hashes at the places asked for. */
export interface ChainWalk {
  readonly ok: boolean;
  readonly entries: number;
  readonly lastSeq: number;
  readonly lastHash: string;
  readonly firstBroken: BrokenLink | null;
  readonly hashesAt: ReadonlyMap<number, string>;
}

/** One chain checked against its head and its checkpoints. */
export interface ChainVerification {
  readonly chain: string;
  /** The authority whose chain it is; null for `system` and `legacy`. */
  readonly authorityId: string | null;
  /** The legacy chain (before 0023) is closed: nothing is appended to it any more. */
  readonly closed: boolean;
  /** The chain holds, ends where its head says, and agrees with every checkpoint given. */
  readonly ok: boolean;
  readonly entries: number;
  readonly lastSeq: number;
  readonly lastHash: string;
  readonly firstBroken: BrokenLink | null;
  /** Its `audit_head` row, which every append updates with its last entry. */
  readonly head: { readonly seq: number; readonly hash: string; readonly matches: boolean };
  readonly checkpoints: CheckpointConsistency;
}

/** Every chain (or the one asked for), and the first problem over all of them. */
export interface AuditVerification {
  /** Every chain holds, ends at its head and agrees with every checkpoint given. */
  readonly ok: boolean;
  readonly entries: number;
  readonly chains: ChainVerification[];
  /** The first broken link, in chain name order. */
  readonly firstBroken: BrokenLink | null;
  readonly checkpoints: {
    readonly checked: number;
    readonly inconsistent: number;
    readonly firstInconsistent: CheckpointFinding | null;
  };
}

const PAGE = 1000;

/**
 * The stored time as UTC text with microseconds, made by the database itself, so that
 * PostgreSQL and PGlite give the same text (a JavaScript Date would drop the microseconds).
 */
const AT_TEXT = sql<string>`to_char(${auditLog.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** An entry's place in its chain: `chain_seq`, or `seq` in the legacy chain (0023). */
const POSITION = sql<number>`coalesce(${auditLog.chainSeq}, ${auditLog.seq})`;

/** The columns of an audit row, with its time at full precision. */
export const AUDIT_SELECTION = { ...getTableColumns(auditLog), atText: AT_TEXT };

export type AuditRow = typeof auditLog.$inferSelect & { readonly atText: string };

/**
 * Re-computes every hash of every audit chain (or of `options.chain`) in order and reports, per
 * chain, the first broken link: a missing place, an entry not pointing at its predecessor, an
 * entry whose content no longer matches its hash (tampering), or a chain that does not end where
 * its `audit_head` row says (its newest entries deleted). With checkpoints — signed statements
 * of earlier heads, from the database or copies kept outside — it also reports, per chain, the
 * newest one the chain agrees with and the first one it contradicts: a tail rewritten together
 * with the head is found that way, and so is a chain deleted with its head.
 *
 * @example
 * const report = await verifyAuditChain(db, statements); // { ok: true, entries: 42, chains: […], … }
 */
export async function verifyAuditChain(
  db: Executor,
  checkpoints: readonly CheckpointStatement[] = [],
  options: { readonly chain?: string } = {},
): Promise<AuditVerification> {
  const only = options.chain;
  const heads = await db
    .select()
    .from(auditHead)
    .where(only === undefined ? undefined : eq(auditHead.chain, only));
  const names = new Set<string>(heads.map((head) => head.chain));
  if (only === undefined) {
    const logged = await queryRows<{ chain: string }>(
      db,
      sql`select distinct chain from audit_log`,
    );
    for (const row of logged) names.add(row.chain);
  } else {
    names.add(only);
  }
  for (const statement of checkpoints) {
    if (only === undefined || statement.chain === only) names.add(statement.chain);
  }
  const chains: ChainVerification[] = [];
  for (const chain of [...names].sort()) {
    chains.push(
      await verifyOneChain(
        db,
        chain,
        heads.find((head) => head.chain === chain),
        checkpoints.filter((statement) => statement.chain === chain),
      ),
    );
  }
  const findings = chains
    .map((chain) => chain.checkpoints.firstInconsistent)
    .filter((finding): finding is CheckpointFinding => finding !== null);
  return {
    ok: chains.every((chain) => chain.ok),
    entries: chains.reduce((sum, chain) => sum + chain.entries, 0),
    chains,
    firstBroken: chains.find((chain) => chain.firstBroken !== null)?.firstBroken ?? null,
    checkpoints: {
      checked: chains.reduce((sum, chain) => sum + chain.checkpoints.checked, 0),
      inconsistent: chains.reduce((sum, chain) => sum + chain.checkpoints.inconsistent, 0),
      firstInconsistent: findings[0] ?? null,
    },
  };
}

async function verifyOneChain(
  db: Executor,
  chain: string,
  headRow: typeof auditHead.$inferSelect | undefined,
  checkpoints: readonly CheckpointStatement[],
): Promise<ChainVerification> {
  const head = headRow ?? { seq: 0, hash: GENESIS_HASH, closedAt: null };
  const walk = await walkAuditChain(db, {
    chain,
    record: new Set(checkpoints.map((c) => c.sequence)),
  });
  const matches = walk.ok && head.seq === walk.lastSeq && head.hash === walk.lastHash;
  const firstBroken = walk.firstBroken ?? (matches ? null : headMismatch(chain, head, walk));
  const consistency = compareWithCheckpoints(walk, checkpoints);
  return {
    chain,
    authorityId: chain.startsWith('authority:') ? chain.slice('authority:'.length) : null,
    closed: chain === LEGACY_CHAIN,
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
 * const report = await verifyAuditSnapshot(db, loadCheckpointStatements, { chain: 'authority:km-yjj' });
 */
export function verifyAuditSnapshot(
  db: Database,
  loadCheckpoints: (tx: Executor) => Promise<readonly CheckpointStatement[]> = async () => [],
  options: { readonly chain?: string } = {},
): Promise<AuditVerification> {
  return db.transaction(async (tx) => verifyAuditChain(tx, await loadCheckpoints(tx), options), {
    isolationLevel: 'repeatable read',
    accessMode: 'read only',
  });
}

/**
 * Walks one chain from `from` (the genesis by default) up to `until` (the end by default),
 * checking every link, and keeps the hashes at the places in `record`.
 *
 * @example
 * const walk = await walkAuditChain(db, { chain: 'system', from: { seq: 40, hash }, until: 42 });
 */
export async function walkAuditChain(
  db: Executor,
  options: {
    readonly chain: string;
    readonly from?: { readonly seq: number; readonly hash: string };
    readonly until?: number;
    readonly record?: ReadonlySet<number>;
  },
): Promise<ChainWalk> {
  const { chain } = options;
  let expectedSeq = (options.from?.seq ?? 0) + 1;
  let prevHash = options.from?.hash ?? GENESIS_HASH;
  let count = 0;
  const hashesAt = new Map<number, string>();
  const wanted = options.record ?? new Set<number>();
  if (wanted.has(expectedSeq - 1)) hashesAt.set(expectedSeq - 1, prevHash);
  for (;;) {
    const conditions: SQL[] = [eq(auditLog.chain, chain), sql`${POSITION} > ${expectedSeq - 1}`];
    if (options.until !== undefined) conditions.push(sql`${POSITION} <= ${options.until}`);
    const rows = await db
      .select(AUDIT_SELECTION)
      .from(auditLog)
      .where(and(...conditions))
      .orderBy(asc(POSITION))
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
      if (wanted.has(entry.chainSeq)) hashesAt.set(entry.chainSeq, entry.hash);
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

function headMismatch(
  chain: string,
  head: { seq: number; hash: string },
  walk: ChainWalk,
): BrokenLink {
  if (head.seq > walk.lastSeq) {
    return {
      chain,
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
      chain,
      seq: head.seq + 1,
      problem: 'head_mismatch',
      message: {
        zh: `日志在链头（第 ${head.seq} 条）之后仍有记录，未经正常追加`,
        en: `the log goes on past the head (entry ${head.seq}): entries not appended the normal way`,
      },
    };
  }
  return {
    chain,
    seq: head.seq,
    problem: 'head_mismatch',
    message: {
      zh: `第 ${head.seq} 条记录的哈希与链头不符（最新记录被改写）`,
      en: `entry ${head.seq} does not have the hash the head records (the newest entry was rewritten)`,
    },
  };
}

function checkLink(entry: AuditEntry, expectedSeq: number, prevHash: string): BrokenLink | null {
  const chain = entry.chain;
  if (entry.chainSeq !== expectedSeq) {
    return {
      chain,
      seq: expectedSeq,
      problem: 'sequence_gap',
      message: {
        zh: `缺少第 ${expectedSeq} 条记录（下一条为第 ${entry.chainSeq} 条）`,
        en: `entry ${expectedSeq} is missing (the next is ${entry.chainSeq})`,
      },
    };
  }
  if (entry.prevHash !== prevHash) {
    return {
      chain,
      seq: entry.chainSeq,
      problem: 'prev_hash_mismatch',
      message: {
        zh: `第 ${entry.chainSeq} 条记录未指向前一条记录的哈希`,
        en: `entry ${entry.chainSeq} does not point at the previous entry's hash`,
      },
    };
  }
  if (hashEntry(prevHash, entry) !== entry.hash) {
    return {
      chain,
      seq: entry.chainSeq,
      problem: 'hash_mismatch',
      message: {
        zh: `第 ${entry.chainSeq} 条记录内容与其哈希不符（可能被篡改）`,
        en: `entry ${entry.chainSeq} no longer matches its hash (tampered with)`,
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
    chain: row.chain,
    chainSeq: row.chainSeq ?? row.seq,
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
