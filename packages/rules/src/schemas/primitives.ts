import { z } from 'zod';
import { isIsoDate, toInstant } from '../dates/calendar-date.js';

/** An identifier chosen by the caller: 1–64 visible characters. */
export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only');

/** A calendar date `YYYY-MM-DD` that exists (Asia/Shanghai), in any year 0001–9999. */
export const isoDateSchema = z
  .string()
  .regex(/^(?!0000)\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isIsoDate, 'not a calendar date');

/**
 * The earliest birth date the pool accepts. Local policy, no article: a plausibility bound at the
 * boundary (the latest is the day of the request, checked with `isBirthDateOnOrBefore`).
 */
export const EARLIEST_BIRTH_DATE = '1900-01-01';

/**
 * The range of work dates: task windows, appointments (聘任), unavailability, warnings,
 * disqualifications, report days. Local policy, no article: dates outside it are typing errors
 * (year 0000, 9999-12-31) that would otherwise reach the database and the reports' arithmetic.
 */
export const EARLIEST_WORK_DATE = '2000-01-01';
export const LATEST_WORK_DATE = '2100-12-31';

/** The first instant after the work range (2101-01-01 00:00 Asia/Shanghai). */
const END_OF_WORK_RANGE = Date.parse('2101-01-01T00:00:00+08:00');
const START_OF_WORK_RANGE = Date.parse(`${EARLIEST_WORK_DATE}T00:00:00+08:00`);

/** True when `date` lies in [EARLIEST_WORK_DATE, LATEST_WORK_DATE]. */
export function isWorkDate(date: string): boolean {
  return date >= EARLIEST_WORK_DATE && date <= LATEST_WORK_DATE;
}

/**
 * True when someone born on `birthDate` is already born on `today` (both `YYYY-MM-DD`).
 *
 * @example
 * isBirthDateOnOrBefore('2030-01-01', '2026-03-02'); // false
 */
export function isBirthDateOnOrBefore(birthDate: string, today: string): boolean {
  return birthDate <= today;
}

const WORK_RANGE_MESSAGE = `expected a date from ${EARLIEST_WORK_DATE} to ${LATEST_WORK_DATE}`;

/** A work date: a calendar date in [EARLIEST_WORK_DATE, LATEST_WORK_DATE]. */
export const workDateSchema = isoDateSchema.refine(isWorkDate, WORK_RANGE_MESSAGE);

/** A birth date: a calendar date on or after EARLIEST_BIRTH_DATE (and not after today). */
export const birthDateSchema = isoDateSchema.refine(
  (date) => date >= EARLIEST_BIRTH_DATE,
  `expected a date from ${EARLIEST_BIRTH_DATE}`,
);

/**
 * An ISO 8601 date-time with an explicit offset or `Z`, inside the work range (every instant the
 * service stores is a work instant: windows, periods, profile stamps, history).
 */
export const isoDateTimeSchema = z.iso.datetime({ offset: true }).refine((value) => {
  const instant = Date.parse(value);
  return instant >= START_OF_WORK_RANGE && instant < END_OF_WORK_RANGE;
}, WORK_RANGE_MESSAGE);

/** A 6-digit administrative division code (GB/T 2260), e.g. `530102` for 五华区. */
export const regionCodeSchema = z
  .string()
  .regex(/^[1-8]\d{5}$/, 'expected a 6-digit GB/T 2260 code');

/** A free specialty tag in snake_case, e.g. `dust_explosion` (专业特长). */
export const specialtySchema = z
  .string()
  .min(2)
  .max(48)
  .regex(/^[a-z][a-z0-9_]*$/, 'expected a snake_case tag');

/** A half-open period `[from, to)` of instants; `to` must be after `from`. */
export const periodSchema = z
  .object({ from: isoDateTimeSchema, to: isoDateTimeSchema })
  .refine((period) => toInstant(period.from) < toInstant(period.to), {
    message: 'to must be after from',
    path: ['to'],
  });

export type Period = z.infer<typeof periodSchema>;
