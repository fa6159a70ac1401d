import { describe, expect, it } from 'vitest';
import { addDays } from '../dates/calendar-date.js';
import { chinaNational2025To2026 } from './china-national-2025-2026.js';
import { dayOfWeek } from './day-of-week.js';

/** Every date from `first` to `last`, both included. */
function days(first: string, last: string): string[] {
  const list = [first];
  while (list[list.length - 1] !== last) list.push(addDays(list[list.length - 1] ?? last, 1));
  return list;
}

// The festivals as the State Council notices word them: first day, last day, "共N天".
const festivals = [
  ['2025 元旦', '2025-01-01', '2025-01-01', 1],
  ['2025 春节', '2025-01-28', '2025-02-04', 8],
  ['2025 清明节', '2025-04-04', '2025-04-06', 3],
  ['2025 劳动节', '2025-05-01', '2025-05-05', 5],
  ['2025 端午节', '2025-05-31', '2025-06-02', 3],
  ['2025 国庆节、中秋节', '2025-10-01', '2025-10-08', 8],
  ['2026 元旦', '2026-01-01', '2026-01-03', 3],
  ['2026 春节', '2026-02-15', '2026-02-23', 9],
  ['2026 清明节', '2026-04-04', '2026-04-06', 3],
  ['2026 劳动节', '2026-05-01', '2026-05-05', 5],
  ['2026 端午节', '2026-06-19', '2026-06-21', 3],
  ['2026 中秋节', '2026-09-25', '2026-09-27', 3],
  ['2026 国庆节', '2026-10-01', '2026-10-07', 7],
] as const;

describe('the national holiday arrangement for 2025 and 2026', () => {
  it.each(festivals)('lists %s from %s to %s, %i days off', (_, first, last, total) => {
    const off = days(first, last);
    expect(off).toHaveLength(total);
    for (const day of off) expect(chinaNational2025To2026.holidays).toContain(day);
  });

  it('lists no day off besides the festivals', () => {
    const total = festivals.reduce((sum, festival) => sum + festival[3], 0);
    expect(chinaNational2025To2026.holidays).toHaveLength(total);
  });

  it.each([
    ['2025-01-26', 0],
    ['2025-02-08', 6],
    ['2025-04-27', 0],
    ['2025-09-28', 0],
    ['2025-10-11', 6],
    ['2026-01-04', 0],
    ['2026-02-14', 6],
    ['2026-02-28', 6],
    ['2026-05-09', 6],
    ['2026-09-20', 0],
    ['2026-10-10', 6],
  ])('works on %s, a weekend day (%i) (调休上班)', (date, weekday) => {
    expect(chinaNational2025To2026.makeupWorkdays).toContain(date);
    expect(dayOfWeek(date)).toBe(weekday);
  });

  it('lists exactly the eleven make-up working days of the two notices', () => {
    expect(chinaNational2025To2026.makeupWorkdays).toHaveLength(11);
  });

  it('cannot be changed in place by a caller', () => {
    expect(Object.isFrozen(chinaNational2025To2026)).toBe(true);
    expect(Object.isFrozen(chinaNational2025To2026.holidays)).toBe(true);
    expect(Object.isFrozen(chinaNational2025To2026.makeupWorkdays)).toBe(true);
  });
});
