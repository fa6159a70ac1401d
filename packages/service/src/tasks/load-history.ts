import type { Busy, History, InvitationRecord } from '@expert-dispatch/rules';
import { and, asc, gt, inArray, lt, ne } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { panelSeats } from '../db/schema.js';

/** Seat states that book an expert for the task's window (see migration 0001). */
export const HOLDING_STATES = ['invited', 'accepted'] as const;

/** Seat states that are answers to an invitation, recorded for 第十五条. */
const ANSWERED_STATES = ['accepted', 'declined', 'timed_out'] as const;

/**
 * The history a draw reads from the seats table: answers to invitations since `since` (for
 * reliability, fair share and 第二十三条（一） warnings), and the bookings that overlap the
 * window (for availability, 第十五条). Ratings arrive with the records of 第二十条.
 * Call it inside the draw's transaction, after the draw lock, so no booking is missed.
 *
 * @example
 * const history = await loadHistory(tx, task.window, new Date('2023-03-01T00:00:00Z'));
 */
export async function loadHistory(
  db: Executor,
  window: { readonly from: string; readonly to: string },
  since: Date,
): Promise<History> {
  const answered = await db
    .select({
      expertId: panelSeats.expertId,
      taskId: panelSeats.taskId,
      state: panelSeats.state,
      declineReason: panelSeats.declineReason,
      repliedAt: panelSeats.repliedAt,
      updatedAt: panelSeats.updatedAt,
    })
    .from(panelSeats)
    .where(and(inArray(panelSeats.state, [...ANSWERED_STATES]), gt(panelSeats.updatedAt, since)))
    .orderBy(asc(panelSeats.id));
  const booked = await db
    .select({
      expertId: panelSeats.expertId,
      taskId: panelSeats.taskId,
      from: panelSeats.windowFrom,
      to: panelSeats.windowTo,
    })
    .from(panelSeats)
    .where(
      and(
        inArray(panelSeats.state, [...HOLDING_STATES]),
        ne(panelSeats.role, 'alternate'),
        lt(panelSeats.windowFrom, new Date(window.to)),
        gt(panelSeats.windowTo, new Date(window.from)),
      ),
    )
    .orderBy(asc(panelSeats.id));
  const invitations: InvitationRecord[] = answered.map((seat) => ({
    expertId: seat.expertId,
    taskId: seat.taskId,
    at: (seat.repliedAt ?? seat.updatedAt).toISOString(),
    outcome: seat.state as InvitationRecord['outcome'],
    ...(seat.state === 'declined' && seat.declineReason !== null
      ? { reason: seat.declineReason as NonNullable<InvitationRecord['reason']> }
      : {}),
  }));
  const busy: Busy[] = booked.map((seat) => ({
    expertId: seat.expertId,
    taskId: seat.taskId,
    from: seat.from.toISOString(),
    to: seat.to.toISOString(),
  }));
  return { invitations, ratings: [], busy };
}
