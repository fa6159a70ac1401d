import { describe, expect, it } from 'vitest';
import { dayOfWeek, isWeekend } from './day-of-week.js';

describe('dayOfWeek', () => {
  it.each([
    ['1970-01-01', 4],
    ['1969-12-28', 0],
    ['2026-02-14', 6],
    ['2026-02-15', 0],
    ['2026-02-16', 1],
    ['2025-10-11', 6],
    ['2028-02-29', 2],
  ])('%s is day %i of the week (0 = Sunday)', (date, day) => {
    expect(dayOfWeek(date)).toBe(day);
  });

  it.each([
    ['2026-03-06', false],
    ['2026-03-07', true],
    ['2026-03-08', true],
    ['2026-03-09', false],
  ])('%s is a weekend day: %s', (date, weekend) => {
    expect(isWeekend(date)).toBe(weekend);
  });
});
