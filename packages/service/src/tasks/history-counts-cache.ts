import { type HistoryCounts, toEpochDay, toShanghaiDate } from '@expert-dispatch/rules';
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { jsonColumn, queryRows } from '../db/query-rows.js';
import {
  type Columns,
  type Counter,
  columnsOf,
  kindOrder,
  patchColumns,
} from './history-counts-columns.js';
import {
  formatSnapshot,
  type HistorySnapshot,
  isCoveredBy,
  parseSnapshot,
  withOwnInProgress,
} from './history-snapshot.js';
import { bookingsOf, bookingsSql } from './load-history.js';

/** A change to one counter: expert, key ('YYYY-MM-DD/<kind>'), delta. */
export type CounterChange = readonly [expertId: string, key: string, delta: number];

/**
 * Where a draw's counters come from, small enough to store with the draw (#17): the snapshot
 * the counters were read under (the reading transaction's own id counted as in progress) and
 * that transaction's own changes not yet committed. The counters are the changes logged in
 * `history_count_changes` (migration 0030) by transactions visible in the snapshot, plus
 * `pending`, from `from` on. `bound` is the log's last id as the snapshot was read: a change
 * logged later has a greater id even when its transaction id looks older to the snapshot, as
 * after a logical dump and restore, which starts transaction ids afresh.
 */
export interface HistoryCountsSource {
  readonly snapshot: string;
  readonly bound: string;
  readonly pending: readonly CounterChange[];
}

/** How a read came by its counters. */
export type HistoryLoad = 'full' | 'changes';

/** What `readHistoryCounts` answers: the draw's history and where its counters come from. */
export interface HistoryCountsRead {
  readonly history: HistoryCounts;
  readonly source: HistoryCountsSource;
  readonly loadedBy: HistoryLoad;
}

/**
 * The committed counters as of `snapshot`, from `from` on. The map of counters (which entries
 * of the same counters share) is changed in place only by the read that replaces the cached
 * entry holding it, when no other read under way started from it (`readers`): copying a pool's
 * map costs more than the change.
 */
interface CachedCounts {
  readonly from: string;
  readonly snapshot: HistorySnapshot;
  /** The change log's last id, read with `snapshot`. */
  readonly bound: string;
  readonly experts: ReadonlyMap<string, readonly Counter[]>;
  /** The experts in code-unit order, made once and kept while no expert comes or goes. */
  ids?: readonly string[];
  /** The counters in the history's columns (without bookings), made once per entry. */
  columns?: Columns;
}

/** More changes than this since the cached read: the counters are read whole instead. */
const MAX_CHANGES = 50_000;

// Per map of counters: the reads under way that started from it.
const readers = new WeakMap<object, number>();

// Per owner (the database) and first date: the counters of the last read.
const caches = new WeakMap<object, Map<string, CachedCounts>>();

/**
 * The history a draw reads (#17): every expert's counters from the Asia/Shanghai date of
 * `since` on, the transaction's own uncommitted changes included, and the bookings that overlap
 * `window` — as `loadHistoryCounts` reads them — together with where the counters come from,
 * which the draw stores instead of them. The counters of the owner's last read are kept, and a
 * later read asks only for the changes that read's snapshot did not see (exact: the changes of
 * transactions not visible then and visible now); the first read, a new first date, a snapshot
 * that does not cover the cached one, or too many changes read them whole. Call it inside the
 * draw's transaction, after the draw lock when serialising.
 *
 * @example
 * const { history, source } = await readHistoryCounts(tx, services.db, task.window, since);
 */
export async function readHistoryCounts(
  db: Executor,
  owner: object,
  window: { readonly from: string; readonly to: string },
  since: Date,
): Promise<HistoryCountsRead> {
  const from = toShanghaiDate(since);
  let cache = caches.get(owner);
  if (cache === undefined) {
    cache = new Map();
    caches.set(owner, cache);
  }
  const base = baseFor(cache, from);
  const read =
    (base === undefined ? undefined : await readChanges(db, base, from, window, cache)) ??
    (await readWhole(db, from, window));
  // A read under an older snapshot than the cached one (a concurrent draw) leaves it be.
  const cached = cache.get(from);
  if (cached === undefined || isCoveredBy(cached.snapshot, read.counts.snapshot)) {
    cache.set(from, read.counts);
  }
  evictOlderDays(cache, from);
  return {
    history: historyOf(read.counts, read.pending, read.busy),
    source: {
      snapshot: formatSnapshot(read.counts.snapshot),
      bound: read.counts.bound,
      pending: read.pending,
    },
    loadedBy: read.loadedBy,
  };
}

/** First dates closer than this are one look-back moving on by days, not another rule set's. */
const SAME_LOOKBACK_DAYS = 60;

/**
 * Keeps one entry per look-back (a rule set's years; they differ by a year or more): the days
 * before `from` of the same look-back are dropped once it has moved on, and at most four remain.
 */
