import {
  type DrawHistory,
  type History,
  type InvitationRecord,
  isCountedRefusal,
  isHistoryCounts,
  type RuleSet,
  toEpochDay,
  toInstant,
  toShanghaiDate,
  yunnanGmy2025,
} from '@expert-dispatch/rules';
import { canonicalJson, type Sha256Stream, sha256HexWith } from './canonical-json.js';
import { recordsOfPerson } from './person-records.js';
import { countColumns } from './prepare-history-counts.js';
import type { PreparedPool } from './prepare-pool.js';

/**
 * A history indexed against one prepared pool: invitations collapsed to one per expert and task
 * (a reply and a later attendance record are one invitation), unjustified refusals and ratings
 * as Shanghai epoch days in rows per expert, bookings as instants. Records of experts who are
 * not in the pool are kept only for the digest.
 *
 * What the history records of one record of a person who holds several (a shared `personId`)
 * counts for every record of that person: a booking makes the person busy (第十五条), an
 * unjustified refusal counts toward the person's warning (第二十三条（一）: the person is
 * interviewed and warned), and attendance (第十五条), ratings (第二十条（二）) and recent
 * assignments describe the person's service, so the score does not depend on which record is
 * drawn and a second record is no second, fresher share of the work.
 *
 * A history of daily counts (`HistoryCounts`) gives one invitation row per counted day instead
 * of one per invitation, and one rating row per day and score: every score and warning reads
 * sums over days, so the result is the same as from the records counted.
 */
export interface PreparedHistory {
  readonly kind: 'prepared-history';
  readonly history: DrawHistory;
  readonly pool: PreparedPool;
  /** The rule set whose 第二十三条（一） reading (`isCountedRefusal`) made the refusal rows. */
  readonly ruleSet: RuleSet;
  /** SHA-256 of the canonical JSON of `history`. */
  readonly digest: string;
  readonly invitationStart: Int32Array;
  readonly invitationDay: Int32Array;
  /** Accepted replies plus attendances of the invitation (第十五条). */
  readonly invitationGood: Int32Array;
  /** Counted refusals (declines that stand unjustified, silence after delivery) plus no-shows. */
  readonly invitationBad: Int32Array;
  /** The accepted invitations, i.e. those that became assignments. */
  readonly invitationAssigned: Int32Array;
  readonly refusalStart: Int32Array;
  readonly refusalDay: Int32Array;
  readonly ratingStart: Int32Array;
  readonly ratingDay: Int32Array;
  /** How many ratings the row stands for (1 per rating record; per day and score when counted). */
  readonly ratingCount: Int32Array;
  /** The sum of those ratings' scores. */
  readonly ratingSum: Int32Array;
  readonly busyExpert: Int32Array;
  readonly busyTask: readonly string[];
  readonly busyFrom: Float64Array;
  readonly busyTo: Float64Array;
  /** Memo of the task-independent score points per day and scoring parameters. */
  readonly standingMemo: Map<string, Float64Array>;
}

/**
 * True for a history made by {@link prepareHistory}.
 *
 * @example
 * isPreparedHistory(prepareHistory(history, pool)); // true; isPreparedHistory(history) is false
 */
export function isPreparedHistory(value: unknown): value is PreparedHistory {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'prepared-history'
  );
}

/**
 * Indexes a history for draws against `pool` under `ruleSet` (default: the provincial set);
 * reuse it until the history changes. A refusal counts as `isCountedRefusal` reads it under
 * the rule set: a decline awaiting the department's decision (待认定) counts neither for nor
 * against the expert, and undeliverable invitations are not in the history at all.
 *
 * @example
 * const pool = preparePool(experts);
 * const prepared = prepareHistory(history, pool);
 * selectPanel({ task, experts: pool, history: prepared, now, seed: 't-1' });
 */
