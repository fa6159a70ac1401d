import { type RuleSet, toShanghaiDate } from '@expert-dispatch/rules';
import { isInPeriod, type ReportSeat, refusalOf } from '../reports/report-records.js';
import type { ReportPeriod } from '../reports/report-schemas.js';

/** The refusals of one month: declines (any standing) and time-outs (第二十三条（一）). */
export interface MonthRefusals {
  /** YYYY-MM */
  readonly month: string;
  readonly declined: number;
  readonly timedOut: number;
}

/**
 * Refusals per month of the period, every month listed (zeros included): each invitation of
 * the period that the reports read as a refusal (`refusalOf`: a decline or a withdrawn
 * acceptance dated by its reply, a time-out by its deadline), by the Asia/Shanghai month of
 * that date. Undeliverable invitations are no refusal.
 *
 * @example
 * refusalsByMonth(records.seats, { from: '2026-01-01', to: '2026-03-31' }, ruleSet);
 * // [{ month: '2026-01', declined: 2, timedOut: 1 }, { month: '2026-02', … }, { month: '2026-03', … }]
 */
export function refusalsByMonth(
  seats: readonly ReportSeat[],
  period: ReportPeriod,
  ruleSet: RuleSet,
): MonthRefusals[] {
  const months = monthsOf(period);
  const counts = new Map(months.map((month) => [month, { declined: 0, timedOut: 0 }]));
  for (const seat of seats) {
    if (!isInPeriod(seat, period)) continue;
    const refusal = refusalOf(seat, ruleSet);
    if (refusal === null) continue;
    const slot = counts.get(toShanghaiDate(refusal.at).slice(0, 7));
    if (slot === undefined) continue;
    if (refusal.outcome === 'timed_out') slot.timedOut += 1;
    else slot.declined += 1;
  }
  return months.map((month) => ({ month, ...(counts.get(month) ?? { declined: 0, timedOut: 0 }) }));
}

/** The YYYY-MM months from the period's first to its last day. */
function monthsOf(period: ReportPeriod): string[] {
  const months: string[] = [];
  let year = Number(period.from.slice(0, 4));
  let month = Number(period.from.slice(5, 7));
  const last = period.to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    if (key > last) break;
    months.push(key);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}
