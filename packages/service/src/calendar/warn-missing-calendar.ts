import { toShanghaiDate } from '@expert-dispatch/rules';
import type { Transaction } from '../db/open-database.js';
import type { ExpertContact } from '../db/schema.js';
import { enqueueNotices } from '../dispatch/enqueue-notice.js';
import type { JobOutcome } from '../schedule/run-once-per-period.js';
import { missingNextYear } from './calendar-warning.js';
import { readWorkingCalendar } from './working-calendar.js';

/**
 * From 1 November, while the next year is missing from the working-day calendar, tells the
 * department (the digest contacts) to load it: one `calendar_missing` notice each time the
 * scheduler claims a new week of the season (see `calendarCheckPeriod`). Reads the calendar in
 * the job's transaction, not the cache, so a year loaded a moment ago stops the warning.
 *
 * @example
 * await warnMissingCalendar(tx, now, [{ channel: 'email', address: 'aq@yn.gov.cn' }]);
 */
export async function warnMissingCalendar(
  tx: Transaction,
  now: Date,
  contacts: readonly ExpertContact[],
): Promise<JobOutcome> {
  const calendar = await readWorkingCalendar(tx);
  const warning = missingNextYear(toShanghaiDate(now), calendar.years);
  if (warning === null) return { result: { missing: null, warned: 0 }, audit: [] };
  await enqueueNotices(
    tx,
    contacts.map((contact) => ({
      kind: 'calendar_missing' as const,
      recipient: { contact },
      subject: `请载入${warning.year}年工作日历（节假日安排）`,
      body: warning.message.zh,
    })),
    now,
  );
  return { result: { missing: warning.year, warned: contacts.length }, audit: [] };
}
