import { daysBetween, formatZhDate, type IsoDate } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';

/** A year the working-day calendar still lacks, as the department is warned of it. */
export const calendarWarningSchema = z
  .object({
    /** The year without holidays and make-up working days. */
    year: z.number().int(),
    /** The day the warning began (1 November of the year before). */
    since: z.string(),
    article: z.literal('第十条（四）'),
    message: z.object({ zh: z.string(), en: z.string() }),
  })
  .openapi('CalendarWarning');

export type CalendarWarning = z.infer<typeof calendarWarningSchema>;

/** The State Council publishes the next year's arrangement in late October or November. */
const WARN_FROM = '-11-01';

/**
 * From 1 November, the next year when the calendar does not list it yet: without it no public
 * notice (第十条（四）, 5 working days) reaching January can be counted. Once that year has begun
 * and is still missing, the warning goes on (every working-day computation of the year is
 * refused with 422 `calendar_year_unknown` until it is loaded). Null before November or once
 * the year is loaded.
 *
 * @example
 * missingNextYear('2026-11-02', [2025, 2026])?.year; // 2027
 * missingNextYear('2026-10-31', [2025, 2026]); // null
 * missingNextYear('2027-01-05', [2025, 2026])?.since; // '2026-11-01'
 */
export function missingNextYear(on: IsoDate, years: readonly number[]): CalendarWarning | null {
  const current = Number(on.slice(0, 4));
  const thisYearMissing = !years.includes(current);
  const year = thisYearMissing ? current - 1 : current;
  const since = `${year}${WARN_FROM}`;
  if (!thisYearMissing && (on < since || years.includes(year + 1))) return null;
  const next = year + 1;
  return {
    year: next,
    since,
    article: '第十条（四）',
    message: {
      zh: `工作日历尚无${next}年的节假日安排：请在国务院办公厅公布后通过 PUT /v1/calendar/${next} 载入，否则跨入${next}年的公示（5个工作日）无法计算（自${formatZhDate(since)}起提示）`,
      en: `the working-day calendar has no ${next} yet: load the State Council's arrangement with PUT /v1/calendar/${next}, or public notices reaching ${next} cannot be counted`,
    },
  };
}

/**
 * The week of the warning season `on` falls in (0 from 1 November), so that the scheduler warns
 * once a week rather than every day.
 *
 * @example
 * warningWeek({ since: '2026-11-01' }, '2026-11-08'); // 1
 */
export function warningWeek(warning: Pick<CalendarWarning, 'since'>, on: IsoDate): number {
  return Math.floor(daysBetween(warning.since, on) / 7);
}
