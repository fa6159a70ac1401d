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
 * for each covered year. Outside its `years` a calendar knows only weekends.
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
  /** The years whose arrangement is listed; outside them only weekends count. */
  readonly years: readonly number[];
  /** Statutory days off (放假), on weekdays or weekends. */
  readonly holidays: readonly IsoDate[];
  /** Weekend days that are working days (调休上班). */
  readonly makeupWorkdays: readonly IsoDate[];
}

/**
 * True when the calendar lists the holidays of the year `date` falls in. Outside its years a
 * calendar counts weekends only, so a caller should show that a result may be wrong.
 *
 * @example
 * isCalendarCovering(chinaNational2025To2026, '2026-10-01'); // true
 * isCalendarCovering(chinaNational2025To2026, '2027-10-01'); // false
 */
export function isCalendarCovering(calendar: WorkingDayCalendar, date: IsoDate): boolean {
  return calendar.years.includes(yearOf(date));
}
