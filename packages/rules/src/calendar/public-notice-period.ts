import type { IsoDate } from '../dates/calendar-date.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import { addWorkingDays } from './add-working-days.js';
import type { WorkingDayCalendar, WorkingDayOutcome } from './working-day-calendar.js';

/** The days a public notice (公示) runs: both ends are working days and included. */
export interface PublicNoticePeriod {
  /** The first working day of the notice. */
  readonly start: IsoDate;
  /** The last working day of the notice; it is over from the next day on. */
  readonly end: IsoDate;
  /** How many working days it lasts (`ruleSet.publicNoticeWorkingDays`). */
  readonly workingDays: number;
  readonly article: '第十条（四）';
}

/**
 * The public notice of a proposed expert list (公示, 第十条（四）): it runs for
 * `ruleSet.publicNoticeWorkingDays` working days (5 in the provincial set), starting on `start`
 * or, when that is not a working day, on the next working day. Holidays and make-up working days
 * (调休) come from `calendar`; a notice reaching a year the calendar does not list answers
 * `calendar_year_unknown` with that year.
 *
 * @example
 * publicNoticePeriod('2026-02-12', yunnanGmy2025, chinaNational2025To2026);
 * // { ok: true, start: '2026-02-12', end: '2026-02-25', workingDays: 5, article: '第十条（四）' }
 * // Feb 12, 13, 14 (调休上班), then 春节 to the 23rd, then 24, 25.
 * publicNoticePeriod('2026-12-28', yunnanGmy2025, chinaNational2025To2026);
 * // { ok: false, code: 'calendar_year_unknown', year: 2027 }
 */
export function publicNoticePeriod(
  start: IsoDate,
  ruleSet: Pick<RuleSet, 'publicNoticeWorkingDays'>,
  calendar: WorkingDayCalendar,
): WorkingDayOutcome<PublicNoticePeriod> {
  const workingDays = ruleSet.publicNoticeWorkingDays;
  // ruleSetSchema keeps this at 1 or more; a hand-made set below that is a programming error.
  if (!Number.isSafeInteger(workingDays) || workingDays < 1) {
    throw new RangeError(`a public notice lasts at least 1 working day, got ${workingDays}`);
  }
  const first = addWorkingDays(start, 0, calendar);
  if (!first.ok) return first;
  const end = addWorkingDays(first.date, workingDays - 1, calendar);
  if (!end.ok) return end;
  return { ok: true, start: first.date, end: end.date, workingDays, article: '第十条（四）' };
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
