import { addYears, type IsoDate } from '../dates/calendar-date.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import { ageLimitOf } from '../rules/check-age-limit.js';
import type { Expert } from '../schemas/expert.js';

/**
 * The first date on which the expert is over their age limit (第九条（五）), i.e. their
 * (limit + 1)th birthday; null under an age waiver. Used to list experts who reach the limit
 * within the next term.
 *
 * @example
 * ageLimitExceededOn({ birthDate: '1961-03-01', outstanding: false, ageWaiver: false }, yunnanGmy2025); // '2027-03-01'
 */
export function ageLimitExceededOn(
  expert: Pick<Expert, 'birthDate' | 'outstanding' | 'ageWaiver'>,
  ruleSet: RuleSet,
): IsoDate | null {
  const limit = ageLimitOf(expert, ruleSet);
  return limit === null ? null : addYears(expert.birthDate, limit + 1);
}
