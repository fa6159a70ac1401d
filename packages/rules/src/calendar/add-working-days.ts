import { fromEpochDay, type IsoDate, isIsoDate, toEpochDay } from '../dates/calendar-date.js';
import { isWorkingDay } from './is-working-day.js';
import type { WorkingDayCalendar } from './working-day-calendar.js';

function checkArguments(date: IsoDate, n?: number): void {
  // Malformed arguments are programming errors, not domain outcomes: without this guard an
  // invalid date would make the loops below run for ever.
  if (!isIsoDate(date)) throw new RangeError(`expected a YYYY-MM-DD date, got ${date}`);
  if (n !== undefined && !Number.isSafeInteger(n)) {
    throw new RangeError(`expected a whole number of working days, got ${n}`);
  }
}

/**
 * The date `n` working days from `date` (Asia/Shanghai calendar dates):
 * - `n > 0`: the n-th working day strictly after `date` (`date` itself never counts);
 * - `n < 0`: the |n|-th working day strictly before `date`;
 * - `n = 0`: `date` itself when it is a working day, else the next working day.
 *
 * The result is always a working day, and {@link countWorkingDays} counts back to `n`
 * (for `n = 0` only when `date` is a working day). Throws a RangeError for an invalid date or
 * a fractional `n`.
 *
 * @example
 * addWorkingDays('2026-02-13', 1, chinaNational2025To2026); // '2026-02-14' (调休上班)
 * addWorkingDays('2026-02-14', 1, chinaNational2025To2026); // '2026-02-24' (after 春节)
 * addWorkingDays('2026-02-24', -1, chinaNational2025To2026); // '2026-02-14'
 * addWorkingDays('2026-03-07', 0, chinaNational2025To2026); // '2026-03-09' (Saturday → Monday)
 */
export function addWorkingDays(date: IsoDate, n: number, calendar: WorkingDayCalendar): IsoDate {
  checkArguments(date, n);
  let day = toEpochDay(date);
  if (n === 0) {
    while (!isWorkingDay(fromEpochDay(day), calendar)) day += 1;
    return fromEpochDay(day);
  }
  const step = n > 0 ? 1 : -1;
  let left = Math.abs(n);
  while (left > 0) {
    day += step;
    if (isWorkingDay(fromEpochDay(day), calendar)) left -= 1;
  }
  return fromEpochDay(day);
}

/**
 * The number of working days from `from` to `to`, the inverse of {@link addWorkingDays}:
 * - `to` on or after `from`: the working days in `(from, to]` — after `from`, up to and
 *   including `to`;
 * - `to` before `from`: minus the working days in `[to, from)`.
 * So `countWorkingDays(d, addWorkingDays(d, n, c), c) === n` for every `n ≠ 0`.
 *
 * @example
 * countWorkingDays('2026-02-13', '2026-02-24', chinaNational2025To2026); // 2 (14th and 24th)
 * countWorkingDays('2026-02-24', '2026-02-13', chinaNational2025To2026); // -2 (13th and 14th)
 */
export function countWorkingDays(from: IsoDate, to: IsoDate, calendar: WorkingDayCalendar): number {
  checkArguments(from);
  checkArguments(to);
  const start = toEpochDay(from);
  const end = toEpochDay(to);
  let count = 0;
  if (end >= start) {
    for (let day = start + 1; day <= end; day += 1) {
      if (isWorkingDay(fromEpochDay(day), calendar)) count += 1;
    }
    return count;
  }
  for (let day = end; day < start; day += 1) {
    if (isWorkingDay(fromEpochDay(day), calendar)) count -= 1;
  }
  return count;
}
