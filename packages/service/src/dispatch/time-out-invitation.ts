import { and, eq, lte } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Database, Transaction } from '../db/open-database.js';
import { panelSeats } from '../db/schema.js';
import { lockTaskOfSeat } from './backfill-seat.js';
import { settleFreedSeat } from './fill-panel.js';

/** The audit actor of the dispatcher's own decisions. */
export const DISPATCH_ACTOR = { keyId: 'system:dispatch', authorityId: null } as const;

/**
 * Times out an invitation that is still open: past its reply deadline, or — with
 * `whyNotDue` — because its notification could not be delivered (treated as unanswered).
 * A conditional update, so that a reply or another time-out racing with it wins or loses
 * whole; returns whether this call changed the seat. The freed seat is backfilled at once
 * (`settleFreedSeat`).
 *
 * @example
 * await timeOutInvitation(db, 42, now); // true once, false afterwards
 */
export async function timeOutInvitation(
  db: Database,
  seatId: number,
  now: Date,
  whyNotDue?: string,
): Promise<boolean> {
  return db.transaction((tx) => timeOutSeat(tx, seatId, now, whyNotDue));
}

/** `timeOutInvitation` inside the caller's transaction. */
export async function timeOutSeat(
  tx: Transaction,
  seatId: number,
  now: Date,
  whyNotDue?: string,
): Promise<boolean> {
  await lockTaskOfSeat(tx, seatId);
  const changed = await tx
    .update(panelSeats)
    .set({ state: 'timed_out', updatedAt: now })
    .where(
      and(
        eq(panelSeats.id, seatId),
        eq(panelSeats.state, 'invited'),
        whyNotDue === undefined ? lte(panelSeats.replyDeadline, now) : undefined,
      ),
    )
    .returning({ taskId: panelSeats.taskId, expertId: panelSeats.expertId });
  const [seat] = changed;
  if (seat === undefined) return false;
  await appendAudit(
    tx,
    {
      actor: DISPATCH_ACTOR,
      action: 'invitation.timed_out',
      entityType: 'task',
      entityId: seat.taskId,
      reason: whyNotDue ?? '答复期限已过 / the reply deadline passed',
      before: { seatId, expertId: seat.expertId, state: 'invited' },
      after: { seatId, expertId: seat.expertId, state: 'timed_out' },
    },
    now,
  );
  await settleFreedSeat(tx, seatId, now);
  return true;
}
