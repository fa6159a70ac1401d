import { describe, expect, it } from 'vitest';
import { chinaNational2025To2026 } from './china-national-2025-2026.js';
import { isWorkingDay } from './is-working-day.js';
import {
  calendarOfYears,
  firstUncoveredYear,
  isCalendarCovering,
  parseCalendarYear,
  type WorkingDayCalendar,
  workingDayCalendarSchema,
} from './working-day-calendar.js';

const local = {
  id: 'kunming-2026',
  name: { zh: '昆明市工作日历（2026年）', en: 'Kunming working days (2026)' },
  years: [2026],
  holidays: ['2026-01-01'],
  makeupWorkdays: ['2026-01-04'],
};

describe('workingDayCalendarSchema (第十条（四）)', () => {
  it('accepts an authority’s own calendar', () => {
    expect(workingDayCalendarSchema.parse(local)).toEqual(local);
  });

  it('gives a calendar that decides working days once loaded', () => {
    const loaded: WorkingDayCalendar = workingDayCalendarSchema.parse(local);
    expect(isWorkingDay('2026-01-01', loaded)).toBe(false);
    expect(isWorkingDay('2026-01-04', loaded)).toBe(true);
  });

  it('accepts the shipped national calendar', () => {
    expect(workingDayCalendarSchema.safeParse(chinaNational2025To2026).success).toBe(true);
  });

  it.each([
    ['a date that does not exist', { holidays: ['2026-02-30'] }, ['holidays', 0]],
    ['a date outside the covered years', { holidays: ['2027-01-01'] }, ['holidays', 0]],
    [
      'a make-up day outside the covered years',
      { makeupWorkdays: ['2025-01-26'] },
      ['makeupWorkdays', 0],
    ],
    [
      'a day both off and worked',
      { holidays: ['2026-01-04'], makeupWorkdays: ['2026-01-04'] },
      ['makeupWorkdays', 0],
    ],
    ['a make-up day on a weekday', { makeupWorkdays: ['2026-01-05'] }, ['makeupWorkdays', 0]],
    ['a repeated holiday', { holidays: ['2026-01-01', '2026-01-01'] }, ['holidays']],
    ['no covered year', { years: [], holidays: [], makeupWorkdays: [] }, ['years']],
    ['an id that is not kebab-case', { id: 'Kunming 2026' }, ['id']],
    ['an unknown field', { weekends: [0, 6] }, []],
  ])('refuses %s with the path of the bad field', (_, change, path) => {
    const result = workingDayCalendarSchema.safeParse({ ...local, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });
});

describe('isCalendarCovering', () => {
  it.each([
    ['2024-12-31', false],
    ['2025-01-01', true],
    ['2026-12-31', true],
    ['2027-01-01', false],
  ])('the national calendar covers %s: %s', (date, covered) => {
    expect(isCalendarCovering(chinaNational2025To2026, date)).toBe(covered);
  });
});

describe('firstUncoveredYear', () => {
  it.each([
    ['2026-12-28', '2027-01-05', 2027],
    ['2027-01-05', '2026-12-28', 2027],
    ['2024-12-30', '2025-01-03', 2024],
    ['2025-03-01', '2026-12-31', null],
  ])('from %s to %s the first year without data is %s', (from, to, year) => {
    expect(firstUncoveredYear(chinaNational2025To2026, from, to)).toBe(year);
  });
});

describe('parseCalendarYear (PUT /v1/calendar/{year})', () => {
  it('accepts one year of the State Council’s arrangement', () => {
    const result = parseCalendarYear(2027, {
      holidays: ['2027-01-01'],
      makeupWorkdays: ['2027-02-06'],
    });
    expect(result.success).toBe(true);
  });

  it.each([
    [
      'a holiday of another year',
      { holidays: ['2026-12-31'], makeupWorkdays: [] },
      ['holidays', 0],
    ],
    [
      'a make-up day on a weekday',
      { holidays: [], makeupWorkdays: ['2027-01-04'] },
      ['makeupWorkdays', 0],
    ],
    [
      'a date that does not exist',
      { holidays: ['2027-02-29'], makeupWorkdays: [] },
      ['holidays', 0],
    ],
  ])('refuses %s with the path of the bad entry', (_, body, path) => {
    const result = parseCalendarYear(2027, body);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });
});

describe('calendarOfYears', () => {
  it('joins the years an authority loaded, in year order', () => {
    const calendar = calendarOfYears('loaded', { zh: '已载入', en: 'Loaded' }, [
      { year: 2027, holidays: ['2027-01-01'], makeupWorkdays: [] },
      { year: 2026, holidays: ['2026-01-01'], makeupWorkdays: ['2026-01-04'] },
    ]);
    expect(calendar.years).toEqual([2026, 2027]);
    expect(isWorkingDay('2027-01-01', calendar)).toBe(false);
    expect(isWorkingDay('2026-01-04', calendar)).toBe(true);
  });
});
