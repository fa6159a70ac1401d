/**
 * Calendar dates are `YYYY-MM-DD` strings in Asia/Shanghai (UTC+8, no daylight saving since
 * 1991). Arithmetic runs on epoch days (days since 1970-01-01) so that it never touches a
 * time zone database.
 */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date; NaN when it is not a real date.
 *
 * @example
 * toEpochDay('1970-01-02'); // 1
 */
export function toEpochDay(date: IsoDate): number {
  const match = ISO_DATE.exec(date);
  if (!match) return Number.NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const back = utcDay(year, month - 1, day);
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return Number.NaN;
  return Math.round(back.getTime() / MS_PER_DAY);
}

/** Midnight UTC of a day; not Date.UTC, which reads the years 0–99 as 1900–1999. */
function utcDay(year: number, monthIndex: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date;
}

/**
 * The `YYYY-MM-DD` date of an epoch day.
 *
 * @example
 * fromEpochDay(0); // '1970-01-01'
 */
export function fromEpochDay(epochDay: number): IsoDate {
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
}

/** True for a well-formed `YYYY-MM-DD` date that exists on the calendar. */
export function isIsoDate(value: string): boolean {
  return !Number.isNaN(toEpochDay(value));
}

/** Milliseconds since the epoch of an ISO date-time, a Date, or a number of milliseconds. */
export function toInstant(value: string | Date | number): number {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  return Date.parse(value);
}

/**
 * The Asia/Shanghai calendar date of an instant.
 *
 * @example
 * toShanghaiDate('2026-03-01T16:30:00Z'); // '2026-03-02'
 */
export function toShanghaiDate(value: string | Date | number): IsoDate {
  return fromEpochDay(Math.floor((toInstant(value) + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}

/** The instant at which a Shanghai calendar date begins (00:00 +08:00). */
export function startOfShanghaiDate(date: IsoDate): number {
  return toEpochDay(date) * MS_PER_DAY - SHANGHAI_OFFSET_MS;
}

/**
 * `date` plus `days` calendar days.
 *
 * @example
 * addDays('2026-02-28', 1); // '2026-03-01'
 */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/**
 * Whole days from `from` to `to` (negative when `to` is earlier).
 *
 * @example
 * daysBetween('2026-01-01', '2027-01-01'); // 365
 */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/**
 * `date` plus `months` calendar months. A day the target month lacks becomes its last day,
 * as 《民法典》第二百零二条 counts periods (2024-02-29 plus 12 months is 2025-02-28).
 *
 * @example
 * addMonths('2026-01-31', 1); // '2026-02-28'
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12;
  const lastDay = utcDay(targetYear, targetMonth + 1, 0).getUTCDate();
  return fromEpochDay(
    Math.round(utcDay(targetYear, targetMonth, Math.min(day, lastDay)).getTime() / MS_PER_DAY),
  );
}

/** `date` plus `years` calendar years, with the same month-end rule as {@link addMonths}. */
export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, years * 12);
}

/**
 * Completed years (周岁) on `date` of someone born on `birthDate`. Someone born on 29 February
 * completes a year on 28 February in common years (《民法典》第二百零二条).
 *
 * @example
 * ageOn('1961-03-01', '2026-03-01'); // 65
 * ageOn('1961-03-01', '2026-02-28'); // 64
 */
export function ageOn(birthDate: IsoDate, date: IsoDate): number {
  const [birthYear] = birthDate.split('-').map(Number) as [number];
  const [year] = date.split('-').map(Number) as [number];
  let age = year - birthYear;
  if (addYears(birthDate, age) > date) age -= 1;
  return age;
}

/** The earlier of two dates. */
export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}
