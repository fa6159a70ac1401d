import { z } from 'zod';
import type { IsoDate } from '../dates/calendar-date.js';
import { isoDateSchema } from '../schemas/primitives.js';
import type { Label } from '../vocabulary/define-vocabulary.js';
import { isWeekend } from './day-of-week.js';

const labelSchema = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
const isUnique = <T>(list: readonly T[]) => new Set(list).size === list.length;

/** The calendar year of a `YYYY-MM-DD` date. */
function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/**
 * A working-day calendar (工作日历) as data, so that an authority can load its own: the
 * statutory days off (放假, on weekdays or weekends) and the weekend days worked instead (调休上班)
 * for each covered year. Outside its `years` it knows nothing: a computation reaching such a year
 * answers `calendar_year_unknown` instead of guessing from weekends.
 *
 * Refused with the path of the bad entry: a date outside the covered years, a date listed twice
 * or both as a holiday and a make-up working day, and a make-up working day on a weekday (it would
 * change nothing, so it is surely a typo).
 */
export const workingDayCalendarSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'expected a lowercase kebab-case id'),
    name: labelSchema,
    years: z
      .array(z.number().int().min(1900).max(2200))
      .min(1)
      .refine(isUnique, 'years must not repeat'),
    holidays: z.array(isoDateSchema).refine(isUnique, 'holidays must not repeat'),
    makeupWorkdays: z.array(isoDateSchema).refine(isUnique, 'make-up working days must not repeat'),
  })
  .superRefine((calendar, context) => {
    const holidays = new Set(calendar.holidays);
    const check = (field: 'holidays' | 'makeupWorkdays') =>
      calendar[field].forEach((date, index) => {
        if (!calendar.years.includes(yearOf(date))) {
          context.addIssue({
            code: 'custom',
            path: [field, index],
            message: `${date} is outside the covered years ${calendar.years.join(', ')}`,
          });
        }
      });
    check('holidays');
    check('makeupWorkdays');
    calendar.makeupWorkdays.forEach((date, index) => {
      if (holidays.has(date)) {
        context.addIssue({
          code: 'custom',
          path: ['makeupWorkdays', index],
          message: `${date} is listed both as a holiday and as a make-up working day`,
        });
      }
      if (!isWeekend(date)) {
        context.addIssue({
          code: 'custom',
          path: ['makeupWorkdays', index],
          message: `${date} is a weekday; a make-up working day (调休上班) falls on a weekend`,
        });
      }
    });
  });

/** A working-day calendar; what {@link workingDayCalendarSchema} parses is one. */
export interface WorkingDayCalendar {
  readonly id: string;
  readonly name: Label;
  /** The years whose arrangement is listed; outside them no working day is known. */
  readonly years: readonly number[];
  /** Statutory days off (放假), on weekdays or weekends. */
  readonly holidays: readonly IsoDate[];
  /** Weekend days that are working days (调休上班). */
  readonly makeupWorkdays: readonly IsoDate[];
}

/**
 * The domain outcome of a working-day computation that reaches a year the calendar does not
 * list: without the State Council's arrangement for that year no answer would be right, so
 * none is given (第十条（四） counts 工作日, which only the year's arrangement fixes).
 */
export interface CalendarYearUnknown {
  readonly ok: false;
  readonly code: 'calendar_year_unknown';
  readonly year: number;
}

/** A working-day answer, or the year whose arrangement is missing. */
export type WorkingDayOutcome<T> = ({ readonly ok: true } & T) | CalendarYearUnknown;

/**
 * The outcome naming the missing year.
 *
 * @example
 * calendarYearUnknown(2027); // { ok: false, code: 'calendar_year_unknown', year: 2027 }
 */
export function calendarYearUnknown(year: number): CalendarYearUnknown {
  return { ok: false, code: 'calendar_year_unknown', year };
}

/**
 * The first year from `from` to `to` (inclusive, either order) that the calendar does not list;
 * null when it lists them all.
 *
 * @example
 * firstUncoveredYear(chinaNational2025To2026, '2026-12-28', '2027-01-05'); // 2027
 */
export function firstUncoveredYear(
  calendar: WorkingDayCalendar,
  from: IsoDate,
  to: IsoDate,
): number | null {
  const [low, high] = from <= to ? [yearOf(from), yearOf(to)] : [yearOf(to), yearOf(from)];
  for (let year = low; year <= high; year += 1) {
    if (!calendar.years.includes(year)) return year;
  }
  return null;
}

/** One year of a calendar as an authority maintains it (`PUT /v1/calendar/{year}`). */
export interface CalendarYear {
  readonly year: number;
  readonly holidays: readonly IsoDate[];
  readonly makeupWorkdays: readonly IsoDate[];
}

/**
 * Checks one year's arrangement with the rules of {@link workingDayCalendarSchema} (every date in
 * that year, none twice, make-up working days on weekends): the issues carry the paths of the
 * bad entries (`holidays.3`).
 *
 * @example
 * parseCalendarYear(2027, { holidays: ['2027-01-01'], makeupWorkdays: [] }).success; // true
 * parseCalendarYear(2027, { holidays: ['2026-12-31'], makeupWorkdays: [] }).success; // false
 */
export function parseCalendarYear(
  year: number,
  body: { readonly holidays: readonly string[]; readonly makeupWorkdays: readonly string[] },
) {
  return workingDayCalendarSchema.safeParse({
    id: `year-${year}`,
    name: { zh: `${year}年`, en: `${year}` },
    years: [year],
    holidays: [...body.holidays],
    makeupWorkdays: [...body.makeupWorkdays],
  });
}

/**
 * One calendar from the years an authority has loaded, in any order.
 *
 * @example
 * calendarOfYears('working-calendar', label, [{ year: 2027, holidays: ['2027-01-01'], makeupWorkdays: [] }]).years; // [2027]
 */
export function calendarOfYears(
  id: string,
  name: Label,
  rows: readonly CalendarYear[],
): WorkingDayCalendar {
  const sorted = [...rows].sort((a, b) => a.year - b.year);
  return {
    id,
    name,
    years: sorted.map((row) => row.year),
    holidays: sorted.flatMap((row) => row.holidays),
    makeupWorkdays: sorted.flatMap((row) => row.makeupWorkdays),
  };
}

/**
 * True when the calendar lists the holidays of the year `date` falls in. Outside its years no
 * working day can be counted: the computations answer {@link CalendarYearUnknown}.
 *
 * @example
 * isCalendarCovering(chinaNational2025To2026, '2026-10-01'); // true
 * isCalendarCovering(chinaNational2025To2026, '2027-10-01'); // false
 */
export function isCalendarCovering(calendar: WorkingDayCalendar, date: IsoDate): boolean {
  return calendar.years.includes(yearOf(date));
}
