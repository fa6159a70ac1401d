import { and, desc, eq, inArray, isNotNull, lt, lte, sql } from 'drizzle-orm';
import { deliveries, notices, outbox, panelSeats } from '../db/schema.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { DispatchContext } from './dispatch-context.js';
import { timeOutInvitation } from './time-out-invitation.js';

/** What one sweep did. */
export interface SweepRound {
  readonly timedOut: number;
  readonly requeued: number;
}

/**
 * Acts from the database on what the queue may have lost: times out every invitation whose
 * reply deadline has passed (a lost delayed job never leaves one hanging), and hands back to
 * the relay each unfinished delivery or notice older than `staleMs` whose job the queue no longer knows
 * (an in-process queue that restarted, a Redis that lost data). Safe to run in any number of
 * processes: both actions are conditional updates.
 *
 * @example
 * await sweepInvitations(context, queue, { staleMs: 60_000 });
 */
export async function sweepInvitations(
  context: DispatchContext,
  queue: JobQueue,
  options: { readonly staleMs: number; readonly batchSize?: number },
): Promise<SweepRound> {
  const { db } = context;
  const now = context.now();
  const limit = options.batchSize ?? 500;
  const due = await db
    .select({ id: panelSeats.id })
    .from(panelSeats)
    .where(and(eq(panelSeats.state, 'invited'), lte(panelSeats.replyDeadline, now)))
    .limit(limit);
  let timedOut = 0;
  for (const seat of due) if (await timeOutInvitation(db, seat.id, now)) timedOut += 1;

  const stale = await db
    .select({ outboxId: deliveries.outboxId })
    .from(deliveries)
    .innerJoin(outbox, eq(outbox.id, deliveries.outboxId))
    .where(
      and(
        inArray(deliveries.state, ['pending', 'sending']),
        lt(deliveries.updatedAt, new Date(now.getTime() - options.staleMs)),
        isNotNull(outbox.relayedAt),
      ),
    )
    .limit(limit);
  const lost: string[] = [];
  for (const row of stale) {
    if (!(await queue.hasJob(row.outboxId))) lost.push(row.outboxId);
  }
  // Notices the same way; a notice's job is its latest outbox row (a held one gets a new row).
  const staleNotices = await db
    .select({ id: notices.id })
    .from(notices)
    .where(
      and(
        inArray(notices.state, ['pending', 'sending']),
        lt(notices.updatedAt, new Date(now.getTime() - options.staleMs)),
      ),
    )
    .limit(limit);
  for (const notice of staleNotices) {
    const [job] = await db
      .select({ id: outbox.id, relayedAt: outbox.relayedAt })
      .from(outbox)
      .where(
        and(eq(outbox.kind, 'deliver_notice'), sql`${outbox.payload}->>'noticeId' = ${notice.id}`),
      )
      .orderBy(desc(outbox.createdAt))
      .limit(1);
    if (job?.relayedAt != null && !(await queue.hasJob(job.id))) lost.push(job.id);
  }
  if (lost.length > 0) {
    await db
      .update(outbox)
      .set({ relayedAt: null, claimedUntil: null })
      .where(inArray(outbox.id, lost));
  }
  return { timedOut, requeued: lost.length };
}
