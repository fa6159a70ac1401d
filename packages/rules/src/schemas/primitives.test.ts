import { describe, expect, it } from 'vitest';
import {
  birthDateSchema,
  EARLIEST_BIRTH_DATE,
  EARLIEST_WORK_DATE,
  isBirthDateOnOrBefore,
  isoDateSchema,
  isoDateTimeSchema,
  LATEST_WORK_DATE,
  workDateSchema,
} from './primitives.js';

describe('date bounds at the boundary (local policy)', () => {
  it.each([
    ['0000-01-01', false],
    ['0001-01-01', true],
    ['9999-12-31', true],
  ])('reads %s as a calendar date: %s (PostgreSQL has no year 0)', (date, ok) => {
    expect(isoDateSchema.safeParse(date).success).toBe(ok);
  });

  it.each([
    ['0000-01-01', false],
    ['1999-12-31', false],
    [EARLIEST_WORK_DATE, true],
    ['2026-03-02', true],
    [LATEST_WORK_DATE, true],
    ['2101-01-01', false],
    ['9999-12-31', false],
  ])('takes %s as a work date: %s', (date, ok) => {
    expect(workDateSchema.safeParse(date).success).toBe(ok);
  });

  it.each([
    ['1800-06-01', false],
    ['1899-12-31', false],
    [EARLIEST_BIRTH_DATE, true],
    ['1975-06-15', true],
  ])('takes %s as a birth date: %s', (date, ok) => {
    expect(birthDateSchema.safeParse(date).success).toBe(ok);
  });

  it('refuses a birth date after the day of the request', () => {
    expect(isBirthDateOnOrBefore('2030-01-01', '2026-03-02')).toBe(false);
    expect(isBirthDateOnOrBefore('2026-03-02', '2026-03-02')).toBe(true);
  });

  it.each([
    ['0000-01-01T00:00:00Z', false],
    ['1999-12-31T15:59:59Z', false],
    ['1999-12-31T16:00:00Z', true],
    ['2026-03-02T09:00:00+08:00', true],
    ['2100-12-31T23:59:59+08:00', true],
    ['2100-12-31T16:00:00Z', false],
    ['9999-12-31T23:59:59Z', false],
  ])('takes %s as a work instant: %s', (value, ok) => {
    expect(isoDateTimeSchema.safeParse(value).success).toBe(ok);
  });
});
