import {
  ageLimitExceededOn,
  type Expert,
  type RuleSet,
  toEpochDay,
  toShanghaiDate,
} from '@expert-dispatch/rules';

/**
 * Epoch day standing for "never" in the day columns: far beyond any real date yet small enough
 * that differences of day columns stay exact 32-bit integers (the screening is branch-free).
 */
export const NEVER = 1_000_000_000;

const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
// The epoch days whose `YYYY-MM-DD` text has four-digit years: on them `fromEpochDay` and
// `toEpochDay` are inverses, so the Shanghai day of an instant is plain arithmetic.
const FIRST_DAY = toEpochDay('0000-01-01');
const LAST_DAY = toEpochDay('9999-12-31');

/**
 * The epoch-day conversions of `preparePool`, remembered per text while a pool is indexed: a
 * pool's dates repeat (terms begin on few days, birthdays fall on ~18,000), and each
 * conversion through the rules' calendar functions costs a regular expression and Dates (#17).
 * Every value is the rules' own: only repeated work is skipped.
 *
 * @example
 * const days = new DayMemo();
 * days.epochDay('1970-01-02'); // 1, as toEpochDay
 */
export class DayMemo {
  private readonly dates = new Map<string, number>();
  private readonly bars = new Map<number, Map<string, number>>();

  /** `toEpochDay(date)`. */
  epochDay(date: string): number {
    let day = this.dates.get(date);
    if (day === undefined) {
      day = toEpochDay(date);
      this.dates.set(date, day);
    }
    return day;
  }

  /** `toEpochDay(toShanghaiDate(instant))`, throwing where it throws (an unreadable instant). */
  shanghaiDay(instant: string): number {
    if (typeof instant === 'string') {
      const day = Math.floor((Date.parse(instant) + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
      if (day >= FIRST_DAY && day <= LAST_DAY) return day;
    }
    return toEpochDay(toShanghaiDate(instant));
  }

  /**
   * The epoch day of `ageLimitExceededOn(expert, { age })`, `NEVER` for null: the (limit + 1)th
   * birthday is remembered per limit and birth date.
   */
  ageBarDay(expert: Expert, age: RuleSet['age']): number {
    if (expert.ageWaiver) {
      const over = ageLimitExceededOn(expert, { age });
      return over === null ? NEVER : toEpochDay(over);
    }
    const limit = expert.outstanding ? age.outstandingLimit : age.limit;
    let byBirth = this.bars.get(limit);
    if (byBirth === undefined) {
      byBirth = new Map();
      this.bars.set(limit, byBirth);
    }
    let day = byBirth.get(expert.birthDate);
    if (day === undefined) {
      day = birthdayDay(expert.birthDate, limit + 1);
      if (day === undefined) {
        const over = ageLimitExceededOn(expert, { age });
        day = over === null ? NEVER : toEpochDay(over);
      }
      byBirth.set(expert.birthDate, day);
    }
    return day;
  }
}

/**
 * The epoch day of `addYears(birthDate, years)` (29 February to 28 February in a common year)
 * by calendar arithmetic, for a real `YYYY-MM-DD` date whose result has a four-digit year;
 * undefined otherwise (the caller then asks the rules).
 */
export function birthdayDay(birthDate: string, years: number): number | undefined {
  if (typeof birthDate !== 'string' || birthDate.length !== 10) return undefined;
  if (birthDate.charCodeAt(4) !== 45 || birthDate.charCodeAt(7) !== 45) return undefined;
  const year = digits(birthDate, 0, 4);
  const month = digits(birthDate, 5, 7);
  const day = digits(birthDate, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return undefined;
  }
  const target = year + years;
  if (!Number.isInteger(target) || target < 0 || target > 9999) return undefined;
  return daysFromCivil(target, month, Math.min(day, daysInMonth(target, month)));
}

/** The number written by the decimal digits `text[from…to)`, or -1 if one is not a digit. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let k = from; k < to; k++) {
    const code = text.charCodeAt(k) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
