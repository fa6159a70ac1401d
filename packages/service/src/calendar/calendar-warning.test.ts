import { describe, expect, it } from 'vitest';
import { calendarCheckPeriod } from '../schedule/start-scheduler.js';
import { missingNextYear, warningWeek } from './calendar-warning.js';

describe('missingNextYear (第十条（四）)', () => {
  it.each<[string, number[], number | null, string]>([
    ['2026-10-31', [2025, 2026], null, 'not before 1 November'],
    ['2026-11-01', [2025, 2026], 2027, 'from 1 November'],
    ['2026-12-31', [2025, 2026], 2027, 'to the last day of the year'],
    ['2026-11-15', [2025, 2026, 2027], null, 'not once next year is loaded'],
    ['2027-01-05', [2025, 2026], 2027, 'on into the year while it is still missing'],
    ['2027-01-05', [2025, 2026, 2027], null, 'not once that year is loaded, in January'],
    ['2027-10-31', [2026, 2027], null, 'not before the next 1 November'],
  ])('on %s with %j warns of %s (%s)', (on, years, year) => {
    expect(missingNextYear(on, years)?.year ?? null).toBe(year);
  });

  it('dates a warning that runs into the missing year from 1 November before it', () => {
    expect(missingNextYear('2027-01-05', [2026])).toMatchObject({
      year: 2027,
      since: '2026-11-01',
    });
  });

  it('says in Chinese what to load, with a Chinese date', () => {
    expect(missingNextYear('2026-11-02', [2026])?.message.zh).toBe(
      '工作日历尚无2027年的节假日安排：请在国务院办公厅公布后通过 PUT /v1/calendar/2027 载入，否则跨入2027年的公示（5个工作日）无法计算（自2026年11月1日起提示）',
    );
  });
});

describe('the calendar check period', () => {
  it.each([
    ['2026-06-01', '2026-06-01'],
    ['2026-10-31', '2026-10-31'],
    ['2026-11-01', '2026-11-01+0w'],
    ['2026-11-07', '2026-11-01+0w'],
    ['2026-11-08', '2026-11-01+1w'],
    ['2026-12-31', '2026-11-01+8w'],
  ])('on %s is %s: once a week in the season', (day, period) => {
    expect(calendarCheckPeriod(day)).toBe(period);
    if (day >= '2026-11-01') {
      expect(warningWeek({ since: '2026-11-01' }, day)).toBe(Number(period.slice(-2, -1)));
    }
  });
});
