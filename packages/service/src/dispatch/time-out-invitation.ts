import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Database, Transaction } from '../db/open-database.js';
import { outbox, panelSeats, tasks } from '../db/schema.js';
import { DISPATCH_ACTOR } from './dispatch-actor.js';
import { settleFreedSeat } from './fill-panel.js';
import { lockSeat } from './seats/lock-seat.js';
import { moveSeats } from './seats/move-seats.js';
import { tellAuthorityUndeliverable } from './tell-authority-undeliverable.js';
import { newOutboxId } from './write-invitation-outbox.js';

/**
 * Ends an invitation that is still open past its reply deadline. A conditional move under the
 * seat lock, so that a reply or another time-out racing with it wins or loses whole; returns
 * whether this call changed the seat. The freed seat is backfilled at once (`settleFreedSeat`).
 *
 * @example
 * await timeOutInvitation(db, 42, now); // true once, false afterwards
 */
export async function timeOutInvitation(db: Database, seatId: number, now: Date): Promise<boolean> {
  return db.transaction((tx) => timeOutSeat(tx, seatId, now));
}

/**
 * `timeOutInvitation` inside the caller's transaction. An invitation whose notification
 * reached the expert (a channel receipt, `delivered_at`) becomes `timed_out` (超时未响应,
 * 第十五条); one that reached no one by the deadline becomes `undeliverable` instead — the
 * system's failure, never counted against the expert — and the dispatcher is told.
 */
export async function timeOutSeat(tx: Transaction, seatId: number, now: Date): Promise<boolean> {
  const seat = await lockSeat(tx, seatId);
  if (seat === undefined || seat.state !== 'invited') return false;
  if (seat.replyDeadline !== null && seat.replyDeadline.getTime() > now.getTime()) return false;
  if (seat.deliveredAt === null) {
    return endUndeliverable(
      tx,
      seatId,
      now,
      '答复期限已过，通知未能送达 / the reply deadline passed before any channel reached the expert',
    );
  }
  const moved = await endOpenSeat(
    tx,
    seatId,
    now,
    'timed_out',
    '通知已送达，答复期限已过 / delivered, and the reply deadline passed',
    (row) => ({ deliveredAt: row.deliveredAt?.toISOString() ?? null }),
  );
  if (moved === undefined) return false;
  await settleFreedSeat(tx, seatId, now);
  return true;
}

/**
 * Records that no channel reached the expert (every contact failed over the retry window, or
 * the deadline came first): the invitation becomes `undeliverable`, which never counts against
 * the expert. The freed seat is backfilled at once, like a decline, so the panel still fills;
 * the requesting system is told through its callback (`invitation.undeliverable`) and the
 * requesting authority through its contact (an `invitation_undeliverable` notice), and the
 * dispatcher may record an answer given by phone until the reply deadline
 * (`POST /v1/invitations/{id}/phone-reply`). Runs under the caller's seat lock; returns whether
 * the seat changed.
 *
 * @example
 * await endUndeliverable(tx, 42, now, '所有渠道均未送达 / no channel reached the expert');
 */
export async function endUndeliverable(
  tx: Transaction,
  seatId: number,
  now: Date,
  why: string,
): Promise<boolean> {
  const moved = await endOpenSeat(tx, seatId, now, 'undeliverable', why);
  if (moved === undefined) return false;
  await tellRequesterUndeliverable(tx, moved, now);
  await tellAuthorityUndeliverable(tx, moved, now);
  await settleFreedSeat(tx, seatId, now);
  return true;
}

/**
 * Moves a still open (`invited`) seat to `to` for the system and audits it as
 * `invitation.<to>`; `extra` adds fields of the moved seat to the audit's `after`. Returns the
 * moved seat, or undefined when the seat was no longer open.
 */
async function endOpenSeat(
  tx: Transaction,
  seatId: number,
  now: Date,
  to: 'timed_out' | 'undeliverable',
  reason: string,
  extra: (moved: typeof panelSeats.$inferSelect) => Record<string, unknown> = () => ({}),
): Promise<typeof panelSeats.$inferSelect | undefined> {
  const [moved] = await moveSeats(tx, {
    where: eq(panelSeats.id, seatId),
    from: ['invited'],
    to,
    by: 'system',
    now,
  });
  if (moved === undefined) return undefined;
  await appendAudit(
    tx,
    {
      actor: DISPATCH_ACTOR,
      action: `invitation.${to}`,
      entityType: 'task',
      entityId: moved.taskId,
      reason,
      before: { seatId, expertId: moved.expertId, state: 'invited' },
      after: { seatId, expertId: moved.expertId, state: to, ...extra(moved) },
    },
    now,
  );
  return moved;
}

/** The requesting system hears of an undeliverable invitation at once, through the outbox. */
async function tellRequesterUndeliverable(
  tx: Transaction,
  seat: typeof panelSeats.$inferSelect,
  now: Date,
): Promise<void> {
  const [task] = await tx
    .select({ callbackUrl: tasks.callbackUrl, status: tasks.status })
    .from(tasks)
    .where(eq(tasks.id, seat.taskId));
  if (!task?.callbackUrl) return;
  await tx.insert(outbox).values({
    id: newOutboxId(),
    kind: 'task_callback',
    payload: {
      event: 'invitation.undeliverable',
      taskId: seat.taskId,
      status: task.status,
      invitationId: String(seat.id),
      expertId: seat.expertId,
      replyDeadline: seat.replyDeadline?.toISOString() ?? null,
      at: now.toISOString(),
    },
    runAt: now,
    createdAt: now,
  });
}
