import { and, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/open-database.js';
import { outbox } from '../db/schema.js';
import type { JobQueue } from '../queue/job-queue.js';

/** How the relay adds jobs: attempts and backoff of notification deliveries. */
export interface RelayOptions {
  readonly batchSize?: number;
  /** How long a claim holds before another relay may take the row (a relay that died). */
  readonly leaseMs?: number;
  readonly deliveryAttempts: number;
  readonly deliveryBackoffMs: number;
}

/** What one relay round did. */
export interface RelayRound {
  readonly relayed: number;
  readonly failed: number;
}

/**
 * Moves outbox rows (due now or later) to the queue, the outbox id as job id. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED` and a lease in one statement, so concurrent relays never take the
 * same row; the batch is added at once and a row is stamped `relayed_at` only after the queue
 * has it. When the queue is down (Redis stopped) the rows stay for the next round — requests
 * never wait for Redis — and a row added twice is one job, its id deduplicating.
 *
 * @example
 * const { relayed } = await relayOutbox(db, queue, new Date(), { deliveryAttempts: 5, deliveryBackoffMs: 2000 });
 */
export async function relayOutbox(
  db: Database,
  queue: JobQueue,
  now: Date,
  options: RelayOptions,
): Promise<RelayRound> {
  const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? 30_000));
  // One statement claims the batch (no transaction around it): the relay runs after every
  // commit that wrote outbox rows, so its round trips are on the path to every notification.
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        isNull(outbox.relayedAt),
        sql`(${outbox.claimedUntil} is null or ${outbox.claimedUntil} < ${now.toISOString()})`,
      ),
    )
    .orderBy(outbox.createdAt)
    .limit(options.batchSize ?? 200)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(outbox)
    .set({ claimedUntil: leaseUntil, relayAttempts: sql`${outbox.relayAttempts} + 1` })
    .where(inArray(outbox.id, due))
    .returning()
    .then((rows) => rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()));
  // All adds at once (ioredis pipelines them), not one round trip after another.
  const added = await Promise.allSettled(
    claimed.map((row) => {
      const isDelivery = row.kind === 'deliver_invitation' || row.kind === 'deliver_notice';
      return queue.add(row.kind, row.payload, {
        id: row.id,
        delayMs: Math.max(0, row.runAt.getTime() - now.getTime()),
        attempts: isDelivery || row.kind === 'task_callback' ? options.deliveryAttempts : 3,
        backoffMs: options.deliveryBackoffMs,
      });
    }),
  );
  const relayedIds = claimed.filter((_, k) => added[k]?.status === 'fulfilled').map((r) => r.id);
  const refused = claimed.filter((_, k) => added[k]?.status === 'rejected').map((r) => r.id);
  const failed = refused.length;
  if (failed > 0) {
    // The queue is down: give back these claims, so that the next round (in this process or
    // another) retries them at once instead of after the lease.
    const reason = added.find((result) => result.status === 'rejected');
    await db
      .update(outbox)
      .set({
        claimedUntil: null,
        lastError: errorText(reason?.status === 'rejected' ? reason.reason : 'queue add failed'),
      })
      .where(inArray(outbox.id, refused));
  }
  if (relayedIds.length > 0) {
    await db
      .update(outbox)
      .set({ relayedAt: now, claimedUntil: null, lastError: null })
      .where(inArray(outbox.id, relayedIds));
  }
  return { relayed: relayedIds.length, failed };
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
