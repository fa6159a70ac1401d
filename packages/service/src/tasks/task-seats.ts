import { and, eq, inArray, max } from 'drizzle-orm';
import type { Transaction } from '../db/open-database.js';
import { draws, panelSeats } from '../db/schema.js';

/**
 * Releases every seat of a task that still books or reserves an expert, and returns their ids.
 *
 * @example
 * const released = await releaseSeats(tx, 't_01', now); // ['e-1', 'e-7', …]
 */
export async function releaseSeats(tx: Transaction, taskId: string, now: Date): Promise<string[]> {
  const rows = await tx
    .update(panelSeats)
    .set({ state: 'released', updatedAt: now })
    .where(
      and(
        eq(panelSeats.taskId, taskId),
        inArray(panelSeats.state, ['invited', 'accepted', 'reserve']),
      ),
    )
    .returning({ expertId: panelSeats.expertId });
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
