import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addYears,
  ageOn,
  daysBetween,
  isIsoDate,
  startOfShanghaiDate,
  toShanghaiDate,
} from './calendar-date.js';

describe('toShanghaiDate', () => {
  it.each([
    ['2026-03-01T15:59:59.999Z', '2026-03-01'],
    ['2026-03-01T16:00:00Z', '2026-03-02'],
    ['2026-03-02T00:00:00+08:00', '2026-03-02'],
    ['2026-03-01T23:59:00+08:00', '2026-03-01'],
    ['2026-03-01T12:00:00-05:00', '2026-03-02'],
  ])('reads %s as the Shanghai date %s', (instant, date) => {
    expect(toShanghaiDate(instant)).toBe(date);
  });

  it('starts a Shanghai date at 00:00 +08:00', () => {
    expect(startOfShanghaiDate('2026-03-02')).toBe(Date.parse('2026-03-02T00:00:00+08:00'));
  });
});

describe('date arithmetic', () => {
  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
  ])('adds days: %s + %i = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2025-03-01', 12, '2026-03-01'],
    ['2026-03-31', -1, '2026-02-28'],
  ])('adds months at month ends (民法典第二百零二条): %s + %i = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('moves a leap day to 28 February in a common year', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });

  it('counts days between dates', () => {
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
  });

  it('rejects dates that do not exist', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-3-1')).toBe(false);
  });

  it('reads the years 0001–0099 as themselves, not as 1901–1999', () => {
    expect(isIsoDate('0004-02-29')).toBe(true);
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(daysBetween('0050-01-01', '1950-01-01')).toBe(693_960);
    expect(addYears('0004-02-29', 65)).toBe('0069-02-28');
  });
});

describe('ageOn (周岁)', () => {
  it.each([
    ['1961-03-01', '2026-02-28', 64],
    ['1961-03-01', '2026-03-01', 65],
    ['1960-03-01', '2026-02-28', 65],
    ['1960-03-01', '2026-03-01', 66],
    ['1960-02-29', '2026-02-27', 65],
    ['1960-02-29', '2026-02-28', 66],
    ['1960-02-29', '2028-02-28', 67],
    ['1960-02-29', '2028-02-29', 68],
    ['2000-12-31', '2001-12-30', 0],
  ])('someone born %s, on %s, is %i', (birth, date, age) => {
    expect(ageOn(birth, date)).toBe(age);
  });
});
