import { addDays, startOfShanghaiDate } from '@expert-dispatch/rules';
import { and, gte, inArray, isNotNull, lt, ne, sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { panelSeats, ratings } from '../db/schema.js';
import type { ReportPeriod } from '../reports/report-schemas.js';

const CHUNK = 1000;

/**
 * The seats (of these experts, invited in the period) whose rating came with a written comment
 * on the quality of the work (第二十条): counted as quality notes, the text itself stays with
 * the rating.
 *
 * @example
 * const noted = await loadQualityNotes(db, ['e-1'], { from: '2025-01-01', to: '2025-12-31' });
 */
export async function loadQualityNotes(
  db: Executor,
  expertIds: readonly string[],
  period: ReportPeriod,
): Promise<Set<number>> {
  const start = new Date(startOfShanghaiDate(period.from));
  const end = new Date(startOfShanghaiDate(addDays(period.to, 1)));
  const noted = new Set<number>();
  for (let index = 0; index < expertIds.length; index += CHUNK) {
    const rows = await db
      .select({ seatId: ratings.seatId })
      .from(ratings)
      .innerJoin(panelSeats, sql`${panelSeats.id} = ${ratings.seatId}`)
      .where(
        and(
          inArray(ratings.expertId, expertIds.slice(index, index + CHUNK)),
          isNotNull(ratings.comment),
          ne(ratings.comment, ''),
          gte(panelSeats.invitedAt, start),
          lt(panelSeats.invitedAt, end),
        ),
      );
    for (const row of rows) noted.add(row.seatId);
  }
  return noted;
}