function evictOlderDays(cache: Map<string, CachedCounts>, from: string): void {
  const first = toEpochDay(from);
  for (const key of cache.keys()) {
    if (key < from && first - toEpochDay(key) < SAME_LOOKBACK_DAYS) cache.delete(key);
  }
  for (const key of [...cache.keys()].sort().slice(0, -4)) cache.delete(key);
}

/** What one statement read: the committed counters, the own changes and the bookings. */
interface Read {
  readonly counts: CachedCounts;
  readonly pending: readonly CounterChange[];
  readonly busy: ReturnType<typeof bookingsOf>;
  readonly loadedBy: HistoryLoad;
}

/**
 * The cached counters to start from: those of `from`, or of an earlier first date with the
 * days before `from` left out (a new day, or another look-back).
 */
function baseFor(cache: Map<string, CachedCounts>, from: string): CachedCounts | undefined {
  const own = cache.get(from);
  if (own !== undefined) return own;
  const earlier = [...cache.values()]
    .filter((entry) => entry.from < from)
    .sort((a, b) => (a.from < b.from ? 1 : -1))[0];
  if (earlier === undefined) return undefined;
  const first = toEpochDay(from);
  const experts = new Map<string, readonly Counter[]>();
  for (const [expertId, counters] of earlier.experts) {
    const kept = counters.filter((counter) => counter.day >= first);
    if (kept.length > 0) experts.set(expertId, kept);
  }
  return { from, snapshot: earlier.snapshot, bound: earlier.bound, experts };
}

/**
 * The statement's snapshot, the change log's last id and the own transaction, read in the same
 * statement as the counters: every change the snapshot sees was logged (its id drawn) before
 * the snapshot was taken, so its id is at most the last id read after it.
 */
const SNAPSHOT_COLUMNS = sql`pg_current_snapshot()::text as snapshot,
  coalesce(pg_sequence_last_value(pg_get_serial_sequence('history_count_changes', 'id')::regclass), 0)::text as bound,
  pg_current_xact_id_if_assigned()::text as own`;

/** The own transaction's changes to counters from `from` on (not yet committed). */
function pendingSql(from: string): SQL {
  return sql`(select coalesce(json_agg(json_build_array(expert_id, key, delta) order by id), '[]'::json)
      from history_count_changes
     where xid = pg_current_xact_id_if_assigned() and left(key, 10) >= ${from})`;
}

interface ReadRow {
  snapshot: string;
  bound: string;
  own: string | null;
  pending: unknown;
  booked: unknown;
}

/** Every counter from `from` on, read whole, with the snapshot it was read under. */
async function readWhole(
  db: Executor,
  from: string,
  window: { readonly from: string; readonly to: string },
): Promise<Read> {
  // Keys are 'YYYY-MM-DD/<kind>', so the date test is a text comparison on the key's prefix.
  const [row] = await queryRows<ReadRow & { counted: unknown }>(
    db,
    sql`select ${SNAPSHOT_COLUMNS},
      (select coalesce(json_agg(json_build_array(h.expert_id, c.key, c.value::int)), '[]'::json)
         from expert_history_counts h
         cross join lateral jsonb_each_text(h.counts) as c
        where left(c.key, 10) >= ${from}) as counted,
      ${pendingSql(from)} as pending,
      ${bookingsSql(window)} as booked`,
  );
  if (row === undefined) throw new Error('the history counters read returned no row');
  const pending = changesOf(row.pending);
  // The table holds the own changes too: the cache keeps only what is committed.
  const counted = changesOf(row.counted);
  const committed = [...counted, ...pending.map(([id, key, delta]) => [id, key, -delta] as const)];
  return {
    counts: {
      from,
      snapshot: snapshotOf(row),
      bound: row.bound,
      experts: applyChanges(new Map(), committed, toEpochDay(from)),
    },
    pending,
    busy: bookingsOf(row.booked),
    loadedBy: 'full',
  };
}

/**
 * The cached counters with the changes its snapshot did not see and this statement's does, or
 * undefined when they cannot be told apart (a snapshot older than the cached one, or too many).
 */
