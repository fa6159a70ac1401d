import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, fromEpochDay, toEpochDay } from '../dates/calendar-date.js';
import { addWorkingDays, countWorkingDays } from './add-working-days.js';
import { chinaNational2025To2026 } from './china-national-2025-2026.js';
import { isWorkingDay } from './is-working-day.js';

const national = chinaNational2025To2026;

/** The date, or the outcome itself when the calendar does not know a year (so a test fails). */
const add = (date: string, n: number) => {
  const outcome = addWorkingDays(date, n, national);
  return outcome.ok ? outcome.date : outcome;
};
const count = (from: string, to: string) => {
  const outcome = countWorkingDays(from, to, national);
  return outcome.ok ? outcome.count : outcome;
};

// Dates from late 2024 to early 2027, so that runs cross both covered years and their edges.
const anyDate = fc
  .integer({ min: toEpochDay('2024-11-01'), max: toEpochDay('2027-02-28') })
  .map(fromEpochDay);
const anySteps = fc.integer({ min: -40, max: 40 });
const isCovered = (date: string) => date >= '2025-01-01' && date <= '2026-12-31';

describe('addWorkingDays', () => {
  it.each([
    ['2026-02-12', 1, '2026-02-13', 'Thursday to Friday'],
    ['2026-02-13', 1, '2026-02-14', 'onto the make-up Saturday of 春节'],
    ['2026-02-14', 1, '2026-02-24', 'over the nine days of 春节'],
    ['2026-02-13', 3, '2026-02-25', 'from Friday over 春节'],
    ['2026-02-24', -1, '2026-02-14', 'back over 春节 onto the make-up Saturday'],
    ['2026-02-24', -2, '2026-02-13', 'back to the Friday before 春节'],
    ['2026-09-30', 1, '2026-10-08', 'over 国庆节'],
    ['2026-10-09', 1, '2026-10-10', 'onto the make-up Saturday of 国庆节'],
    ['2026-10-10', 1, '2026-10-12', 'from it to Monday'],
    ['2026-09-18', 1, '2026-09-20', 'from Friday onto the make-up Sunday'],
    ['2025-09-30', 1, '2025-10-09', 'over 国庆节、中秋节 2025'],
    ['2026-03-06', 1, '2026-03-09', 'from Friday over an ordinary weekend'],
    ['2026-03-07', 1, '2026-03-09', 'from Saturday: the first working day after it'],
    ['2026-03-09', -1, '2026-03-06', 'from Monday back to Friday'],
    ['2026-03-07', -1, '2026-03-06', 'from Saturday: the first working day before it'],
  ])('%s + %i working days = %s (%s)', (date, n, expected) => {
    expect(add(date, n)).toBe(expected);
  });

  it.each([
    ['2026-12-31', 1, 2027, 'forward into 2027'],
    ['2026-12-25', 10, 2027, 'a longer walk into 2027'],
    ['2025-01-02', -2, 2024, 'back into 2024'],
    ['2027-03-01', 0, 2027, 'from a day of 2027 itself'],
  ])('%s + %i working days answers calendar_year_unknown %i (%s)', (date, n, year) => {
    expect(addWorkingDays(date, n, national)).toEqual({
      ok: false,
      code: 'calendar_year_unknown',
      year,
    });
  });

  it.each([
    ['2026-03-09', '2026-03-09', 'a working day stays'],
    ['2026-03-07', '2026-03-09', 'a Saturday moves to Monday'],
    ['2026-02-15', '2026-02-24', 'a 春节 day moves to the day work resumes'],
    ['2026-02-28', '2026-02-28', 'a make-up Saturday stays'],
  ])('adding 0 to %s gives %s (%s)', (date, expected) => {
    expect(add(date, 0)).toBe(expected);
  });

  it.each([
    ['2026-02-30', 1],
    ['26-2-1', 1],
    ['2026-02-10', 1.5],
    ['2026-02-10', Number.NaN],
  ])('refuses the malformed arguments %s, %d with a RangeError', (date, n) => {
    expect(() => addWorkingDays(date, n, national)).toThrow(RangeError);
  });

  it('always lands on a working day', () => {
    fc.assert(
      fc.property(anyDate, anySteps, (date, n) => {
        const outcome = addWorkingDays(date, n, national);
        fc.pre(outcome.ok);
        if (outcome.ok) expect(isWorkingDay(outcome.date, national)).toBe(true);
      }),
    );
  });

  it('counts back to n for every n except 0 on a day off', () => {
    fc.assert(
      fc.property(anyDate, anySteps, (date, n) => {
        const outcome = addWorkingDays(date, n, national);
        fc.pre(outcome.ok && (n !== 0 || isWorkingDay(date, national)));
        if (outcome.ok) expect(count(date, outcome.date)).toBe(n);
      }),
    );
  });

  it('returns to a working day by adding the count between them', () => {
    fc.assert(
      fc.property(anyDate, anySteps, (date, offset) => {
        const target = add(addDays(date, offset), 0);
        fc.pre(typeof target === 'string' && isCovered(date));
        fc.pre(target !== date || isWorkingDay(date, national));
        const n = count(date, target as string);
        expect(typeof n === 'number' && add(date, n)).toBe(target);
      }),
    );
  });

  it('is monotonic in n: strictly, except that 0 and 1 meet after a day off', () => {
    fc.assert(
      fc.property(anyDate, anySteps, anySteps, (date, a, b) => {
        fc.pre(a !== b);
        const [low, high] = a < b ? [a, b] : [b, a];
        const earlier = add(date, low);
        const later = add(date, high);
        fc.pre(typeof earlier === 'string' && typeof later === 'string');
        if (low === 0 && high === 1 && !isWorkingDay(date, national)) {
          expect(later).toBe(earlier);
        } else {
          expect(earlier < later).toBe(true);
        }
      }),
    );
  });
});

describe('countWorkingDays', () => {
  it.each([
    ['2026-02-13', '2026-02-24', 2, '(from, to]: the make-up Saturday and the 24th'],
    ['2026-02-24', '2026-02-13', -2, '[to, from): the 13th and the make-up Saturday'],
    ['2026-02-15', '2026-02-23', 0, 'none during 春节'],
    ['2026-03-09', '2026-03-09', 0, 'none from a day to itself'],
    ['2026-03-06', '2026-03-13', 5, 'one ordinary week'],
    ['2025-12-31', '2026-01-05', 2, 'the make-up Sunday of 元旦 and Monday'],
  ])('from %s to %s is %i (%s)', (from, to, expected) => {
    expect(count(from, to)).toBe(expected);
  });

  it('answers calendar_year_unknown for a span reaching 2027 (第十条（四）)', () => {
    expect(countWorkingDays('2026-12-28', '2027-01-05', national)).toEqual({
      ok: false,
      code: 'calendar_year_unknown',
      year: 2027,
    });
  });

  it('adds up over consecutive spans', () => {
    fc.assert(
      fc.property(anyDate, anyDate, anyDate, (a, b, c) => {
        fc.pre(a <= b && b <= c);
        const [ab, bc, ac] = [count(a, b), count(b, c), count(a, c)];
        fc.pre(typeof ab === 'number' && typeof bc === 'number' && typeof ac === 'number');
        expect((ab as number) + (bc as number)).toBe(ac);
      }),
    );
  });

  it('refuses an invalid date with a RangeError', () => {
    expect(() => countWorkingDays('2026-02-30', '2026-03-01', national)).toThrow(RangeError);
  });
});
