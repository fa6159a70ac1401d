import type { IsoDate } from '../dates/calendar-date.js';
import { formatZhDate } from '../dates/format-zh-date.js';
import type { Label } from '../vocabulary/define-vocabulary.js';
import { addWorkingDays } from './add-working-days.js';
import type { CalendarYearUnknown, WorkingDayCalendar } from './working-day-calendar.js';

/** Why a public notice may not start on the date asked. */
export interface PublicNoticeStartRefused {
  readonly ok: false;
  readonly code: 'before_approval' | 'too_far_in_the_past';
  /** The earliest start allowed. */
  readonly earliest: IsoDate;
  readonly message: Label;
}

export type PublicNoticeStartOutcome =
  | { readonly ok: true }
  | PublicNoticeStartRefused
  | CalendarYearUnknown;

/**
 * Whether a public notice (公示, 第十条（四）) may start on `start`: not before the review was
 * approved (公示 follows 审核, 第十条（三）), and not in the past by more than `backdate` working
 * days (local policy, `ruleSet.publicNoticeBackdateWorkingDays`, default 1: a notice recorded the
 * morning after it was put up is fine; one backdated by weeks is not a notice the public could
 * see). Both bounds are Asia/Shanghai dates.
 *
 * @example
 * checkPublicNoticeStart('2026-11-30', { approvedOn: '2026-11-27', today: '2026-12-02' }, chinaNational2025To2026);
 * // { ok: false, code: 'too_far_in_the_past', earliest: '2026-12-01', … }
 */
export function checkPublicNoticeStart(
  start: IsoDate,
  bounds: { readonly approvedOn: IsoDate; readonly today: IsoDate; readonly backdate?: number },
  calendar: WorkingDayCalendar,
): PublicNoticeStartOutcome {
  const backdate = bounds.backdate ?? 1;
  if (start < bounds.approvedOn) {
    return {
      ok: false,
      code: 'before_approval',
      earliest: bounds.approvedOn,
      message: {
        zh: `公示开始日期${formatZhDate(start)}早于审核通过日期${formatZhDate(bounds.approvedOn)}`,
        en: `a public notice cannot start (${start}) before the review was approved (${bounds.approvedOn})`,
      },
    };
  }
  // No backdating means today, working day or not (addWorkingDays(today, 0) is the next one).
  const previous =
    backdate === 0
      ? { ok: true as const, date: bounds.today }
      : addWorkingDays(bounds.today, -backdate, calendar);
  if (!previous.ok) return previous;
  if (start < previous.date) {
    return {
      ok: false,
      code: 'too_far_in_the_past',
      earliest: previous.date,
      message: {
        zh: `公示开始日期${formatZhDate(start)}早于${formatZhDate(previous.date)}（最多可回溯${backdate}个工作日，本厅规定）`,
        en: `a public notice cannot start (${start}) more than ${backdate} working day(s) in the past (earliest ${previous.date}; local policy)`,
      },
    };
  }
  return { ok: true };
}
