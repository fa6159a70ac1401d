import { type IsoDate, isIsoDate, toShanghaiDate } from './calendar-date.js';
import { windowDays } from './task-days.js';

/** A `YYYY-MM-DD` date, or a date-time read as its Asia/Shanghai date. */
function dateOf(value: string): IsoDate {
  return isIsoDate(value) ? value : toShanghaiDate(value);
}

function partsOf(value: string): { year: number; month: number; day: number } {
  const date = dateOf(value);
  return {
    year: Number(date.slice(0, 4)),
    month: Number(date.slice(5, 7)),
    day: Number(date.slice(8, 10)),
  };
}

/**
 * A date as Chinese sentences write it (2026年3月1日); a date-time is read as its Asia/Shanghai
 * date, so no ISO timestamp ends up in a Chinese sentence.
 *
 * @example
 * formatZhDate('2026-03-01'); // '2026年3月1日'
 * formatZhDate('2026-02-28T23:30:00+08:00'); // '2026年2月28日'
 */
export function formatZhDate(value: string): string {
  const { year, month, day } = partsOf(value);
  return `${year}年${month}月${day}日`;
}

/**
 * A span of days in Chinese (both ends included): one day is just that day, never
 * "X 至 X"; within a year the year is written once.
 *
 * @example
 * formatZhSpan('2026-12-03', '2026-12-03'); // '2026年12月3日'
 * formatZhSpan('2026-12-03', '2026-12-05'); // '2026年12月3日至12月5日'
 * formatZhSpan('2026-12-30', '2027-01-02'); // '2026年12月30日至2027年1月2日'
 */
export function formatZhSpan(from: string, to: string): string {
  const first = dateOf(from);
  const last = dateOf(to);
  if (first === last) return formatZhDate(first);
  const end = partsOf(last);
  const tail =
    first.slice(0, 4) === last.slice(0, 4) ? `${end.month}月${end.day}日` : formatZhDate(last);
  return `${formatZhDate(first)}至${tail}`;
}

/**
 * "Between … and …" in a Chinese sentence: `…至…间` over several days, `…当天` for one.
 *
 * @example
 * formatZhBetween('2026-01-05', '2026-02-05'); // '2026年1月5日至2月5日间'
 * formatZhBetween('2026-12-03', '2026-12-03'); // '2026年12月3日当天'
 */
export function formatZhBetween(from: string, to: string): string {
  return dateOf(from) === dateOf(to) ? `${formatZhDate(from)}当天` : `${formatZhSpan(from, to)}间`;
}

/**
 * The Asia/Shanghai days a half-open window `[from, to)` touches, in Chinese: a window ending at
 * midnight does not reach the day that begins then.
 *
 * @example
 * formatZhWindow({ from: '2026-03-02T09:00:00+08:00', to: '2026-03-04T00:00:00+08:00' }); // '2026年3月2日至3月3日'
 */
export function formatZhWindow(window: { readonly from: string; readonly to: string }): string {
  const { first, last } = windowDays(window);
  return formatZhSpan(first, last);
}
