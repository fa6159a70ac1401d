import {
  EARLIEST_BIRTH_DATE,
  EARLIEST_WORK_DATE,
  isIsoDate,
  LATEST_WORK_DATE,
} from '@expert-dispatch/rules';

const FIRST_INSTANT = Date.parse(`${EARLIEST_WORK_DATE}T00:00:00+08:00`);
const LAST_INSTANT = Date.parse(`${LATEST_WORK_DATE}T23:59:59.999+08:00`);

/**
 * A stored date brought into [earliest, LATEST_WORK_DATE] for the reports' arithmetic. The API
 * refuses dates outside the range, but a record written another way (SQL, an older release) may
 * hold 9999-12-31, `infinity` or a string that is no date: the report still renders. Text
 * outside the range clamps to the nearer end; a malformed date inside it reads as the latest
 * (a term or birth date that never comes due).
 *
 * @example
 * clampStoredDate('9999-12-31'); // '2100-12-31'
 * clampStoredDate('1800-01-01', EARLIEST_BIRTH_DATE); // '1900-01-01'
 */
export function clampStoredDate(date: string, earliest = EARLIEST_WORK_DATE): string {
  if (date < earliest) return earliest;
  if (date > LATEST_WORK_DATE || !isIsoDate(date)) return LATEST_WORK_DATE;
  return date;
}

/** A stored birth date clamped like {@link clampStoredDate}, from EARLIEST_BIRTH_DATE. */
export function clampStoredBirthDate(date: string): string {
  return clampStoredDate(date, EARLIEST_BIRTH_DATE);
}

/**
 * A stored instant brought into the work range; an invalid Date (PostgreSQL's `infinity`)
 * reads as the last instant.
 *
 * @example
 * clampStoredInstant(new Date('9999-12-31T00:00:00Z')).toISOString(); // '2100-12-31T15:59:59.999Z'
 */
export function clampStoredInstant(instant: Date): Date {
  const ms = instant.getTime();
  if (Number.isNaN(ms) || ms > LAST_INSTANT) return new Date(LAST_INSTANT);
  if (ms < FIRST_INSTANT) return new Date(FIRST_INSTANT);
  return instant;
}
