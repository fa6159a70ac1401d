import { eq, inArray } from 'drizzle-orm';
import type { Transaction } from '../../db/open-database.js';
import { panelSeats, tasks } from '../../db/schema.js';

/**
 * Locks the task a seat belongs to and returns its id. Every reply, time-out and backfill takes
 * the task lock before the seat's, in the order re-draws and cancellations take them, so that
 * they queue up instead of deadlocking, and two freed seats never pick the same alternate.
 *
 * @example
 * const taskId = await lockTaskOfSeat(tx, 42); // 't-1', or null for an unknown seat
 */
export async function lockTaskOfSeat(tx: Transaction, seatId: number): Promise<string | null> {
  // One round trip (#17: on the way from every reply to its replacement's notification): the
  // seat's task, found by a subquery, is locked; the seat itself is not (its task never changes).
  const seatTask = tx
    .select({ taskId: panelSeats.taskId })
    .from(panelSeats)
    .where(eq(panelSeats.id, seatId));
  const [task] = await tx
    .select({ id: tasks.id })
    .from(tasks)
    .where(inArray(tasks.id, seatTask))
    .for('update');
  return task?.id ?? null;
}

/**
 * Locks a seat for a reply, a withdrawal or a time-out, in the one order that cannot deadlock
 * (its task first, see `lockTaskOfSeat`), and returns the seat as it now stands, or undefined.
 *
 * @example
 * const seat = await lockSeat(tx, 42); // seat.state is final until the transaction ends
 */
export async function lockSeat(
  tx: Transaction,
  seatId: number,
): Promise<typeof panelSeats.$inferSelect | undefined> {
  await lockTaskOfSeat(tx, seatId);
  const [seat] = await tx.select().from(panelSeats).where(eq(panelSeats.id, seatId)).for('update');
  return seat;
}
