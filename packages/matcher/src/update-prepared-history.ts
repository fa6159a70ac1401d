import type { HistoryCounts, RuleSet } from '@expert-dispatch/rules';
import { canonicalJson, type Sha256Stream, sha256HexWith } from './canonical-json.js';
import { recordsOfPerson } from './person-records.js';
import { hasSameRecords, type PreparedHistory, prepareHistory } from './prepare-history.js';
import { effectOf, type KindEffect, NONE } from './prepare-history-counts.js';
import type { PreparedPool } from './prepare-pool.js';

/** One record's counter rows, as `countColumns` lays them out. */
interface RecordRows {
  readonly invitationDay: number[];
  readonly invitationGood: number[];
  readonly invitationBad: number[];
  readonly invitationAssigned: number[];
  readonly refusalDay: number[];
  readonly ratingDay: number[];
  readonly ratingCount: number[];
  readonly ratingSum: number[];
}

/**
 * `prepareHistory(history, pool, ruleSet)` made from an earlier preparation of daily counts
 * that differ from `history` only in the counters of the experts named in `changed` (#17): the
 * rows of those experts' persons are made anew and the others copied, in time proportional to
 * the change (plus a copy of the typed arrays), not to every counter. Anything else (another
 * rule set, first date or pool records, or a history of records) is prepared whole. `changed`
 * must name every expert whose counters differ, or the rows are wrong: the caller knows them
 * from the change log it applied.
 *
 * @example
 * const next = updatePreparedHistory(prepared, counts, pool, yunnanGmy2025, ['e-7']);
 * // next's rows equal prepareHistory(counts, pool, yunnanGmy2025)'s
 */
export function updatePreparedHistory(
  earlier: PreparedHistory,
  history: HistoryCounts,
  pool: PreparedPool,
  ruleSet: RuleSet,
  changed: Iterable<string>,
  options: { readonly sha256?: () => Sha256Stream; readonly digest?: string } = {},
): PreparedHistory {
  const before = earlier.history;
  if (
    earlier.ruleSet !== ruleSet ||
    !('form' in before) ||
    before.form !== history.form ||
    before.from !== history.from ||
    !hasSameRecords(earlier.pool, pool)
  ) {
    return prepareHistory(history, pool, ruleSet, options);
  }
  const affected = new Set<number>();
  for (const expertId of changed) {
    const index = pool.indexOf.get(expertId);
    if (index === undefined) continue;
    for (const record of recordsOfPerson(pool, index)) affected.add(record);
  }
  const records = [...affected].sort((a, b) => a - b);
  const locate = counterLocator(history);
  const effects = history.kinds.map((kind) => effectOf(kind, ruleSet));
  const rows = records.map((record) => rowsOf(record, pool, history, locate, effects));
  // Each family's rows: the affected records' segments replaced, the others copied.
  const invitation = splice(
    earlier.invitationStart,
    records,
    rows.map((r) => r.invitationDay.length),
    [
      [earlier.invitationDay, rows.map((r) => r.invitationDay)],
      [earlier.invitationGood, rows.map((r) => r.invitationGood)],
      [earlier.invitationBad, rows.map((r) => r.invitationBad)],
      [earlier.invitationAssigned, rows.map((r) => r.invitationAssigned)],
    ],
  );
  const refusal = splice(
    earlier.refusalStart,
    records,
    rows.map((r) => r.refusalDay.length),
    [[earlier.refusalDay, rows.map((r) => r.refusalDay)]],
  );
  const rating = splice(
    earlier.ratingStart,
    records,
    rows.map((r) => r.ratingDay.length),
    [
      [earlier.ratingDay, rows.map((r) => r.ratingDay)],
      [earlier.ratingCount, rows.map((r) => r.ratingCount)],
      [earlier.ratingSum, rows.map((r) => r.ratingSum)],
    ],
  );
  const rowsPrepared: PreparedHistory = {
    ...earlier,
    history,
    pool,
    digest: options.digest ?? sha256HexWith(canonicalJson(history), options.sha256),
    invitationStart: invitation.start,
    invitationDay: invitation.columns[0] as Int32Array,
    invitationGood: invitation.columns[1] as Int32Array,
    invitationBad: invitation.columns[2] as Int32Array,
    invitationAssigned: invitation.columns[3] as Int32Array,
    refusalStart: refusal.start,
    refusalDay: refusal.columns[0] as Int32Array,
    ratingStart: rating.start,
    ratingDay: rating.columns[0] as Int32Array,
    ratingCount: rating.columns[1] as Int32Array,
    ratingSum: rating.columns[2] as Int32Array,
  };
  // The bookings and the memo as `prepareHistory` makes them, the rows taken over.
  return prepareHistory(history, pool, ruleSet, {
    digest: rowsPrepared.digest,
    reuse: rowsPrepared,
  });
}

