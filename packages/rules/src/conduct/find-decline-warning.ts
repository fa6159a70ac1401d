import { daysBetween, type IsoDate, toInstant, toShanghaiDate } from '../dates/calendar-date.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import type { InvitationRecord } from '../schemas/history.js';
import { isUnjustifiedRefusal } from '../vocabulary/invitation-outcome.js';

/** A run of unjustified refusals that calls for an interview or warning (第二十三条（一）). */
export interface DeclineWarning {
  readonly article: '第二十三条（一）';
  /** The refusals of the most recent qualifying run, oldest first. */
  readonly evidence: readonly InvitationRecord[];
  readonly firstDate: IsoDate;
  readonly lastDate: IsoDate;
}

/**
 * All runs of `declineWarning.count` unjustified declines or time-outs whose Asia/Shanghai dates
 * lie within one window of `declineWarning.windowDays` days (第二十三条（一）, “1年内2次及以上”).
 * Two refusals exactly 365 days apart do not share a 365-day window. Only the expert's own
 * records should be passed. Returns the runs oldest first.
 *
 * @example
 * findDeclineRuns(records, yunnanGmy2025).length > 0; // the report lists the expert
 */
export function findDeclineRuns(
  records: readonly InvitationRecord[],
  ruleSet: RuleSet,
): DeclineWarning[] {
  const { count, windowDays } = ruleSet.declineWarning;
  const refusals = records
    .filter((record) => isUnjustifiedRefusal(record))
    // By instant, not by string: records may carry different offsets.
    .map((record) => ({ record, date: toShanghaiDate(record.at), instant: toInstant(record.at) }))
    .sort((a, b) => a.instant - b.instant);
  const runs: DeclineWarning[] = [];
  for (let end = count - 1; end < refusals.length; end++) {
    const first = refusals[end - count + 1];
    const last = refusals[end];
    if (first === undefined || last === undefined) continue;
    if (daysBetween(first.date, last.date) < windowDays) {
      runs.push({
        article: '第二十三条（一）',
        evidence: refusals.slice(end - count + 1, end + 1).map((entry) => entry.record),
        firstDate: first.date,
        lastDate: last.date,
      });
    }
  }
  return runs;
}

/**
 * The warning in force on `now`: the latest qualifying run whose last refusal is less than
 * `windowDays` days before `now` (refusals after `now` are ignored), or null.
 *
 * @example
 * findDeclineWarning(records, '2026-06-01T00:00:00+08:00', yunnanGmy2025)?.evidence.length; // 2
 */
export function findDeclineWarning(
  records: readonly InvitationRecord[],
  now: string | Date,
  ruleSet: RuleSet,
): DeclineWarning | null {
  const today = toShanghaiDate(now);
  const past = records.filter((record) => toShanghaiDate(record.at) <= today);
  const runs = findDeclineRuns(past, ruleSet);
  const latest = runs.at(-1);
  if (latest === undefined) return null;
  return daysBetween(latest.lastDate, today) < ruleSet.declineWarning.windowDays ? latest : null;
}
