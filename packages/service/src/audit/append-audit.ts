import { desc, sql } from 'drizzle-orm';
import type { Transaction } from '../db/open-database.js';
import { auditLog } from '../db/schema.js';
import {
  type AuditEntry,
  type AuditEntryInput,
  GENESIS_HASH,
  hashEntry,
  toJsonValue,
} from './audit-entry.js';

/** The advisory lock key that serialises appends, so that concurrent writers never fork. */
const AUDIT_LOCK_KEY = 7_212_025_121_700;
const INSERT_BATCH = 500;

/**
 * Appends entries to the audit log inside the caller's transaction, chained by SHA-256 to the
 * last entry. It takes a transaction-scoped advisory lock, so appends from concurrent
 * transactions queue up and the chain stays linear; the lock and the entries go away together
 * if the transaction rolls back. Call it in the same transaction as the change it records.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   await tx.update(tasks).set({ status: 'cancelled' }).where(eq(tasks.id, id));
 *   await appendAudit(tx, { actor, action: 'task.cancelled', entityType: 'task', entityId: id,
 *     reason, before, after });
 * });
 */
export async function appendAudit(
  tx: Transaction,
  input: AuditEntryInput | readonly AuditEntryInput[],
  now: Date = new Date(),
): Promise<AuditEntry[]> {
  const inputs = Array.isArray(input) ? input : [input as AuditEntryInput];
  if (inputs.length === 0) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const [last] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = now.toISOString();
  const entries: AuditEntry[] = inputs.map((entry) => {
    seq += 1;
    const unhashed = {
      seq,
      at,
      actorKeyId: entry.actor.keyId,
      actorAuthorityId: entry.actor.authorityId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      reason: entry.reason ?? null,
      before: toJsonValue(entry.before),
      after: toJsonValue(entry.after),
    };
    const hash = hashEntry(prevHash, unhashed);
    const stored: AuditEntry = { ...unhashed, prevHash, hash };
    prevHash = hash;
    return stored;
  });
  for (let start = 0; start < entries.length; start += INSERT_BATCH) {
    await tx.insert(auditLog).values(
      entries.slice(start, start + INSERT_BATCH).map((entry) => ({
        ...entry,
        at: new Date(entry.at),
        // drizzle writes `null` into jsonb as SQL NULL; read-back maps it to null again.
        before: entry.before,
        after: entry.after,
      })),
    );
  }
  return entries;
}
