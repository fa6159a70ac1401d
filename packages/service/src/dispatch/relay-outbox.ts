import { and, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/open-database.js';
import { outbox } from '../db/schema.js';
import type { JobOptions, JobQueue } from '../queue/job-queue.js';
import type { CommittedOutbox } from './committed-outbox.js';

/** How the relay adds jobs: attempts and backoff of notification deliveries. */
export interface RelayOptions {
  readonly batchSize?: number;
  /** How long a claim holds before another relay may take the row (a relay that died). */
  readonly leaseMs?: number;
  readonly deliveryAttempts: number;
  readonly deliveryBackoffMs: number;
  /**
   * The least total backoff a notification's retries span before it is given up
   * (`DELIVERY_RETRY_WINDOW_MS`): invitations, notices and callbacks get as many attempts as
   * that takes, never fewer than `deliveryAttempts`.
   */
  readonly deliveryRetryWindowMs?: number;
}

type AttemptOptions = Pick<
  RelayOptions,
  'deliveryAttempts' | 'deliveryBackoffMs' | 'deliveryRetryWindowMs'
>;

/** More attempts than this would make the window meaningless (backoff doubles each retry). */
const MOST_ATTEMPTS = 30;

/**
 * The attempts of a notification job whose retries (the first after `backoffMs`, each further
 * one doubling it) span at least `windowMs` of backoff, never fewer than `floor`.
 *
 * @example
 * deliveryAttemptsFor(900_000, 2000, 5); // 10: retries after 2 s, 4 s, … 512 s (17 min in all)
 */
export function deliveryAttemptsFor(windowMs: number, backoffMs: number, floor: number): number {
  let retries = 0;
  while (backoffMs * (2 ** retries - 1) < windowMs && retries + 1 < MOST_ATTEMPTS) retries += 1;
  return Math.max(floor, retries + 1);
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
  const added = await addOutboxJobs(queue, claimed, now, options);
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
  await stampRelayed(db, relayedIds, now);
  return { relayed: relayedIds.length, failed };
}

/**
 * Queues outbox rows its writer has just committed (`CommittedOutbox`), at once instead of at
 * the next relay round, and stamps `relayed_at` on the rows the queue took. A row whose add
 * failed is left as it was, for the relay to take as it takes any other row; a relay round
 * that took a row too made the same job (the outbox id is the job id).
 *
 * @example
 * const { relayed, failed } = await relayCommitted(db, queue, made.outbox, new Date(), options);
 */
export async function relayCommitted(
  db: Database,
  queue: JobQueue,
  rows: readonly CommittedOutbox[],
  now: Date,
  options: AttemptOptions,
): Promise<RelayRound> {
  const added = await addOutboxJobs(queue, rows, now, options);
  const relayedIds = rows.filter((_, k) => added[k]?.status === 'fulfilled').map((r) => r.id);
  await stampRelayed(db, relayedIds, now);
  return { relayed: relayedIds.length, failed: rows.length - relayedIds.length };
}

/** An outbox row as far as queueing it goes. */
type OutboxJob = Pick<typeof outbox.$inferSelect, 'id' | 'kind' | 'payload' | 'runAt'>;

/**
 * How an outbox row is queued: its id as job id (a second add of the row adds nothing), held
 * back until its `runAt`, and the attempts and backoff of its kind — the relay and the
 * committed rows a writer hands over (`queueCommitted`) queue alike.
 *
 * @example
 * outboxJobOptions(row, new Date(), { deliveryAttempts: 5, deliveryBackoffMs: 2000 });
 */
export function outboxJobOptions(row: OutboxJob, now: Date, options: AttemptOptions): JobOptions {
  const isDelivery = row.kind === 'deliver_invitation' || row.kind === 'deliver_notice';
  const notifies = isDelivery || row.kind === 'task_callback';
  const deliveryAttempts =
    options.deliveryRetryWindowMs === undefined
      ? options.deliveryAttempts
      : deliveryAttemptsFor(
          options.deliveryRetryWindowMs,
          options.deliveryBackoffMs,
          options.deliveryAttempts,
        );
  return {
    id: row.id,
    delayMs: Math.max(0, row.runAt.getTime() - now.getTime()),
    attempts: notifies ? deliveryAttempts : 3,
    backoffMs: options.deliveryBackoffMs,
    ...(row.payload.background === true ? { background: true } : {}),
  };
}

/**
 * Adds outbox rows to the queue, the rows due now all at once (ioredis pipelines them), then
 * — once the queue has answered for those — the rows due later (a reply deadline, a held-back
 * notice); one result per row, in the rows' order. Why in two steps (#17): a task's invitations
 * and their deadline jobs used to reach Redis as one pipeline, and a worker woken by the first
 * invitation waited behind the deadlines' scripts too (a bare queue fed like that: p99 14.7 ms
 * with the deadlines in the same burst, 11.7 ms with them after it, 10.9 ms without them).
 *
 * @example
 * const added = await addOutboxJobs(queue, rows, now, options);
 */
export async function addOutboxJobs(
  queue: JobQueue,
  rows: readonly OutboxJob[],
  now: Date,
  options: AttemptOptions,
): Promise<PromiseSettledResult<void>[]> {
  const jobs = rows.map((row) => ({ row, options: outboxJobOptions(row, now, options) }));
  const addAll = (some: typeof jobs) =>
    Promise.allSettled(some.map((job) => queue.add(job.row.kind, job.row.payload, job.options)));
  const isDue = (job: (typeof jobs)[number]) => (job.options.delayMs ?? 0) === 0;
  const due = await addAll(jobs.filter(isDue));
  const later = await addAll(jobs.filter((job) => !isDue(job)));
  return jobs.map(
    (job) => (isDue(job) ? due.shift() : later.shift()) as PromiseSettledResult<void>,
  );
}

/**
 * Marks outbox rows the queue has as relayed, so that no relay round takes them again. A row
 * already stamped (by a relay round that queued it too) keeps its stamp.
 *
 * @example
 * await stampRelayed(db, ['ob_…'], now);
 */
export async function stampRelayed(db: Database, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(outbox)
    .set({ relayedAt: now, claimedUntil: null, lastError: null })
    .where(and(inArray(outbox.id, [...ids]), isNull(outbox.relayedAt)));
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
