import { type IsoDate, toInstant, toShanghaiDate } from './calendar-date.js';

/**
 * The first and last Asia/Shanghai calendar days a half-open window `[from, to)` touches.
 * A window ending at 00:00 +08:00 does not touch the day that begins then.
 *
 * @example
 * windowDays({ from: '2026-03-01T09:00:00+08:00', to: '2026-03-03T00:00:00+08:00' });
 * // { first: '2026-03-01', last: '2026-03-02' }
 */
export function windowDays(window: { readonly from: string; readonly to: string }): {
  first: IsoDate;
  last: IsoDate;
} {
  const from = toInstant(window.from);
  const to = toInstant(window.to);
  return { first: toShanghaiDate(from), last: toShanghaiDate(Math.max(from, to - 1)) };
}

/**
 * True when two half-open periods share at least one instant.
 *
 * @example
 * isOverlapping({ from: 0, to: 60_000 }, { from: 59_999, to: 120_000 }); // true
 */
export function isOverlapping(
  a: { readonly from: string | number; readonly to: string | number },
  b: { readonly from: string | number; readonly to: string | number },
): boolean {
  return toInstant(a.from) < toInstant(b.to) && toInstant(b.from) < toInstant(a.to);
}
