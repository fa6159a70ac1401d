import { asc, gt } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { auditLog } from '../db/schema.js';
import { type AuditEntry, GENESIS_HASH, hashEntry } from './audit-entry.js';

/** Where and why the chain first breaks. */
export interface BrokenLink {
  readonly seq: number;
  readonly problem: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch';
  readonly message: { readonly zh: string; readonly en: string };
}

export interface ChainVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly lastSeq: number;
  readonly lastHash: string;
  readonly firstBroken: BrokenLink | null;
}

const PAGE = 1000;

/**
 * Re-computes every hash of the audit log in order and reports the first broken link: a missing
 * sequence number, an entry not pointing at its predecessor, or an entry whose content no longer
 * matches its hash (tampering).
 *
 * @example
 * const report = await verifyAuditChain(db); // { ok: true, entries: 42, firstBroken: null, … }
 */
export async function verifyAuditChain(db: Executor): Promise<ChainVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, expectedSeq - 1))
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
        };
      }
      count += 1;
      expectedSeq += 1;
      prevHash = entry.hash;
    }
    if (rows.length < PAGE) break;
  }
  return {
    ok: true,
    entries: count,
    lastSeq: expectedSeq - 1,
    lastHash: prevHash,
    firstBroken: null,
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

/** An audit row as JSON. */
export function rowToAuditEntry(row: typeof auditLog.$inferSelect): AuditEntry {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
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
  };
}
