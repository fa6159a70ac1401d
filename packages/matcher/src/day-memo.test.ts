import {
  addYears,
  ageLimitExceededOn,
  fromEpochDay,
  toEpochDay,
  toShanghaiDate,
  yunnanGmy2025,
} from '@expert-dispatch/rules';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { birthdayDay, DayMemo, NEVER } from './day-memo.js';

describe('DayMemo gives the rules calendar functions values', () => {
  it('birthdayDay is toEpochDay(addYears) on every day of 1896–2104, and declines what it cannot read', () => {
    const differ: string[] = [];
    for (let day = toEpochDay('1896-01-01'); day <= toEpochDay('2104-12-31'); day++) {
      const date = fromEpochDay(day);
      for (const years of [1, 4, 66, 71, 100]) {
        if (birthdayDay(date, years) !== toEpochDay(addYears(date, years))) {
          differ.push(`${date}+${years}`);
        }
      }
    }
    expect(differ).toEqual([]);
    for (const text of ['2026-02-30', '2026-13-01', '2026-2-01', ' 2026-02-01', 'abcd-ef-gh']) {
      expect(birthdayDay(text, 66)).toBeUndefined();
    }
    expect(birthdayDay('9990-01-01', 66)).toBeUndefined();
  });

  it('shanghaiDay is toEpochDay(toShanghaiDate) of any instant, and throws where it throws', () => {
    const days = new DayMemo();
    fc.assert(
      fc.property(
        fc.date({ min: new Date(-62_000_000_000_000), max: new Date(253_000_000_000_000) }),
        fc.constantFrom('Z', '+08:00', '-05:30'),
        (date, zone) => {
          if (Number.isNaN(date.getTime())) return;
          const iso = date.toISOString().replace('Z', zone);
          const expected = (() => {
            try {
              return toEpochDay(toShanghaiDate(iso));
            } catch (error) {
              return error instanceof Error ? error.name : 'thrown';
            }
          })();
          const actual = (() => {
            try {
              return days.shanghaiDay(iso);
            } catch (error) {
              return error instanceof Error ? error.name : 'thrown';
            }
          })();
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 2_000 },
    );
    expect(() => days.shanghaiDay('not a date')).toThrow(RangeError);
  });

  it('ageBarDay is the epoch day of ageLimitExceededOn, NEVER for none, waivers included', () => {
    const days = new DayMemo();
    const base = { birthDate: '1960-02-29', outstanding: false, ageWaiver: false };
    const cases = [
      base,
      { ...base, outstanding: true },
      { ...base, ageWaiver: true },
      {
        ...base,
        ageWaiver: true,
        ageWaiverApproval: {
          maxAge: 72,
          document: 'd',
          approvedBy: 'a',
          approvedOn: '2025-01-01',
        },
      },
      {
        ...base,
        ageWaiver: true,
        ageWaiverApproval: {
          lastDate: '2027-06-30',
          document: 'd',
          approvedBy: 'a',
          approvedOn: '2025-01-01',
        },
      },
      { ...base, birthDate: '1961-13-01' },
    ];
    for (const expert of cases) {
      for (let twice = 0; twice < 2; twice++) {
        const over = ageLimitExceededOn(expert, yunnanGmy2025);
        expect(days.ageBarDay(expert as never, yunnanGmy2025.age)).toEqual(
          over === null ? NEVER : toEpochDay(over),
        );
      }
    }
  });
});
