import { describe, expect, it } from 'vitest';
import { chinaNational2025To2026 } from './china-national-2025-2026.js';
import { isWorkingDay } from './is-working-day.js';
import type { WorkingDayCalendar } from './working-day-calendar.js';

const national = chinaNational2025To2026;

describe('isWorkingDay (第十条（四）)', () => {
  it.each([
    ['2026-03-06', true, 'an ordinary Friday'],
    ['2026-03-07', false, 'an ordinary Saturday'],
    ['2026-03-08', false, 'an ordinary Sunday'],
    ['2026-02-13', true, 'the Friday before 春节'],
    ['2026-02-14', true, 'the make-up Saturday before 春节'],
    ['2026-02-15', false, 'the first day of 春节, a Sunday'],
    ['2026-02-16', false, 'a Monday in 春节'],
    ['2026-02-23', false, 'the last day of 春节, a Monday'],
    ['2026-02-24', true, 'the Tuesday after 春节'],
    ['2026-02-28', true, 'the make-up Saturday after 春节'],
    ['2026-03-01', false, 'the Sunday after it'],
    ['2026-01-04', true, 'the make-up Sunday after 元旦'],
    ['2026-05-09', true, 'the make-up Saturday after 劳动节'],
    ['2026-09-20', true, 'the make-up Sunday before 国庆节'],
    ['2026-10-01', false, '国庆节, a Thursday'],
    ['2026-10-08', true, 'the Thursday after 国庆节'],
    ['2026-10-10', true, 'the make-up Saturday after 国庆节'],
    ['2025-01-26', true, 'the make-up Sunday before 春节 2025'],
    ['2025-10-08', false, '国庆节、中秋节 2025, a Wednesday'],
    ['2025-10-11', true, 'the make-up Saturday after 国庆节 2025'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(isWorkingDay(date, national)).toBe(working);
  });

  it.each([
    ['2027-01-01', 'a day of 2027'],
    ['2024-10-01', 'a day of 2024'],
  ])('refuses to guess outside the covered years: %s (%s)', (date) => {
    expect(() => isWorkingDay(date, national)).toThrow(RangeError);
  });

  it('knows only weekends with an empty calendar', () => {
    const empty: WorkingDayCalendar = {
      id: 'weekends-only',
      name: { zh: '仅周末', en: 'Weekends only' },
      years: [2026],
      holidays: [],
      makeupWorkdays: [],
    };
    expect(isWorkingDay('2026-10-01', empty)).toBe(true);
    expect(isWorkingDay('2026-02-14', empty)).toBe(false);
  });
});
