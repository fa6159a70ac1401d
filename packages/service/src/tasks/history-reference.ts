import {
  type Busy,
  type DrawHistory,
  type HistoryCountEntry,
  type HistoryCounts,
  historyCountsOf,
  isHistoryCounts,
  toEpochDay,
} from '@expert-dispatch/rules';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';
import { type CounterChange, changesOf, type HistoryCountsRead } from './history-counts-cache.js';

/** The tag of {@link StoredHistoryReference}. */
export const HISTORY_REFERENCE_FORM = 'daily-counts-ref@1';

/**
 * A draw's history as it stores it since migration 0030 (#17): instead of every expert's
 * counters (O(pool): 3.4 MB at 100,000 experts), the snapshot they were read under, the draw's
 * own transaction's changes not yet committed then, the first date, the bookings (the window's,
 * not the pool's) and the SHA-256 of the history's canonical JSON (the matcher's history
 * digest, inside the draw's input digest). The counters are the changes of
 * `history_count_changes` whose transaction the snapshot sees, plus `pending`, from `from` on:
 * `resolveStoredHistory` sums them back, and the digest shows that the sum is what the draw read.
 */
export interface StoredHistoryReference {
  readonly form: typeof HISTORY_REFERENCE_FORM;
  readonly from: string;
  readonly snapshot: string;
  /** The change log's last id when the snapshot was read (see `HistoryCountsSource`). */
  readonly bound: string;
  readonly pending: readonly CounterChange[];
  readonly busy: readonly Busy[];
  readonly digest: string;
}

/** What a draw's `input.history` holds: records, counters (before 0030) or a reference. */
export type StoredHistory = DrawHistory | StoredHistoryReference;

/**
 * True for the reference form.
 *
 * @example
 * isHistoryReference(storedInput.history); // false for a draw stored with its counters
 */
export function isHistoryReference(history: StoredHistory): history is StoredHistoryReference {
  return (history as { form?: unknown }).form === HISTORY_REFERENCE_FORM;
}

/**
 * What a draw stores as its history: a reference when the history's counters are the ones
 * `read` read (the bookings may differ: a campaign adds its planned ones), else the history
 * itself (records, or counters from elsewhere).
 *
 * @example
 * storedHistoryOf(history, reads.historyRead, prepared.digest).form; // 'daily-counts-ref@1'
 */
export function storedHistoryOf(
  history: DrawHistory,
  read: HistoryCountsRead | undefined,
  digest: string,
): StoredHistory {
  if (read === undefined || !isHistoryCounts(history) || !hasCountersOf(history, read.history)) {
    return history;
  }
  return {
    form: HISTORY_REFERENCE_FORM,
    from: history.from,
    snapshot: read.source.snapshot,
    bound: read.source.bound,
    pending: read.source.pending,
    busy: history.busy,
    digest,
  };
}

/** The same counter columns (the objects `readHistoryCounts` made), whatever the bookings. */
function hasCountersOf(history: HistoryCounts, read: HistoryCounts): boolean {
  return (
    history.from === read.from &&
    history.kinds === read.kinds &&
    history.experts === read.experts &&
    history.rows === read.rows &&
    history.day === read.day &&
    history.kind === read.kind &&
    history.n === read.n
  );
}

/**
 * A draw's stored history as the matcher replays it: records and counters as stored, a
 * reference summed back from the change log (every change of a transaction the snapshot sees,
 * logged up to its bound, plus the pending ones, from the first date on). Whether the sum is what the draw read is
 * shown by the digest: the replay's input digest differs from the recorded one otherwise.
 *
 * @example
 * const history = await resolveStoredHistory(db, (draw.input as StoredDrawInput).history);
 */
export async function resolveStoredHistory(
  db: Executor,
  stored: StoredHistory,
): Promise<DrawHistory> {
  if (!isHistoryReference(stored)) return stored;
  const rows = await queryRows<{ expert_id: string; key: string; n: number }>(
    db,
    sql`select expert_id, key, sum(delta)::int as n from history_count_changes
         where pg_visible_in_snapshot(xid, ${stored.snapshot}::pg_snapshot)
           and id <= ${stored.bound}::bigint
           and left(key, 10) >= ${stored.from}
         group by expert_id, key`,
  );
  const entries: HistoryCountEntry[] = [
    ...rows.map((row) => [row.expert_id, row.key, Number(row.n)] as const),
    ...changesOf(stored.pending),
  ].map(([expertId, key, n]) => ({
    expertId,
    day: toEpochDay(key.slice(0, 10)),
    kind: key.slice(11),
    n,
  }));
  return historyCountsOf(stored.from, entries, stored.busy);
}