export function prepareHistory(
  history: DrawHistory,
  pool: PreparedPool,
  ruleSet: RuleSet = yunnanGmy2025,
  options: {
    /** A faster SHA-256 for the digest (same digest), e.g. `() => createHash('sha256')`. */
    readonly sha256?: () => Sha256Stream;
    /**
     * The digest of `history` (SHA-256 of its canonical JSON) when the caller keeps it, e.g.
     * beside counters it caches; a wrong one only makes the draw fail its verification.
     */
    readonly digest?: string;
    /**
     * An earlier preparation whose counter rows are taken over when they still hold (see
     * {@link canReuseCountRows}): a draw whose counters did not change since the last one
     * indexes only its bookings, not a million experts' counters again.
     */
    readonly reuse?: PreparedHistory;
  } = {},
): PreparedHistory {
  const reuse =
    options.reuse !== undefined && canReuseCountRows(options.reuse, history, pool, ruleSet)
      ? options.reuse
      : undefined;
  return {
    kind: 'prepared-history',
    history,
    pool,
    ruleSet,
    digest: options.digest ?? sha256HexWith(canonicalJson(history), options.sha256),
    ...(reuse !== undefined
      ? countRowsOf(reuse)
      : isHistoryCounts(history)
        ? countColumns(history, pool, ruleSet)
        : recordColumns(history, pool, ruleSet)),
    ...bookings(history, pool),
    standingMemo: new Map(),
  };
}

/**
 * True when `earlier`'s invitation, refusal and rating rows are those of `history` against
 * `pool` under `ruleSet`: both daily counts with the very same counter columns (the same arrays;
 * the bookings may differ), the same rule set, and a pool of the same records in the same order
 * with the same persons (an expert's profile may have changed: the rows do not read profiles).
 *
 * @example
 * canReuseCountRows(prepareHistory(counts, pool), { ...counts, busy: [] }, pool, yunnanGmy2025); // true
 */
export function canReuseCountRows(
  earlier: PreparedHistory,
  history: DrawHistory,
  pool: PreparedPool,
  ruleSet: RuleSet,
): boolean {
  const before = earlier.history;
  if (!isHistoryCounts(history) || !isHistoryCounts(before) || earlier.ruleSet !== ruleSet) {
    return false;
  }
  const sameCounters =
    before.from === history.from &&
    before.kinds === history.kinds &&
    before.experts === history.experts &&
    before.rows === history.rows &&
    before.day === history.day &&
    before.kind === history.kind &&
    before.n === history.n;
  return sameCounters && hasSameRecords(earlier.pool, pool);
}

/**
 * The same record ids in the same order, and the same records of each person.
 *
 * @example
 * hasSameRecords(pool, preparePool(pool.experts)); // true
 */
export function hasSameRecords(a: PreparedPool, b: PreparedPool): boolean {
  if (a === b) return true;
  if (a.size !== b.size || a.personRecords.size !== b.personRecords.size) return false;
  for (let i = 0; i < a.size; i++) if (a.ids[i] !== b.ids[i]) return false;
  for (const [index, records] of a.personRecords) {
    const other = b.personRecords.get(index);
    if (other === undefined || other.join() !== records.join()) return false;
  }
  return true;
}

/** The counter rows of a preparation (typed arrays, read only by the draws). */
function countRowsOf(prepared: PreparedHistory) {
  return {
    invitationStart: prepared.invitationStart,
    invitationDay: prepared.invitationDay,
    invitationGood: prepared.invitationGood,
    invitationBad: prepared.invitationBad,
    invitationAssigned: prepared.invitationAssigned,
    refusalStart: prepared.refusalStart,
    refusalDay: prepared.refusalDay,
    ratingStart: prepared.ratingStart,
    ratingDay: prepared.ratingDay,
    ratingCount: prepared.ratingCount,
    ratingSum: prepared.ratingSum,
  };
}

/** The columns of a history of records: one invitation row per expert and task. */
function recordColumns(history: History, pool: PreparedPool, ruleSet: RuleSet) {
  const invitations = collapseInvitations(history.invitations, pool, ruleSet);
  const refusals = rows(
    pool,
    history.invitations.filter((record) => isCountedRefusal(record, ruleSet)),
    (record) => record.expertId,
    (record) => shanghaiDay(record.at),
  );
  const ratings = rows(
    pool,
    history.ratings,
    (rating) => rating.expertId,
    (rating) => shanghaiDay(rating.at),
  );
  const ratingSum = new Int32Array(ratings.day.length);
  ratings.order.forEach((position, slot) => {
    ratingSum[slot] = (history.ratings[position] as { score: number }).score;
  });
  return {
    ...invitations,
    refusalStart: refusals.start,
    refusalDay: refusals.day,
    ratingStart: ratings.start,
    ratingDay: ratings.day,
    ratingCount: new Int32Array(ratings.day.length).fill(1),
    ratingSum,
  };
}

