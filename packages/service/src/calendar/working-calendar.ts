import {
  type CalendarYearUnknown,
  calendarOfYears,
  type WorkingDayCalendar,
} from '@expert-dispatch/rules';
import { asc } from 'drizzle-orm';
import type { Database, Executor } from '../db/open-database.js';
import { workingCalendarYears } from '../db/schema.js';
import { ProblemError } from '../errors.js';

/** The calendar's name as the service builds it from the loaded years. */
const NAME = {
  zh: '工作日历（国务院办公厅节假日安排）',
  en: 'Working-day calendar (State Council arrangement)',
};

/**
 * How long a process trusts the calendar it read: a PUT in this process is seen at once (the
 * cache is dropped), one in another process within this time.
 */
export const CALENDAR_CACHE_MS = 5_000;

interface CacheEntry {
  readonly loadedAt: number;
  readonly calendar: Promise<WorkingDayCalendar>;
}

const cache = new WeakMap<Database, CacheEntry>();

/**
 * Every year of the working-day calendar in the database (`working_calendar_years`), as one
 * `WorkingDayCalendar` for the pure functions of `@expert-dispatch/rules`.
 *
 * @example
 * const calendar = await readWorkingCalendar(tx);
 */
export async function readWorkingCalendar(db: Executor): Promise<WorkingDayCalendar> {
  const rows = await db
    .select({
      year: workingCalendarYears.year,
      holidays: workingCalendarYears.holidays,
      makeupWorkdays: workingCalendarYears.makeupWorkdays,
    })
    .from(workingCalendarYears)
    .orderBy(asc(workingCalendarYears.year));
  return calendarOfYears('working-calendar', NAME, rows);
}

/**
 * The working-day calendar, read through a per-process cache of {@link CALENDAR_CACHE_MS}: every
 * path that counts working days (public notice, 第十条（四）) reads it here, never from code.
 *
 * @example
 * const calendar = await loadWorkingCalendar(services.db);
 */
export function loadWorkingCalendar(db: Database): Promise<WorkingDayCalendar> {
  const entry = cache.get(db);
  if (entry !== undefined && Date.now() - entry.loadedAt < CALENDAR_CACHE_MS) {
    return entry.calendar;
  }
  const calendar = readWorkingCalendar(db);
  cache.set(db, { loadedAt: Date.now(), calendar });
  // A failed read is not remembered: the next call tries again.
  calendar.catch(() => cache.delete(db));
  return calendar;
}

/**
 * Drops this process's cached calendar, after a PUT has committed.
 *
 * @example
 * forgetWorkingCalendar(services.db);
 */
export function forgetWorkingCalendar(db: Database): void {
  cache.delete(db);
}

/**
 * The 422 `calendar_year_unknown` problem for a working-day computation that reached a year the
 * calendar does not list, naming the year; `path` is the input field whose date led there.
 *
 * @example
 * throw calendarYearUnknownProblem({ ok: false, code: 'calendar_year_unknown', year: 2027 }, 'on');
 */
export function calendarYearUnknownProblem(
  outcome: CalendarYearUnknown,
  path?: string,
): ProblemError {
  const { year } = outcome;
  return new ProblemError(
    'calendar_year_unknown',
    {
      zh: `尚未载入${year}年的节假日安排（工作日历），无法计算工作日；请省级管理员通过 PUT /v1/calendar/${year} 载入国务院办公厅公布的${year}年放假调休安排`,
      en: `the working-day calendar has no holidays for ${year}, so working days cannot be counted; a provincial admin loads them with PUT /v1/calendar/${year}`,
    },
    {
      ...(path === undefined
        ? {}
        : { errors: [{ path, message: `reaches ${year}, a year without calendar data` }] }),
      extensions: { year },
    },
  );
}
