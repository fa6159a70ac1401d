import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { Transaction } from '../../db/open-database.js';
import { panelSeats } from '../../db/schema.js';
import {
  ATTENDING_SEAT_STATE,
  type AttendanceState,
  findAttendanceTransition,
  findSeatTransition,
  INITIAL_SEAT_STATES,
  type SeatActor,
  type SeatState,
} from './seat-transitions.js';

type SeatRow = typeof panelSeats.$inferSelect;
/** The columns a move may set beside the state (never the state or the seat's identity). */
export type SeatFields = Partial<
  Omit<typeof panelSeats.$inferInsert, 'id' | 'state' | 'taskId' | 'expertId' | 'updatedAt'>
>;

/** A seat move the table does not allow: a programming error, never a user's. */
export class SeatTransitionError extends Error {
  override readonly name = 'SeatTransitionError';
}

/**
 * Moves the seats `where` selects, those in one of the `from` states, to `to`, as `by` — the
 * one way `panel_seats.state` is written. Every `from → to` must be a row of the state table
 * (`SEAT_TRANSITIONS`) that `by` may cause, or it throws before touching a row. The update is
 * conditional on the `from` states, so that a move racing another changes a seat once; the
 * moved rows are returned. `set` carries the columns that go with the move (reason, note,
 * channel, times); `updatedAt` is `now`.
 *
 * @example
 * const [seat] = await moveSeats(tx, {
 *   where: eq(panelSeats.id, 42), from: ['invited'], to: 'timed_out', by: 'system', now,
 * });
 */
export async function moveSeats(
  tx: Transaction,
  move: {
    readonly where: SQL | undefined;
    readonly from: readonly SeatState[];
    readonly to: SeatState;
    readonly by: SeatActor;
    readonly set?: SeatFields;
    readonly now: Date;
  },
): Promise<SeatRow[]> {
  assertSeatMoves(move.from, move.to, move.by);
  return tx
    .update(panelSeats)
    .set({ ...move.set, state: move.to, updatedAt: move.now })
    .where(and(move.where, inArray(panelSeats.state, [...move.from])))
    .returning();
}

/**
 * Throws unless every `from → to` is in the state table for `by`.
 *
 * @example
 * assertSeatMoves(['invited'], 'accepted', 'expert'); // passes
 */
export function assertSeatMoves(from: readonly SeatState[], to: SeatState, by: SeatActor): void {
  if (from.length === 0) throw new SeatTransitionError(`no state to move to ${to} from`);
  for (const state of from) {
    if (findSeatTransition(state, to, by) === undefined) {
      throw new SeatTransitionError(`a seat may not go from ${state} to ${to} by ${by}`);
    }
  }
}

/**
 * Throws unless every state is one a seat may be created in (`INITIAL_SEAT_STATES`): a draw
 * writes invited members, leaders and shadows, and reserves — nothing else.
 *
 * @example
 * assertInitialSeatStates(['invited', 'reserve']); // passes
 */
export function assertInitialSeatStates(states: readonly string[]): void {
  for (const state of states) {
    if (!(INITIAL_SEAT_STATES as readonly string[]).includes(state)) {
      throw new SeatTransitionError(`a seat may not be created ${state}`);
    }
  }
}

/**
 * Records `to` as the attendance of `seats` (each as read: its state and attendance), as `by` —
 * the one way `panel_seats.attendance` is written. Every change must be a row of
 * `ATTENDANCE_TRANSITIONS` on an accepted seat, or it throws before touching a row; the update
 * is conditional on the seat still being accepted. Returns the changed rows.
 *
 * @example
 * await recordAttendance(tx, { seats: [seat], to: 'no_show', by: 'dispatcher', now });
 */
export async function recordAttendance(
  tx: Transaction,
  move: {
    readonly seats: readonly Pick<SeatRow, 'id' | 'state' | 'attendance'>[];
    readonly to: AttendanceState;
    readonly by: SeatActor;
    readonly now: Date;
  },
): Promise<SeatRow[]> {
  for (const seat of move.seats)
    assertAttendanceMove(seat.state, seat.attendance, move.to, move.by);
  if (move.seats.length === 0) return [];
  return tx
    .update(panelSeats)
    .set({ attendance: move.to, attendanceRecordedAt: move.now, updatedAt: move.now })
    .where(
      and(
        inArray(
          panelSeats.id,
          move.seats.map((seat) => seat.id),
        ),
        eq(panelSeats.state, ATTENDING_SEAT_STATE),
      ),
    )
    .returning();
}

/**
 * Throws unless a seat in `state` with attendance `from` may be recorded `to` by `by`.
 *
 * @example
 * assertAttendanceMove('accepted', null, 'attended', 'dispatcher'); // passes
 */
export function assertAttendanceMove(
  state: string,
  from: string | null,
  to: AttendanceState,
  by: SeatActor,
): void {
  if (findAttendanceTransition(state, from, to, by) === undefined) {
    throw new SeatTransitionError(
      `a ${state} seat's attendance may not go from ${from ?? 'none'} to ${to} by ${by}`,
    );
  }
}
