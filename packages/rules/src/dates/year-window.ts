import { addDays, addMonths, type IsoDate } from './calendar-date.js';

/**
 * The first date of the `months`-month period that ends on `date`, counted as 《民法典》
 * 第二百零一条、第二百零二条 count periods: from an event on day `a` the period runs to the
 * same date `months` months later (a day the month lacks becomes its last day). So an earlier
 * date `a` lies within the period ending on `date` when `addMonths(a, months) >= date`.
 *
 * This is how "1年内" (第二十三条（一）) reads: on 2027-03-01 the year reaches back to
 * 2026-03-01 (not 365 days); on 2028-02-29 it reaches back to 2027-03-01, because a year from
 * 2027-02-28 ends on 2028-02-28, the day before.
 *
 * @example
 * startOfMonthsWindow('2027-03-01', 12); // '2026-03-01'
 * startOfMonthsWindow('2028-02-29', 12); // '2027-03-01'
 */
export function startOfMonthsWindow(date: IsoDate, months: number): IsoDate {
  const back = addMonths(date, -months);
  // Only a clamped month end can fall short; the next day starts the following month.
  return addMonths(back, months) < date ? addDays(back, 1) : back;
}

/**
 * The first date of the `days`-day period that ends on `date` (both ends counted).
 *
 * @example
 * startOfDaysWindow('2027-01-09', 365); // '2026-01-10'
 */
export function startOfDaysWindow(date: IsoDate, days: number): IsoDate {
  return addDays(date, 1 - days);
}