/** The bookings as columns, one row per record of the booked person (-1: not in the pool). */
function bookings(history: DrawHistory, pool: PreparedPool) {
  const rows = history.busy.flatMap((busy) => {
    const index = pool.indexOf.get(busy.expertId);
    const records = index === undefined ? [-1] : recordsOfPerson(pool, index);
    return records.map((expert) => ({ expert, busy }));
  });
  return {
    busyExpert: Int32Array.from(rows, (row) => row.expert),
    busyTask: rows.map((row) => row.busy.taskId),
    busyFrom: Float64Array.from(rows, (row) => toInstant(row.busy.from)),
    busyTo: Float64Array.from(rows, (row) => toInstant(row.busy.to)),
  };
}

function shanghaiDay(at: string): number {
  return toEpochDay(toShanghaiDate(at));
}

/** Rows per pool expert of one day value per item, days ascending within a row. */
function rows<T>(
  pool: PreparedPool,
  items: readonly T[],
  expertOf: (item: T) => string,
  dayOf: (item: T) => number,
): { start: Int32Array; day: Int32Array; order: number[] } {
  const keyed: { expert: number; day: number; position: number }[] = [];
  items.forEach((item, position) => {
    const index = pool.indexOf.get(expertOf(item));
    if (index === undefined) return;
    const day = dayOf(item);
    for (const expert of recordsOfPerson(pool, index)) keyed.push({ expert, day, position });
  });
  keyed.sort((a, b) => a.expert - b.expert || a.day - b.day || a.position - b.position);
  const start = new Int32Array(pool.size + 1);
  for (const entry of keyed) (start[entry.expert + 1] as number)++;
  for (let i = 0; i < pool.size; i++)
    start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  return {
    start,
    day: Int32Array.from(keyed, (entry) => entry.day),
    order: keyed.map((entry) => entry.position),
  };
}

function collapseInvitations(
  records: readonly InvitationRecord[],
  pool: PreparedPool,
  ruleSet: RuleSet,
) {
  const keyed: { expert: number; record: InvitationRecord; at: number; position: number }[] = [];
  records.forEach((record, position) => {
    const index = pool.indexOf.get(record.expertId);
    if (index === undefined) return;
    const at = toInstant(record.at);
    for (const expert of recordsOfPerson(pool, index)) keyed.push({ expert, record, at, position });
  });
  keyed.sort(
    (a, b) =>
      a.expert - b.expert ||
      compare(a.record.taskId, b.record.taskId) ||
      a.at - b.at ||
      a.position - b.position,
  );
  const expertOf: number[] = [];
  const day: number[] = [];
  const good: number[] = [];
  const bad: number[] = [];
  const assigned: number[] = [];
  for (let k = 0; k < keyed.length; ) {
    const first = keyed[k] as (typeof keyed)[number];
    let accepted = false;
    let attended = false;
    let noShow = false;
    let refused = false;
    let minDay = shanghaiDay(first.record.at);
    for (; k < keyed.length; k++) {
      const entry = keyed[k] as (typeof keyed)[number];
      if (entry.expert !== first.expert || entry.record.taskId !== first.record.taskId) break;
      minDay = Math.min(minDay, shanghaiDay(entry.record.at));
      const outcome = entry.record.outcome;
      if (outcome === 'accepted' || outcome === 'attended' || outcome === 'no_show')
        accepted = true;
      if (outcome === 'attended') attended = true;
      if (outcome === 'no_show') noShow = true;
      if (isCountedRefusal(entry.record, ruleSet)) refused = true;
    }
    expertOf.push(first.expert);
    day.push(minDay);
    good.push((accepted ? 1 : 0) + (attended ? 1 : 0));
    bad.push((refused ? 1 : 0) + (noShow ? 1 : 0));
    assigned.push(accepted ? 1 : 0);
  }
  const invitationStart = new Int32Array(pool.size + 1);
  for (const expert of expertOf) (invitationStart[expert + 1] as number)++;
  for (let i = 0; i < pool.size; i++) {
    invitationStart[i + 1] = (invitationStart[i + 1] as number) + (invitationStart[i] as number);
  }
  return {
    invitationStart,
    invitationDay: Int32Array.from(day),
    invitationGood: Int32Array.from(good),
    invitationBad: Int32Array.from(bad),
    invitationAssigned: Int32Array.from(assigned),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
