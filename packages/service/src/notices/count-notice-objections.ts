import { and, count, eq } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { noticeObjections } from '../db/schema.js';
import type { ObjectionCounts, StoredNotice } from './notice-gate.js';

/**
 * How the objections to an expert's notice stand, by status; all zero without a notice.
 * A notice is the expert's with that first working day (an expert's notices never share one).
 *
 * @example
 * await countNoticeObjections(tx, 'p-1', row.publicNotice); // { open: 1, upheld: 0, dismissed: 2 }
 */
export async function countNoticeObjections(
  db: Executor,
  expertId: string,
  notice: StoredNotice | null,
): Promise<ObjectionCounts> {
  const counts = { open: 0, upheld: 0, dismissed: 0 };
  if (notice === null) return counts;
  const rows = await db
    .select({ status: noticeObjections.status, n: count() })
    .from(noticeObjections)
    .where(
      and(eq(noticeObjections.expertId, expertId), eq(noticeObjections.noticeStart, notice.start)),
    )
    .groupBy(noticeObjections.status);
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}
