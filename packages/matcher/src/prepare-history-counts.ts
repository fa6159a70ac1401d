import { classifyDecline, type HistoryCounts, type RuleSet } from '@expert-dispatch/rules';
import { recordsOfPerson } from './person-records.js';
import type { PreparedPool } from './prepare-pool.js';

/** What one counter adds to a day, under the draw's rule set. */
export interface KindEffect {
  readonly good: number;
  readonly bad: number;
  readonly assigned: number;
  /** Counted toward 第二十三条（一）. */
  readonly refused: boolean;
  /** 1–5 for a rating counter, else 0. */
  readonly score: number;
}

export const NONE: KindEffect = { good: 0, bad: 0, assigned: 0, refused: false, score: 0 };

/**
 * What a counter kind means under a rule set, read as `isCountedRefusal` reads the records it
 * counts: a time-out counts when the rule set counts silence (第二十三条（一）), a decline when
 * `classifyDecline` finds it unjustified from its claimed reason and the department's decision.
 *
 * @example
 * effectOf('accepted', yunnanGmy2025); // { good: 1, bad: 0, assigned: 1, refused: false, score: 0 }
 */
export function effectOf(kind: string, ruleSet: RuleSet): KindEffect {
  if (kind === 'accepted') return { ...NONE, good: 1, assigned: 1 };
  if (kind === 'attended') return { ...NONE, good: 1 };
  if (kind === 'no_show') return { ...NONE, bad: 1 };
  const refusal = { ...NONE, bad: 1, refused: true };
  if (kind === 'timed_out') return (ruleSet.countsSilenceAfterDelivery ?? true) ? refusal : NONE;
  const [head, first, second] = kind.split(':');
  if (head === 'rating') return { ...NONE, score: Number(first) };
  if (head !== 'declined') return NONE;
  const reason =
    first === '' ? undefined : (first as Parameters<typeof classifyDecline>[1]['reason']);
  const review = second === '' ? undefined : (second as 'justified' | 'unjustified');
  return classifyDecline(ruleSet, { reason }, review) === 'unjustified' ? refusal : NONE;
}

/**
 * The prepared columns of a history of daily counts: per pool record, one invitation row per
 * counted day that holds invitations, each counted refusal as a day (ascending), and one rating
 * row per day and score. What one record of a person counted counts for every record of the
 * person, as for the records themselves. Two passes over the counters (sizes, then values), so
 * a million experts' year costs flat typed arrays and no per-record objects.
 *
 * @example
 * const columns = countColumns(counts, pool, yunnanGmy2025); // columns.refusalDay …
 */
export function countColumns(counts: HistoryCounts, pool: PreparedPool, ruleSet: RuleSet) {
  const effects = counts.kinds.map((kind) => effectOf(kind, ruleSet));
  const invitationStart = new Int32Array(pool.size + 1);
  const refusalStart = new Int32Array(pool.size + 1);
  const ratingStart = new Int32Array(pool.size + 1);
  // Pass 1: how many rows each pool record receives.
  forEachCounter(counts, pool, (records, kind, n) => {
    const effect = effects[kind] ?? NONE;
    for (const record of records) {
      if (effect.good + effect.bad > 0) (invitationStart[record + 1] as number)++;
      if (effect.refused) refusalStart[record + 1] = (refusalStart[record + 1] as number) + n;
      if (effect.score > 0) (ratingStart[record + 1] as number)++;
    }
  });
  for (let i = 0; i < pool.size; i++) {
    invitationStart[i + 1] = (invitationStart[i + 1] as number) + (invitationStart[i] as number);
    refusalStart[i + 1] = (refusalStart[i + 1] as number) + (refusalStart[i] as number);
    ratingStart[i + 1] = (ratingStart[i + 1] as number) + (ratingStart[i] as number);
  }
  const invitations = invitationStart[pool.size] as number;
  const invitationDay = new Int32Array(invitations);
  const invitationGood = new Int32Array(invitations);
  const invitationBad = new Int32Array(invitations);
  const invitationAssigned = new Int32Array(invitations);
  const refusalDay = new Int32Array(refusalStart[pool.size] as number);
  const ratings = ratingStart[pool.size] as number;
  const ratingDay = new Int32Array(ratings);
  const ratingCount = new Int32Array(ratings);
  const ratingSum = new Int32Array(ratings);
  // Pass 2: the values, at each record's next free row.
  const nextInvitation = invitationStart.slice(0, pool.size);
  const nextRefusal = refusalStart.slice(0, pool.size);
  const nextRating = ratingStart.slice(0, pool.size);
  let mixed = false;
  forEachCounter(counts, pool, (records, kind, n, day) => {
    const effect = effects[kind] ?? NONE;
    for (const record of records) {
      if (effect.good + effect.bad > 0) {
        const slot = (nextInvitation[record] as number)++;
        invitationDay[slot] = day;
        invitationGood[slot] = effect.good * n;
        invitationBad[slot] = effect.bad * n;
        invitationAssigned[slot] = effect.assigned * n;
      }
      if (effect.refused) {
        const at = nextRefusal[record] as number;
        if (at > (refusalStart[record] as number) && (refusalDay[at - 1] as number) > day)
          mixed = true;
        refusalDay.fill(day, at, at + n);
        nextRefusal[record] = at + n;
      }
      if (effect.score > 0) {
        const slot = (nextRating[record] as number)++;
        ratingDay[slot] = day;
        ratingCount[slot] = n;
        ratingSum[slot] = n * effect.score;
      }
    }
  });
  // 第二十三条（一） reads each record's refusals in date order: counters of several records of
  // one person (or days out of order) are sorted per record.
  if (mixed) {
    for (let i = 0; i < pool.size; i++) {
      refusalDay.subarray(refusalStart[i] as number, refusalStart[i + 1] as number).sort();
    }
  }
  return {
    invitationStart,
    invitationDay,
    invitationGood,
    invitationBad,
    invitationAssigned,
    refusalStart,
    refusalDay,
    ratingStart,
    ratingDay,
    ratingCount,
    ratingSum,
  };
}

/** Calls `visit` for every counter of an expert in the pool, with the person's records. */
function forEachCounter(
  counts: HistoryCounts,
  pool: PreparedPool,
  visit: (records: readonly number[], kind: number, n: number, day: number) => void,
): void {
  let row = 0;
  counts.experts.forEach((expertId, k) => {
    const rows = counts.rows[k] as number;
    const index = pool.indexOf.get(expertId);
    if (index !== undefined) {
      const records = recordsOfPerson(pool, index);
      for (let r = row; r < row + rows; r++) {
        visit(records, counts.kind[r] as number, counts.n[r] as number, counts.day[r] as number);
      }
    }
    row += rows;
  });
}
