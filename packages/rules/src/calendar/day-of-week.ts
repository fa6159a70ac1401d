import { type IsoDate, toEpochDay } from '../dates/calendar-date.js';

/**
 * The day of the week of a `YYYY-MM-DD` date: 0 for Sunday … 6 for Saturday. Computed from the
 * epoch day (1970-01-01 was a Thursday), so no time zone is involved.
 *
 * @example
 * dayOfWeek('2026-02-14'); // 6 (a Saturday)
 */
export function dayOfWeek(date: IsoDate): number {
  return (((toEpochDay(date) + 4) % 7) + 7) % 7;
}

/**
 * True on Saturdays and Sundays, the weekly rest days (周六、周日).
 *
 * @example
 * isWeekend('2026-02-14'); // true
 */
export function isWeekend(date: IsoDate): boolean {
  const day = dayOfWeek(date);
  return day === 0 || day === 6;
}
