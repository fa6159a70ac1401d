import { inArray, sql } from 'drizzle-orm';
import type { Transaction } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';
import { tasks } from '../db/schema.js';
import {
  type AuditEntry,
  type AuditEntryInput,
  authorityChain,
  CURRENT_HASH_VERSION,
  chainOf,
  GENESIS_HASH,
  hashEntry,
  microsecondTime,
  toJsonValue,
} from './audit-entry.js';

/** Entries per INSERT: one JSON parameter each, so a 10,000-row import stays a few statements. */
const INSERT_BATCH = 1000;

/**
 * Appends entries to the audit log inside the caller's transaction, each to its authority's
 * chain — `authorityId` if given, else the actor's, else (an actor of no authority writing about
 * a task) the task's; `system` for the rest — chained by SHA-256 to that chain's last
 * entry. It reads the chain's tail from `audit_head` `FOR UPDATE`: concurrent appends to the
 * same chain queue on that row, and the one that waited reads the tail its predecessor
 * committed, so the chain stays linear (the unique (chain, position) index would refuse a fork
 * anyway); appends to other chains take other rows and never wait on it. The row locks and the
 * entries go away together if the transaction rolls back. Two statements per chain appended to,
 * whatever the count (one more the first time a chain is written). Entries of several chains in
 * one call lock the chains in name order.
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
  const taskAuthority = await taskAuthorities(tx, inputs);
  const byChain = new Map<string, AuditEntryInput[]>();
  for (const entry of inputs) {
    const owner = entry.authorityId ?? entry.actor.authorityId ?? taskAuthority.get(entry.entityId);
    const chain = owner == null ? chainOf(entry.actor) : authorityChain(owner);
    const list = byChain.get(chain);
    if (list === undefined) byChain.set(chain, [entry]);
    else list.push(entry);
  }
  const written = new Map<AuditEntryInput, AuditEntry>();
  const at = microsecondTime(now);
  for (const chain of [...byChain.keys()].sort()) {
    const chainInputs = byChain.get(chain) as AuditEntryInput[];
    const entries = await appendToChain(tx, chain, chainInputs, at);
    chainInputs.forEach((entry, k) => {
      written.set(entry, entries[k] as AuditEntry);
    });
  }
  return inputs.map((entry) => written.get(entry) as AuditEntry);
}

/**
 * The authority of each task that an entry of an actor of no authority is about (the dispatch
 * worker, reply links, the SMS gateway): such a write belongs to the task's authority, and goes
 * to its chain rather than queueing every authority's replies on the `system` chain.
 */
async function taskAuthorities(
  tx: Transaction,
  inputs: readonly AuditEntryInput[],
): Promise<Map<string, string>> {
  const ids = [
    ...new Set(
      inputs
        .filter(
          (entry) =>
            entry.authorityId == null &&
            entry.actor.authorityId === null &&
            entry.entityType === 'task',
        )
        .map((entry) => entry.entityId),
    ),
  ];
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: tasks.id, authorityId: tasks.authorityId })
    .from(tasks)
    .where(inArray(tasks.id, ids));
  return new Map(rows.map((row) => [row.id, row.authorityId]));
}

async function lockHead(
  tx: Transaction,
  chain: string,
): Promise<{ seq: number; hash: string } | undefined> {
  const [head] = await queryRows<{ seq: string | number; hash: string; closed: boolean }>(
    tx,
    sql`select seq, hash, closed_at is not null as closed from audit_head
        where chain = ${chain} for update`,
  );
  if (head === undefined) return undefined;
  if (head.closed) throw new Error(`audit chain ${chain} is closed`);
  return { seq: Number(head.seq), hash: head.hash };
}

async function appendToChain(
  tx: Transaction,
  chain: string,
  inputs: readonly AuditEntryInput[],
  at: string,
): Promise<AuditEntry[]> {
  let head = await lockHead(tx, chain);
  if (head === undefined) {
    // A chain's first entry: its head starts at the genesis. A concurrent first append waits on
    // the other's uncommitted row (unique key) and then finds it.
    await tx.execute(sql`insert into audit_head (chain, seq, hash)
                         values (${chain}, 0, ${GENESIS_HASH}) on conflict (chain) do nothing`);
    head = await lockHead(tx, chain);
    if (head === undefined) throw new Error(`audit_head: no row for chain ${chain}`);
  }
  let chainSeq = head.seq;
  let prevHash = head.hash;
  const unhashedEntries = inputs.map((entry) => {
    chainSeq += 1;
    const unhashed = {
      chain,
      chainSeq,
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
    const stored = { ...unhashed, prevHash, hash };
    prevHash = hash;
    return stored;
  });
  const entries: AuditEntry[] = [];
  for (let start = 0; start < unhashedEntries.length; start += INSERT_BATCH) {
    const batch = unhashedEntries.slice(start, start + INSERT_BATCH);
    const last = batch[batch.length - 1] as (typeof batch)[number];
    // One JSON parameter for the whole batch; a JSON null before/after is stored as SQL NULL,
    // which reads back as null, as the hash was computed. `seq` comes from its sequence.
    const rows = await queryRows<{ seq: string | number; chain_seq: string | number }>(
      tx,
      sql`
      with inserted as (
        insert into audit_log (chain, chain_seq, at, actor_key_id, actor_authority_id, action,
                               entity_type, entity_id, reason, before, after, prev_hash, hash,
                               hash_version)
        select x."chain", x."chainSeq", x."at", x."actorKeyId", x."actorAuthorityId", x."action",
               x."entityType", x."entityId", x."reason", nullif(x."before", 'null'::jsonb),
               nullif(x."after", 'null'::jsonb), x."prevHash", x."hash", x."hashVersion"
        from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(
          "chain" text, "chainSeq" bigint, "at" timestamptz, "actorKeyId" text,
          "actorAuthorityId" text, "action" text, "entityType" text, "entityId" text,
          "reason" text, "before" jsonb, "after" jsonb, "prevHash" text, "hash" text,
          "hashVersion" integer)
        order by x."chainSeq"
        returning seq, chain_seq
      ), moved as (
        update audit_head set seq = ${last.chainSeq}, hash = ${last.hash} where chain = ${chain}
      )
      select seq, chain_seq from inserted`,
    );
    const seqAt = new Map(rows.map((row) => [Number(row.chain_seq), Number(row.seq)]));
    for (const entry of batch) {
      entries.push({ ...entry, seq: seqAt.get(entry.chainSeq) ?? 0 });
    }
  }
  return entries;
}
