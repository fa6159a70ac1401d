import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromEpochDay, toEpochDay } from '../dates/calendar-date.js';
import { yunnanGmy2025 } from '../rule-set/yunnan-gmy-2025.js';
import { countWorkingDays } from './add-working-days.js';
import { chinaNational2025To2026 } from './china-national-2025-2026.js';
import { isWorkingDay } from './is-working-day.js';
import { isPublicNoticeOver, publicNoticePeriod } from './public-notice-period.js';
import { calendarOfYears } from './working-day-calendar.js';

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
      ok: true,
      start,
      end,
      workingDays: 5,
      article: '第十条（四）',
    });
  });

  it('follows the rule set’s number of working days', () => {
    const period = publicNoticePeriod('2026-02-12', { publicNoticeWorkingDays: 7 }, national);
    expect(period).toMatchObject({ ok: true, end: '2026-02-27' });
    expect(
      publicNoticePeriod('2026-02-12', { publicNoticeWorkingDays: 1 }, national),
    ).toMatchObject({ ok: true, end: '2026-02-12' });
  });

  it.each([
    ['2026-12-28', 2027, 'ending on 元旦 2027, a year without data'],
    ['2027-09-29', 2027, 'starting in 2027'],
    ['2024-12-30', 2024, 'starting in 2024'],
  ])('answers calendar_year_unknown for a notice from %s: %i (%s)', (from, year) => {
    expect(publicNoticePeriod(from, yunnanGmy2025, national)).toEqual({
      ok: false,
      code: 'calendar_year_unknown',
      year,
    });
  });

  it('runs over 元旦 2027 once 2027 is loaded', () => {
    // A made-up 2027: 元旦 on Friday 1 January, nothing else before the 8th.
    const with2027 = calendarOfYears('test', { zh: '测试', en: 'Test' }, [
      {
        year: 2026,
        holidays: national.holidays.filter((d) => d.startsWith('2026')),
        makeupWorkdays: national.makeupWorkdays.filter((d) => d.startsWith('2026')),
      },
      { year: 2027, holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], makeupWorkdays: [] },
    ]);
    // Dec 28 Mon, 29, 30, 31, then 元旦 1–3, then Jan 4 Mon.
    expect(publicNoticePeriod('2026-12-28', yunnanGmy2025, with2027)).toMatchObject({
      ok: true,
      start: '2026-12-28',
      end: '2027-01-04',
    });
  });

  it('refuses a rule set without a positive number of working days', () => {
    expect(() =>
      publicNoticePeriod('2026-03-09', { publicNoticeWorkingDays: 0 }, national),
    ).toThrow(RangeError);
  });

  it('always spans exactly the set number of working days, both ends working', () => {
    const anyDate = fc
      .integer({ min: toEpochDay('2025-01-01'), max: toEpochDay('2026-11-20') })
      .map(fromEpochDay);
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 20 }), (from, days) => {
        const period = publicNoticePeriod(from, { publicNoticeWorkingDays: days }, national);
        if (!period.ok) throw new Error(`2025–2026 are covered, got ${period.year}`);
        const { start, end } = period;
        expect(start >= from).toBe(true);
        expect(isWorkingDay(start, national)).toBe(true);
        expect(isWorkingDay(end, national)).toBe(true);
        expect(countWorkingDays(start, end, national)).toEqual({ ok: true, count: days - 1 });
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
