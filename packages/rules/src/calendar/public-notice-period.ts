import type { IsoDate } from '../dates/calendar-date.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import { addWorkingDays } from './add-working-days.js';
import { isCalendarCovering, type WorkingDayCalendar } from './working-day-calendar.js';

/** The days a public notice (公示) runs: both ends are working days and included. */
export interface PublicNoticePeriod {
  /** The first working day of the notice. */
  readonly start: IsoDate;
  /** The last working day of the notice; it is over from the next day on. */
  readonly end: IsoDate;
  /** How many working days it lasts (`ruleSet.publicNoticeWorkingDays`). */
  readonly workingDays: number;
  /** False when some day of it lies outside the calendar's years, so holidays may be missed. */
  readonly covered: boolean;
  readonly article: '第十条（四）';
}

/**
 * The public notice of a proposed expert list (公示, 第十条（四）): it runs for
 * `ruleSet.publicNoticeWorkingDays` working days (5 in the provincial set), starting on `start`
 * or, when that is not a working day, on the next working day. Holidays and make-up working days
 * (调休) come from `calendar`.
 *
 * @example
 * publicNoticePeriod('2026-02-12', yunnanGmy2025, chinaNational2025To2026);
 * // { start: '2026-02-12', end: '2026-02-25', workingDays: 5, covered: true, article: '第十条（四）' }
 * // Feb 12, 13, 14 (调休上班), then 春节 to the 23rd, then 24, 25.
 */
export function publicNoticePeriod(
  start: IsoDate,
  ruleSet: Pick<RuleSet, 'publicNoticeWorkingDays'>,
  calendar: WorkingDayCalendar,
): PublicNoticePeriod {
  const workingDays = ruleSet.publicNoticeWorkingDays;
  // ruleSetSchema keeps this at 1 or more; a hand-made set below that is a programming error.
  if (!Number.isSafeInteger(workingDays) || workingDays < 1) {
    throw new RangeError(`a public notice lasts at least 1 working day, got ${workingDays}`);
  }
  const first = addWorkingDays(start, 0, calendar);
  const end = addWorkingDays(first, workingDays - 1, calendar);
  return {
    start: first,
    end,
    workingDays,
    covered: isCoveredThroughout(start, end, calendar),
    article: '第十条（四）',
  };
}

/**
 * True once the notice has run its full term: from the day after its last working day
 * (`today` is an Asia/Shanghai calendar date).
 *
 * @example
 * isPublicNoticeOver({ start: '2026-02-12', end: '2026-02-25' }, '2026-02-25'); // false
 * isPublicNoticeOver({ start: '2026-02-12', end: '2026-02-25' }, '2026-02-26'); // true
 */
export function isPublicNoticeOver(
  period: Pick<PublicNoticePeriod, 'start' | 'end'>,
  today: IsoDate,
): boolean {
  return today > period.end;
}

function isCoveredThroughout(from: IsoDate, to: IsoDate, calendar: WorkingDayCalendar): boolean {
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year += 1) {
    if (!isCalendarCovering(calendar, `${year}-01-01`)) return false;
  }
  return true;
}