async function readChanges(
  db: Executor,
  base: CachedCounts,
  from: string,
  window: { readonly from: string; readonly to: string },
  cache: Map<string, CachedCounts>,
): Promise<Read | undefined> {
  const previous = formatSnapshot(base.snapshot);
  readers.set(base.experts, (readers.get(base.experts) ?? 0) + 1);
  const rows = queryRows<ReadRow & { changes: unknown; more: boolean }>(
    db,
    sql`with changed as (
      select id, expert_id, key, delta from history_count_changes
       where xid >= pg_snapshot_xmin(${previous}::pg_snapshot)
         and not pg_visible_in_snapshot(xid, ${previous}::pg_snapshot)
         and xid is distinct from pg_current_xact_id_if_assigned()
         and left(key, 10) >= ${from}
       limit ${MAX_CHANGES + 1})
    select ${SNAPSHOT_COLUMNS},
      (select coalesce(json_agg(json_build_array(expert_id, key, delta) order by id), '[]'::json)
         from changed) as changes,
      (select count(*) > ${MAX_CHANGES} from changed) as more,
      ${pendingSql(from)} as pending,
      ${bookingsSql(window)} as booked`,
  ).finally(() => {
    readers.set(base.experts, (readers.get(base.experts) as number) - 1);
  });
  const [row] = await rows;
  if (row === undefined || row.more) return undefined;
  const snapshot = snapshotOf(row);
  if (!isCoveredBy(base.snapshot, snapshot)) return undefined;
  const changes = changesOf(row.changes);
  const size = base.experts.size;
  // The cached entry alone, with no other read started from it, is changed in place.
  const inPlace = readers.get(base.experts) === 0 && cache.get(from)?.experts === base.experts;
  const experts =
    changes.length === 0
      ? base.experts
      : applyChanges(
          inPlace ? (base.experts as Map<string, readonly Counter[]>) : new Map(base.experts),
          changes,
          toEpochDay(from),
        );
  // The order of the experts stands while the same experts hold counters.
  const sameExperts = experts.size === size && changes.every(([id]) => experts.has(id));
  // The columns of the changed experts are patched, the others' taken over (#17).
  const columns =
    changes.length === 0 || base.columns === undefined
      ? undefined
      : patchColumns(base.columns, experts, new Set(changes.map(([id]) => id)));
  const counts: CachedCounts =
    changes.length === 0
      ? { ...base, snapshot, bound: row.bound }
      : {
          from,
          snapshot,
          bound: row.bound,
          experts,
          ...(sameExperts && base.ids ? { ids: base.ids } : {}),
          ...(columns === undefined ? {} : { columns }),
        };
  // The entry changed in place is replaced now, before any other read can start from it.
  if (inPlace && changes.length > 0) cache.set(from, counts);
  return {
    counts,
    pending: changesOf(row.pending),
    busy: bookingsOf(row.booked),
    loadedBy: 'changes',
  };
}

function snapshotOf(row: ReadRow): HistorySnapshot {
  return withOwnInProgress(parseSnapshot(row.snapshot), row.own === null ? null : BigInt(row.own));
}

/**
 * Counter changes from a JSON column of `[expert, key, delta]` rows.
 *
 * @example
 * changesOf([['e-1', '2026-03-01/accepted', 1]]);
 */
export function changesOf(column: unknown): CounterChange[] {
  const parsed = jsonColumn(column);
  return (Array.isArray(parsed) ? parsed : []).map((entry) => {
    const [expertId, key, delta] = entry as [string, string, number];
    return [String(expertId), String(key), Number(delta)] as const;
  });
}

/**
 * Applies counter changes to per-expert counters (the changed experts' lists made anew, so a
 * copied map leaves the one it was copied from as it was); days before `first` are left out.
 */
function applyChanges(
  experts: Map<string, readonly Counter[]>,
  changes: readonly CounterChange[],
  first: number,
): Map<string, readonly Counter[]> {
  const touched = new Map<string, Map<string, number>>();
  for (const [expertId, key, delta] of changes) {
    if (toEpochDay(key.slice(0, 10)) < first) continue;
    let counters = touched.get(expertId);
    if (counters === undefined) {
      counters = new Map(
        (experts.get(expertId) ?? []).map((c) => [`${keyDate(c.day)}/${c.kind}`, c.n]),
      );
      touched.set(expertId, counters);
    }
    counters.set(key, (counters.get(key) ?? 0) + delta);
  }
  for (const [expertId, counters] of touched) {
    const list = [...counters]
      .filter(([, n]) => n !== 0)
      .map(([key, n]) => ({ day: toEpochDay(key.slice(0, 10)), kind: key.slice(11), n }))
      .sort((a, b) => a.day - b.day || kindOrder(a.kind) - kindOrder(b.kind));
    if (list.length === 0) experts.delete(expertId);
    else experts.set(expertId, list);
  }
  return experts;
}

const DAY_MS = 86_400_000;

/** The 'YYYY-MM-DD' of an epoch day (the inverse of `toEpochDay`). */
function keyDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The history in `historyCountsOf`'s canonical form: the cached counters (columns made once per
 * cache entry) with the own changes and the bookings.
 */
function historyOf(
  counts: CachedCounts,
  pending: readonly CounterChange[],
  busy: HistoryCounts['busy'],
): HistoryCounts {
  if (counts.columns === undefined) {
    counts.ids ??= idsOf(counts.experts);
    counts.columns = columnsOf(counts.from, counts.experts, counts.ids);
  }
  if (pending.length === 0) return { ...counts.columns.value, busy: [...busy] };
  // The own changes patch the cached columns: only the experts they touch are made anew.
  const touched = new Set(pending.map(([id]) => id));
  const lists = new Map<string, readonly Counter[]>();
  for (const id of touched) {
    const counters = counts.experts.get(id);
    if (counters !== undefined) lists.set(id, counters);
  }
  const experts = applyChanges(lists, pending, toEpochDay(counts.from));
  return { ...patchColumns(counts.columns, experts, touched).value, busy: [...busy] };
}

/** The experts in code-unit order ("C" collation), as `historyCountsOf` orders them. */
function idsOf(experts: ReadonlyMap<string, readonly Counter[]>): string[] {
  return [...experts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
