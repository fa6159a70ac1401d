import { type IsoDate, toInstant, toShanghaiDate } from '../dates/calendar-date.js';
import { startOfDaysWindow, startOfMonthsWindow } from '../dates/year-window.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import type { InvitationRecord } from '../schemas/history.js';
import { isCountedRefusal } from './classify-decline.js';

/** A run of counted refusals that calls for an interview or warning (第二十三条（一）). */
export interface DeclineWarning {
  readonly article: '第二十三条（一）';
  /** The refusals of the most recent qualifying run, oldest first. */
  readonly evidence: readonly InvitationRecord[];
  readonly firstDate: IsoDate;
  readonly lastDate: IsoDate;
}

/**
 * The first date of the 第二十三条（一） window (“1年内”) that ends on `date`: 12 calendar months
 * back to the same date (`declineWarning.windowMonths`, see `startOfMonthsWindow`), or
 * `windowDays` days in rule sets stored before months existed.
 *
 * @example
 * declineWindowStart(yunnanGmy2025, '2027-03-01'); // '2026-03-01'
 */
export function declineWindowStart(ruleSet: RuleSet, date: IsoDate): IsoDate {
  const { windowMonths, windowDays } = ruleSet.declineWarning;
  return windowMonths !== undefined
    ? startOfMonthsWindow(date, windowMonths)
    : startOfDaysWindow(date, windowDays ?? 365);
}

/**
 * The window as words, as 第二十三条（一） words it: whole years as 年 (1年内, not 12 个月 or
 * 365 日), other month counts as 个月, a stored window of days as 日.
 *
 * @example
 * declineWindowLabel(yunnanGmy2025); // { zh: '1年', en: '1 year' }
 */
export function declineWindowLabel(ruleSet: RuleSet): { zh: string; en: string } {
  const { windowMonths, windowDays } = ruleSet.declineWarning;
  if (windowMonths === undefined) return { zh: `${windowDays}日`, en: `${windowDays} days` };
  if (windowMonths % 12 === 0) {
    const years = windowMonths / 12;
    return { zh: `${years}年`, en: years === 1 ? '1 year' : `${years} years` };
  }
  return { zh: `${windowMonths}个月`, en: `${windowMonths} months` };
}

/**
 * All runs of `declineWarning.count` counted refusals ({@link isCountedRefusal}: declines that
 * stand unjustified, silence after delivery when the rule set counts it) whose Asia/Shanghai
 * dates lie within one window (第二十三条（一）, “1年内2次及以上”): the first on or after
 * {@link declineWindowStart} of the last. Pending (待认定) declines do not count. Only the
 * expert's own records should be passed. Returns the runs oldest first.
 *
 * @example
 * findDeclineRuns(records, yunnanGmy2025).length > 0; // the report lists the expert
 */
export function findDeclineRuns(
  records: readonly InvitationRecord[],
  ruleSet: RuleSet,
): DeclineWarning[] {
  const { count } = ruleSet.declineWarning;
  const refusals = records
    .filter((record) => isCountedRefusal(record, ruleSet))
    // By instant, not by string: records may carry different offsets.
    .map((record) => ({ record, date: toShanghaiDate(record.at), instant: toInstant(record.at) }))
    .sort((a, b) => a.instant - b.instant);
  const runs: DeclineWarning[] = [];
  for (let end = count - 1; end < refusals.length; end++) {
    const first = refusals[end - count + 1];
    const last = refusals[end];
    if (first === undefined || last === undefined) continue;
    if (first.date >= declineWindowStart(ruleSet, last.date)) {
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
 * The warning in force on `now`: the latest qualifying run whose last refusal lies within the
 * window ending on `now` (refusals after `now` are ignored), or null.
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
  return latest.lastDate >= declineWindowStart(ruleSet, today) ? latest : null;
}
