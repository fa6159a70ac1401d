import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromEpochDay, toEpochDay } from '../dates/calendar-date.js';
import { yunnanGmy2025 } from '../rule-set/yunnan-gmy-2025.js';
import { countWorkingDays } from './add-working-days.js';
import { chinaNational2025To2026 } from './china-national-2025-2026.js';
import { isWorkingDay } from './is-working-day.js';
import { isPublicNoticeOver, publicNoticePeriod } from './public-notice-period.js';

const national = chinaNational2025To2026;

describe('publicNoticePeriod (第十条（四）: 公示5个工作日)', () => {
  it.each([
    // Feb 12 Thu, 13 Fri, 14 Sat (调休上班), 15–23 春节, 24 Tue, 25 Wed.
    ['2026-02-12', '2026-02-12', '2026-02-25', 'over 春节 2026 with its make-up Saturday'],
    // Sep 30 Wed, Oct 1–7 国庆节, 8 Thu, 9 Fri, 10 Sat (调休上班), 12 Mon.
    ['2026-09-30', '2026-09-30', '2026-10-12', 'over 国庆节 2026 with its make-up Saturday'],
    // Sep 18 Fri, 20 Sun (调休上班), 21, 22, 23.
    ['2026-09-18', '2026-09-18', '2026-09-23', 'over the make-up Sunday before 国庆节'],
    // Apr 30 Thu, May 1–5 劳动节, 6, 7, 8, 9 Sat (调休上班).
    ['2026-04-30', '2026-04-30', '2026-05-09', 'ending on the make-up Saturday of 劳动节'],
    // Sep 26 Fri, 28 Sun (调休上班), 29, 30, Oct 1–8 off, Oct 9 Thu.
    ['2025-09-26', '2025-09-26', '2025-10-09', 'over 国庆节、中秋节 2025'],
    // 元旦 Jan 1–3: starts on the make-up Sunday Jan 4, then 5, 6, 7, 8.
    ['2026-01-01', '2026-01-04', '2026-01-08', 'starting on a holiday'],
    ['2026-03-07', '2026-03-09', '2026-03-13', 'starting on an ordinary Saturday'],
    ['2026-03-09', '2026-03-09', '2026-03-13', 'in an ordinary week'],
  ])('a notice from %s runs %s to %s (%s)', (from, start, end) => {
    expect(publicNoticePeriod(from, yunnanGmy2025, national)).toEqual({
      start,
      end,
      workingDays: 5,
      covered: true,
      article: '第十条（四）',
    });
  });

  it('follows the rule set’s number of working days', () => {
    const period = publicNoticePeriod('2026-02-12', { publicNoticeWorkingDays: 7 }, national);
    expect(period.end).toBe('2026-02-27');
    expect(publicNoticePeriod('2026-02-12', { publicNoticeWorkingDays: 1 }, national).end).toBe(
      '2026-02-12',
    );
  });

  it('says when it runs outside the calendar’s years, counting weekends only there', () => {
    expect(publicNoticePeriod('2026-12-30', yunnanGmy2025, national)).toMatchObject({
      start: '2026-12-30',
      end: '2027-01-05',
      covered: false,
    });
  });

  it('refuses a rule set without a positive number of working days', () => {
    expect(() =>
      publicNoticePeriod('2026-03-09', { publicNoticeWorkingDays: 0 }, national),
    ).toThrow(RangeError);
  });

  it('always spans exactly the set number of working days, both ends working', () => {
    const anyDate = fc
      .integer({ min: toEpochDay('2025-01-01'), max: toEpochDay('2026-12-20') })
      .map(fromEpochDay);
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 20 }), (from, days) => {
        const { start, end } = publicNoticePeriod(
          from,
          { publicNoticeWorkingDays: days },
          national,
        );
        expect(start >= from).toBe(true);
        expect(isWorkingDay(start, national)).toBe(true);
        expect(isWorkingDay(end, national)).toBe(true);
        expect(countWorkingDays(start, end, national) + 1).toBe(days);
      }),
    );
  });
});

describe('isPublicNoticeOver', () => {
  const period = { start: '2026-02-12', end: '2026-02-25' };
  it.each([
    ['2026-02-11', false],
    ['2026-02-20', false],
    ['2026-02-25', false],
    ['2026-02-26', true],
  ])('on %s the notice is over: %s', (today, over) => {
    expect(isPublicNoticeOver(period, today)).toBe(over);
  });
});
