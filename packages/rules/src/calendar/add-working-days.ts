import { fromEpochDay, type IsoDate, isIsoDate, toEpochDay } from '../dates/calendar-date.js';
import { isWorkingDay } from './is-working-day.js';
import {
  calendarYearUnknown,
  isCalendarCovering,
  type WorkingDayCalendar,
  type WorkingDayOutcome,
} from './working-day-calendar.js';

function checkArguments(date: IsoDate, n?: number): void {
  // Malformed arguments are programming errors, not domain outcomes: without this guard an
  // invalid date would make the loops below run for ever.
  if (!isIsoDate(date)) throw new RangeError(`expected a YYYY-MM-DD date, got ${date}`);
  if (n !== undefined && !Number.isSafeInteger(n)) {
    throw new RangeError(`expected a whole number of working days, got ${n}`);
  }
}

/** Whether the day is a working day, or null when the calendar does not list its year. */
function workingOn(day: number, calendar: WorkingDayCalendar): boolean | null {
  const date = fromEpochDay(day);
  return isCalendarCovering(calendar, date) ? isWorkingDay(date, calendar) : null;
}

const yearOfDay = (day: number) => Number(fromEpochDay(day).slice(0, 4));

/**
 * The date `n` working days from `date` (Asia/Shanghai calendar dates):
 * - `n > 0`: the n-th working day strictly after `date` (`date` itself never counts);
 * - `n < 0`: the |n|-th working day strictly before `date`;
 * - `n = 0`: `date` itself when it is a working day, else the next working day.
 *
 * The result is always a working day, and {@link countWorkingDays} counts back to `n`
 * (for `n = 0` only when `date` is a working day). A walk that reaches a year the calendar does
 * not list answers `calendar_year_unknown` with that year. Throws a RangeError for an invalid
 * date or a fractional `n`.
 *
 * @example
 * addWorkingDays('2026-02-13', 1, chinaNational2025To2026); // { ok: true, date: '2026-02-14' } (调休上班)
 * addWorkingDays('2026-02-14', 1, chinaNational2025To2026); // { ok: true, date: '2026-02-24' } (after 春节)
 * addWorkingDays('2026-12-31', 1, chinaNational2025To2026); // { ok: false, code: 'calendar_year_unknown', year: 2027 }
 */
export function addWorkingDays(
  date: IsoDate,
  n: number,
  calendar: WorkingDayCalendar,
): WorkingDayOutcome<{ readonly date: IsoDate }> {
  checkArguments(date, n);
  let day = toEpochDay(date);
  if (n === 0) {
    for (;;) {
      const working = workingOn(day, calendar);
      if (working === null) return calendarYearUnknown(yearOfDay(day));
      if (working) return { ok: true, date: fromEpochDay(day) };
      day += 1;
    }
  }
  const step = n > 0 ? 1 : -1;
  let left = Math.abs(n);
  while (left > 0) {
    day += step;
    const working = workingOn(day, calendar);
    if (working === null) return calendarYearUnknown(yearOfDay(day));
    if (working) left -= 1;
  }
  return { ok: true, date: fromEpochDay(day) };
}

/**
 * The number of working days from `from` to `to`, the inverse of {@link addWorkingDays}:
 * - `to` on or after `from`: the working days in `(from, to]` — after `from`, up to and
 *   including `to`;
 * - `to` before `from`: minus the working days in `[to, from)`.
 * So `countWorkingDays(d, addWorkingDays(d, n, c).date, c).count === n` for every `n ≠ 0`.
 * A span touching a year the calendar does not list answers `calendar_year_unknown`.
 *
 * @example
 * countWorkingDays('2026-02-13', '2026-02-24', chinaNational2025To2026); // { ok: true, count: 2 } (14th and 24th)
 * countWorkingDays('2026-02-24', '2026-02-13', chinaNational2025To2026); // { ok: true, count: -2 } (13th and 14th)
 */
export function countWorkingDays(
  from: IsoDate,
  to: IsoDate,
  calendar: WorkingDayCalendar,
): WorkingDayOutcome<{ readonly count: number }> {
  checkArguments(from);
  checkArguments(to);
  const start = toEpochDay(from);
  const end = toEpochDay(to);
  const [low, high, sign] = end >= start ? [start + 1, end, 1] : [end, start - 1, -1];
  let count = 0;
  for (let day = low; day <= high; day += 1) {
    const working = workingOn(day, calendar);
    if (working === null) return calendarYearUnknown(yearOfDay(day));
    if (working) count += sign;
  }
  return { ok: true, count };
}
