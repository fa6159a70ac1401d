import { describe, expect, it } from 'vitest';
import { addMonths } from './calendar-date.js';
import { startOfDaysWindow, startOfMonthsWindow } from './year-window.js';

describe('startOfMonthsWindow: "1年内" back to the same calendar date (第二十三条（一）)', () => {
  it.each([
    ['reaches back to the same date in an ordinary year', '2027-03-01', '2026-03-01'],
    ['reaches back across a 29 February it contains', '2028-03-01', '2027-03-01'],
    [
      'from 29 February reaches back to 1 March (a year from 28 February ends on 28 February)',
      '2028-02-29',
      '2027-03-01',
    ],
    ['from 28 February of a leap year reaches back to 28 February', '2028-02-28', '2027-02-28'],
    ['from 28 February after a leap year reaches back to 28 February', '2029-02-28', '2028-02-28'],
    [
      'from 1 March after a leap year reaches back to 1 March, past 29 February',
      '2029-03-01',
      '2028-03-01',
    ],
    ['crosses a year end on 31 December', '2026-12-31', '2025-12-31'],
    ['crosses a year end on 1 January', '2027-01-01', '2026-01-01'],
  ])('%s: %s → %s', (_name, date, start) => {
    expect(startOfMonthsWindow(date, 12)).toBe(start);
  });

  it.each([
    ['2026-03-01', '2027-03-01', true],
    ['2026-02-28', '2027-03-01', false],
    ['2027-03-01', '2028-02-29', true],
    ['2027-02-28', '2028-02-29', false],
    ['2028-02-29', '2029-02-28', true],
    ['2028-02-29', '2029-03-01', false],
  ])('an event on %s is within the year ending %s: %s', (event, date, within) => {
    expect(event >= startOfMonthsWindow(date, 12)).toBe(within);
    // The same answer counted forward from the event (《民法典》第二百零二条).
    expect(addMonths(event, 12) >= date).toBe(within);
  });

  it('counts shorter periods the same way, e.g. one month from 31 March', () => {
    expect(startOfMonthsWindow('2026-03-31', 1)).toBe('2026-03-01');
    expect(startOfMonthsWindow('2026-03-28', 1)).toBe('2026-02-28');
  });
});

describe('startOfDaysWindow', () => {
  it.each([
    ['2027-01-09', 365, '2026-01-10'],
    ['2028-02-29', 365, '2027-03-02'],
    ['2028-03-01', 365, '2027-03-03'],
    ['2026-01-01', 1, '2026-01-01'],
  ])('the %s-ending window of %i days starts %s', (date, days, start) => {
    expect(startOfDaysWindow(date, days)).toBe(start);
  });
});
