import { describe, expect, it } from 'vitest';
import { formatZhBetween, formatZhDate, formatZhSpan, formatZhWindow } from './format-zh-date.js';

describe('formatZhDate', () => {
  it.each([
    ['2026-03-01', '2026年3月1日'],
    ['2026-12-31', '2026年12月31日'],
    ['2026-03-01T00:00:00+08:00', '2026年3月1日'],
    // 16:30 UTC is already the next day in Shanghai.
    ['2026-02-28T16:30:00Z', '2026年3月1日'],
  ])('writes %s as %s', (value, expected) => {
    expect(formatZhDate(value)).toBe(expected);
  });
});

describe('formatZhSpan', () => {
  it.each([
    ['2026-12-03', '2026-12-03', '2026年12月3日', 'one day is that day, not a range'],
    ['2026-12-03', '2026-12-05', '2026年12月3日至12月5日', 'the year once within a year'],
    ['2026-12-30', '2027-01-02', '2026年12月30日至2027年1月2日', 'both years across a new year'],
    [
      '2026-03-01T09:00:00+08:00',
      '2026-03-01T17:00:00+08:00',
      '2026年3月1日',
      'date-times on one Shanghai day',
    ],
  ])('writes %s to %s as %s (%s)', (from, to, expected) => {
    expect(formatZhSpan(from, to)).toBe(expected);
  });
});

describe('formatZhBetween', () => {
  it.each([
    ['2026-01-05', '2026-02-05', '2026年1月5日至2月5日间'],
    ['2026-12-03', '2026-12-03', '2026年12月3日当天'],
  ])('writes %s to %s as %s, never an empty range', (from, to, expected) => {
    expect(formatZhBetween(from, to)).toBe(expected);
  });
});

describe('formatZhWindow', () => {
  it.each([
    ['2026-03-02T09:00:00+08:00', '2026-03-04T00:00:00+08:00', '2026年3月2日至3月3日'],
    ['2026-03-02T09:00:00+08:00', '2026-03-02T18:00:00+08:00', '2026年3月2日'],
  ])('writes the window %s to %s as %s', (from, to, expected) => {
    expect(formatZhWindow({ from, to })).toBe(expected);
  });
});
