import { eq, max } from 'drizzle-orm';
import type { Transaction } from '../db/open-database.js';
import { draws, panelSeats } from '../db/schema.js';
import { moveSeats } from '../dispatch/seats/move-seats.js';

/**
 * Releases every seat of a task that still books or reserves an expert (a cancellation or a
 * re-draw the dispatcher asked for), and returns their experts' ids.
 *
 * @example
 * const released = await releaseSeats(tx, 't_01', now); // ['e-1', 'e-7', …]
 */
export async function releaseSeats(tx: Transaction, taskId: string, now: Date): Promise<string[]> {
  const rows = await moveSeats(tx, {
    where: eq(panelSeats.taskId, taskId),
    from: ['invited', 'accepted', 'reserve'],
    to: 'released',
    by: 'dispatcher',
    now,
  });
  return rows.map((row) => row.expertId);
}

/** The sequence number of a task's next draw (1 for the first). */
export async function nextSequence(tx: Transaction, taskId: string): Promise<number> {
  const [row] = await tx
    .select({ last: max(draws.sequence) })
    .from(draws)
    .where(eq(draws.taskId, taskId));
  return (row?.last ?? 0) + 1;
}
