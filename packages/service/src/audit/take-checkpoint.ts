import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Transaction } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';
import { auditCheckpoints, auditHead, outbox } from '../db/schema.js';
import { newOutboxId } from '../dispatch/write-invitation-outbox.js';
import { GENESIS_HASH } from './audit-entry.js';
import { type CheckpointSigner, checkpointMessage } from './checkpoint-key.js';
import { type BrokenLink, walkAuditChain } from './verify-audit-chain.js';

/** A checkpoint as stored and listed: one chain's head, signed. */
export interface AuditCheckpoint {
  readonly id: number;
  /** The chain whose head it signs: `authority:<id>`, `system`, or `legacy` (before 0023). */
  readonly chain: string;
  /** The place in the chain of the last entry it covers. */
  readonly sequence: number;
  readonly hash: string;
  /** When it was taken, ISO 8601 UTC with milliseconds, as signed. */
  readonly at: string;
  readonly keyId: string;
  /** Ed25519 over `checkpointMessage({chain, sequence, hash, at, keyId})`, base64. */
  readonly signature: string;
  readonly trigger: 'scheduled' | 'on_demand';
  readonly requestedBy: string | null;
}

/** What one round of checkpoints signed, and the chains it refused to vouch for. */
export interface CheckpointRound {
  readonly checkpoints: readonly AuditCheckpoint[];
  /** Chains whose entries since their previous checkpoint do not extend it to their head. */
  readonly broken: readonly BrokenLink[];
}

/** The outbox kind that sends a checkpoint to the sinks the worker is configured with. */
export const CHECKPOINT_EXPORT_JOB = 'audit_checkpoint_export';

/**
 * Signs the heads of the audit chains as they are committed now (`audit_head`, or only
 * `options.chain`): one checkpoint of `{chain, sequence, hash, at, keyId}` per chain. A
 * scheduled round signs the chains whose head moved since their newest checkpoint; an
 * on-demand round signs every chain with entries (but a closed chain only until its head is
 * signed once). Each chain is first walked from its previous checkpoint and signed only if the
 * entries extend it and end at the head — a checkpoint never vouches for a chain that is
 * already broken (that chain's broken link comes back instead; the others are still signed).
 * With `exportIt`, an outbox row per checkpoint sends it to the configured sinks
 * (`exportCheckpoint`), in the same transaction, so it is exported exactly when it exists,
 * whatever happens to Redis or the receiver meanwhile.
 *
 * @example
 * const round = await db.transaction((tx) =>
 *   takeCheckpoint(tx, signer, { now, trigger: 'on_demand', requestedBy: keyId, exportIt: true }));
 */
export async function takeCheckpoint(
  tx: Transaction,
  signer: CheckpointSigner,
  options: {
    readonly now: Date;
    readonly trigger: AuditCheckpoint['trigger'];
    readonly requestedBy?: string | null;
    readonly exportIt: boolean;
    readonly chain?: string;
  },
): Promise<CheckpointRound> {
  const only = options.chain;
  const heads = await tx
    .select()
    .from(auditHead)
    .where(only === undefined ? undefined : eq(auditHead.chain, only))
    .orderBy(asc(auditHead.chain));
  const previousRows = await tx
    .selectDistinctOn([auditCheckpoints.chain])
    .from(auditCheckpoints)
    .where(only === undefined ? undefined : eq(auditCheckpoints.chain, only))
    .orderBy(auditCheckpoints.chain, desc(auditCheckpoints.seq), desc(auditCheckpoints.id));
  const previousOf = new Map(previousRows.map((row) => [row.chain, row]));
  const at = options.now.toISOString();
  const signed: AuditCheckpoint[] = [];
  const broken: BrokenLink[] = [];
  for (const head of heads) {
    const previous = previousOf.get(head.chain);
    const anchored =
      previous !== undefined && previous.seq === head.seq && previous.hash === head.hash;
    if (head.seq === 0 && previous === undefined) continue; // nothing to anchor yet
    if (anchored && (options.trigger === 'scheduled' || head.closedAt !== null)) continue;
    const from = previous === undefined ? { seq: 0, hash: GENESIS_HASH } : previous;
    const link = await brokenSince(tx, head.chain, from, head);
    if (link !== null) {
      broken.push(link);
      continue;
    }
    const fields = {
      chain: head.chain,
      sequence: head.seq,
      hash: head.hash,
      at,
      keyId: signer.keyId,
    };
    const [row] = await tx
      .insert(auditCheckpoints)
      .values({
        chain: head.chain,
        seq: head.seq,
        hash: head.hash,
        at: options.now,
        keyId: signer.keyId,
        signature: signer.sign(checkpointMessage(fields)),
        trigger: options.trigger,
        requestedBy: options.requestedBy ?? null,
      })
      .returning();
    if (row === undefined) throw new Error('audit_checkpoints: insert returned nothing');
    signed.push(rowToCheckpoint(row));
  }
  if (options.exportIt) {
    await queueCheckpointExports(
      tx,
      signed.map((checkpoint) => checkpoint.id),
      options.now,
    );
  }
  return { checkpoints: signed, broken };
}

