import { sql } from 'drizzle-orm';
import type { Transaction } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';
import {
  type AuditEntry,
  type AuditEntryInput,
  CURRENT_HASH_VERSION,
  hashEntry,
  microsecondTime,
  toJsonValue,
} from './audit-entry.js';

/** Entries per INSERT: one JSON parameter each, so a 10,000-row import stays a few statements. */
const INSERT_BATCH = 1000;

/**
 * Appends entries to the audit log inside the caller's transaction, chained by SHA-256 to the
 * last entry. It reads the chain's tail from `audit_head` `FOR UPDATE`: concurrent appends queue
 * on that row, and the one that waited reads the tail its predecessor committed, so the chain
 * stays linear (the `seq` primary key would refuse a fork anyway). The row lock and the entries
 * go away together if the transaction rolls back. Two statements per append, whatever the count.
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
  const [head] = await queryRows<{ seq: string | number; hash: string }>(
    tx,
    sql`select seq, hash from audit_head where id = 1 for update`,
  );
  if (head === undefined) throw new Error('audit_head is missing: run the migrations');
  let seq = Number(head.seq);
  let prevHash = head.hash;
  const at = microsecondTime(now);
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
      hashVersion: CURRENT_HASH_VERSION,
    };
    const hash = hashEntry(prevHash, unhashed);
    const stored: AuditEntry = { ...unhashed, prevHash, hash };
    prevHash = hash;
    return stored;
  });
  for (let start = 0; start < entries.length; start += INSERT_BATCH) {
    const batch = entries.slice(start, start + INSERT_BATCH);
    const last = batch[batch.length - 1] as AuditEntry;
    // One JSON parameter for the whole batch; a JSON null before/after is stored as SQL NULL,
    // which reads back as null, as the hash was computed.
    await tx.execute(sql`
      with inserted as (
        insert into audit_log (seq, at, actor_key_id, actor_authority_id, action, entity_type,
                               entity_id, reason, before, after, prev_hash, hash, hash_version)
        select x."seq", x."at", x."actorKeyId", x."actorAuthorityId", x."action", x."entityType",
               x."entityId", x."reason", nullif(x."before", 'null'::jsonb),
               nullif(x."after", 'null'::jsonb), x."prevHash", x."hash", x."hashVersion"
        from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(
          "seq" bigint, "at" timestamptz, "actorKeyId" text, "actorAuthorityId" text,
          "action" text, "entityType" text, "entityId" text, "reason" text, "before" jsonb,
          "after" jsonb, "prevHash" text, "hash" text, "hashVersion" integer)
      )
      update audit_head set seq = ${last.seq}, hash = ${last.hash} where id = 1`);
  }
  return entries;
}