/** Where each expert's counters start in `history`'s rows (experts in code-unit order). */
function counterLocator(history: HistoryCounts) {
  const start = new Int32Array(history.experts.length + 1);
  history.rows.forEach((rows, k) => {
    start[k + 1] = (start[k] as number) + rows;
  });
  return (expertId: string): [from: number, to: number] | undefined => {
    let low = 0;
    let high = history.experts.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const id = history.experts[middle] as string;
      if (id === expertId) return [start[middle] as number, start[middle + 1] as number];
      if (id < expertId) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  };
}

/**
 * One record's rows as `countColumns` makes them: the counters of every record of its person,
 * those experts in code-unit order, each expert's counters in order; refusal days ascending.
 */
function rowsOf(
  record: number,
  pool: PreparedPool,
  history: HistoryCounts,
  locate: ReturnType<typeof counterLocator>,
  effects: readonly KindEffect[],
): RecordRows {
  const out: RecordRows = {
    invitationDay: [],
    invitationGood: [],
    invitationBad: [],
    invitationAssigned: [],
    refusalDay: [],
    ratingDay: [],
    ratingCount: [],
    ratingSum: [],
  };
  const experts = recordsOfPerson(pool, record)
    .map((index) => pool.ids[index] as string)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const expertId of experts) {
    const range = locate(expertId);
    if (range === undefined) continue;
    for (let r = range[0]; r < range[1]; r++) {
      const effect = effects[history.kind[r] as number] ?? NONE;
      const n = history.n[r] as number;
      const day = history.day[r] as number;
      if (effect.good + effect.bad > 0) {
        out.invitationDay.push(day);
        out.invitationGood.push(effect.good * n);
        out.invitationBad.push(effect.bad * n);
        out.invitationAssigned.push(effect.assigned * n);
      }
      if (effect.refused) for (let k = 0; k < n; k++) out.refusalDay.push(day);
      if (effect.score > 0) {
        out.ratingDay.push(day);
        out.ratingCount.push(n);
        out.ratingSum.push(n * effect.score);
      }
    }
  }
  out.refusalDay.sort((a, b) => a - b);
  return out;
}

/**
 * Row columns with the rows of `records` (ascending) replaced: the new starts (the counts of
 * the others kept) and each column copied around the replaced segments.
 */
function splice(
  start: Int32Array,
  records: readonly number[],
  lengths: readonly number[],
  columns: readonly (readonly [Int32Array, readonly (readonly number[])[]])[],
) {
  const size = start.length - 1;
  const next = new Int32Array(size + 1);
  let shift = 0;
  let k = 0;
  for (let i = 0; i < size; i++) {
    next[i] = (start[i] as number) + shift;
    if (records[k] === i) {
      shift += (lengths[k] as number) - ((start[i + 1] as number) - (start[i] as number));
      k++;
    }
  }
  next[size] = (start[size] as number) + shift;
  const out = columns.map(([old, segments]) => {
    const column = new Int32Array(next[size] as number);
    let copiedTo = 0; // old rows before this are placed
    records.forEach((record, j) => {
      const from = start[record] as number;
      column.set(old.subarray(copiedTo, from), (next[record] as number) - (from - copiedTo));
      column.set(segments[j] as readonly number[], next[record] as number);
      copiedTo = start[record + 1] as number;
    });
    column.set(
      old.subarray(copiedTo),
      (next[size] as number) - ((start[size] as number) - copiedTo),
    );
    return column;
  });
  return { start: next, columns: out };
}
