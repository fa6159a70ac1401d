import type { IsoDate } from '../dates/calendar-date.js';
import { isWeekend } from './day-of-week.js';
import { isCalendarCovering, type WorkingDayCalendar } from './working-day-calendar.js';

/**
 * True when `date` is a working day (工作日) on the calendar: a make-up working day (调休上班)
 * is one, a holiday (放假) is not, and any other day is one from Monday to Friday.
 *
 * Only a year the calendar lists can be answered: outside its years this throws a RangeError,
 * a programming error, since the counting functions ({@link addWorkingDays},
 * {@link publicNoticePeriod}) check the years first and answer `calendar_year_unknown`.
 *
 * @example
 * isWorkingDay('2026-02-14', chinaNational2025To2026); // true  (Saturday, 春节调休上班)
 * isWorkingDay('2026-02-16', chinaNational2025To2026); // false (Monday, 春节)
 * isWorkingDay('2026-03-07', chinaNational2025To2026); // false (an ordinary Saturday)
 */
export function isWorkingDay(date: IsoDate, calendar: WorkingDayCalendar): boolean {
  if (!isCalendarCovering(calendar, date)) {
    throw new RangeError(`the calendar ${calendar.id} does not list the year of ${date}`);
  }
  if (calendar.makeupWorkdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  return !isWeekend(date);
}