/** Whether the entries of `chain` after `from` up to its head extend `from` and end at the head. */
async function brokenSince(
  tx: Transaction,
  chain: string,
  from: { readonly seq: number; readonly hash: string },
  head: { readonly seq: number; readonly hash: string },
): Promise<BrokenLink | null> {
  if (head.seq < from.seq) {
    return {
      chain,
      seq: head.seq + 1,
      problem: 'head_mismatch',
      message: {
        zh: `链头（第 ${head.seq} 条）落后于上一个检查点（第 ${from.seq} 条）：记录被删除`,
        en: `the head (entry ${head.seq}) is behind the previous checkpoint (entry ${from.seq}): entries deleted`,
      },
    };
  }
  const walk = await walkAuditChain(tx, { chain, from, until: head.seq });
  if (walk.firstBroken !== null) return walk.firstBroken;
  if (walk.lastSeq === head.seq && walk.lastHash === head.hash) return null;
  return {
    chain,
    seq: walk.lastSeq === head.seq ? head.seq : walk.lastSeq + 1,
    problem: 'head_mismatch',
    message: {
      zh: `日志（至第 ${walk.lastSeq} 条）与链头（第 ${head.seq} 条）不符`,
      en: `the log (up to entry ${walk.lastSeq}) does not end at the head (entry ${head.seq})`,
    },
  };
}

/**
 * Writes one export outbox row per checkpoint (background: never ahead of an invitation).
 *
 * @example
 * await queueCheckpointExports(tx, [12, 13], now);
 */
export async function queueCheckpointExports(
  tx: Transaction,
  checkpointIds: readonly number[],
  now: Date,
): Promise<void> {
  if (checkpointIds.length === 0) return;
  await tx.insert(outbox).values(
    checkpointIds.map((checkpointId) => ({
      id: newOutboxId(),
      kind: CHECKPOINT_EXPORT_JOB,
      payload: { checkpointId, background: true },
      runAt: now,
      createdAt: now,
    })),
  );
}

/** A checkpoint this young may still have its first export job retrying: left to that job. */
const EXPORT_GRACE_MS = 10 * 60_000;

/**
 * Queues again the checkpoints a configured sink has not confirmed (the receiver was down
 * longer than the job's retries), oldest first, at most `limit`; not those taken in the last
 * ten minutes, whose own jobs may still be trying.
 *
 * @example
 * await queueUnexported(tx, ['url'], now); // the number queued
 */
export async function queueUnexported(
  tx: Transaction,
  sinks: readonly ('url' | 'file')[],
  now: Date,
  limit = 200,
): Promise<number> {
  if (sinks.length === 0) return 0;
  const cutoff = new Date(now.getTime() - EXPORT_GRACE_MS).toISOString();
  const rows = await queryRows<{ id: string | number }>(
    tx,
    sql`select c.id from audit_checkpoints c
        where c.at < ${cutoff}::timestamptz and exists (
          select 1 from jsonb_array_elements_text(${JSON.stringify(sinks)}::jsonb) as s(sink)
          where not exists (select 1 from audit_checkpoint_exports e
                            where e.checkpoint_id = c.id and e.sink = s.sink))
        order by c.id limit ${limit}`,
  );
  const ids = rows.map((row) => Number(row.id));
  await queueCheckpointExports(tx, ids, now);
  return ids.length;
}

/**
 * A checkpoint row as JSON.
 *
 * @example
 * rowToCheckpoint(row).at; // '2026-03-02T01:00:00.000Z', as signed
 */
export function rowToCheckpoint(row: typeof auditCheckpoints.$inferSelect): AuditCheckpoint {
  return {
    id: row.id,
    chain: row.chain,
    sequence: row.seq,
    hash: row.hash,
    at: row.at.toISOString(),
    keyId: row.keyId,
    signature: row.signature,
    trigger: row.trigger as AuditCheckpoint['trigger'],
    requestedBy: row.requestedBy,
  };
}
