import {
  type HistoryCountEntry,
  type HistoryCounts,
  historyCountsOf,
  toEpochDay,
  toShanghaiDate,
} from '@expert-dispatch/rules';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { jsonColumn, queryRows } from '../db/query-rows.js';
import { bookingsOf, bookingsSql } from './load-history.js';

/**
 * The history a draw reads, as counters (#17 item 3): every expert's daily counters from the
 * Asia/Shanghai date of `since` on — one row per expert, kept by the triggers of migration 0024
 * in the transaction of each answer, attendance, decision on a decline and rating — and the
 * bookings that overlap the window (availability, 第十五条), in one statement. The matcher reads
 * the counters exactly as the records `loadHistory` reads (reliability, fair share, quality and
 * 第二十三条（一） warnings). Call it inside the draw's transaction, after the draw lock.
 *
 * @example
 * const history = await loadHistoryCounts(tx, task.window, sinceOf(now, ruleSet));
 */
export async function loadHistoryCounts(
  db: Executor,
  window: { readonly from: string; readonly to: string },
  since: Date,
): Promise<HistoryCounts> {
  const from = toShanghaiDate(since);
  // Keys are 'YYYY-MM-DD/<kind>', so the date test is a text comparison on the key's prefix.
  const [row] = await queryRows<{ counted: unknown; booked: unknown }>(
    db,
    sql`select
      (select coalesce(json_agg(json_build_array(h.expert_id, c.key, c.value::int)), '[]'::json)
         from expert_history_counts h
         cross join lateral jsonb_each_text(h.counts) as c
        where left(c.key, 10) >= ${from}) as counted,
      ${bookingsSql(window)} as booked`,
  );
  const counted = jsonColumn(row?.counted);
  const entries: HistoryCountEntry[] = (Array.isArray(counted) ? counted : []).map((entry) => {
    const [expertId, key, n] = entry as [string, string, number];
    return {
      expertId: String(expertId),
      day: toEpochDay(key.slice(0, 10)),
      kind: key.slice(11),
      n: Number(n),
    };
  });
  return historyCountsOf(from, entries, bookingsOf(row?.booked));
}
