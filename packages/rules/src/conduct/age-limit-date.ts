import { addDays, addYears, type IsoDate } from '../dates/calendar-date.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import type { Expert } from '../schemas/expert.js';

type AgeFacts = Pick<Expert, 'birthDate' | 'outstanding' | 'ageWaiver' | 'ageWaiverApproval'>;

/**
 * The limit an expert is held to under 第九条（五）: 65 周岁 (原则上), 70 for 特别优秀者, and under
 * the department's approval (经省应急管理厅审核同意，年龄可适当放宽) the approval's own limit — an
 * age or a last date. `none` only for a waiver recorded before approvals carried a limit (old
 * draw inputs), which meant no limit then and still does when such a draw is replayed.
 *
 * @example
 * ageLimitOf({ outstanding: true, ageWaiver: false }, yunnanGmy2025); // { kind: 'age', age: 70, basis: 'outstanding' }
 */
export function ageLimitOf(
  expert: Pick<Expert, 'outstanding' | 'ageWaiver' | 'ageWaiverApproval'>,
  ruleSet: Pick<RuleSet, 'age'>,
):
  | {
      readonly kind: 'age';
      readonly age: number;
      readonly basis: 'ordinary' | 'outstanding' | 'waiver';
    }
  | { readonly kind: 'date'; readonly lastDate: IsoDate; readonly basis: 'waiver' }
  | { readonly kind: 'none'; readonly basis: 'waiver' } {
  if (expert.ageWaiver) {
    const approval = expert.ageWaiverApproval;
    if (approval === undefined) return { kind: 'none', basis: 'waiver' };
    if (approval.lastDate !== undefined) {
      return { kind: 'date', lastDate: approval.lastDate, basis: 'waiver' };
    }
    return { kind: 'age', age: approval.maxAge ?? ruleSet.age.outstandingLimit, basis: 'waiver' };
  }
  return expert.outstanding
    ? { kind: 'age', age: ruleSet.age.outstandingLimit, basis: 'outstanding' }
    : { kind: 'age', age: ruleSet.age.limit, basis: 'ordinary' };
}

/**
 * The first date on which the expert is over their age limit (第九条（五）): their
 * (limit + 1)th birthday (`addYears`, so 29 February becomes 28 February), or the day after an
 * approval's last date; null only for a waiver without a recorded limit (see {@link ageLimitOf}).
 * Used to exclude an expert from a task on any day of which they are over the limit, and to tell
 * the admin the day an expert will pass the limit within a new term.
 *
 * @example
 * ageLimitExceededOn({ birthDate: '1961-03-01', outstanding: false, ageWaiver: false }, yunnanGmy2025); // '2027-03-01'
 */
export function ageLimitExceededOn(
  expert: AgeFacts,
  ruleSet: Pick<RuleSet, 'age'>,
): IsoDate | null {
  const limit = ageLimitOf(expert, ruleSet);
  switch (limit.kind) {
    case 'none':
      return null;
    case 'date':
      return addDays(limit.lastDate, 1);
    default:
      return addYears(expert.birthDate, limit.age + 1);
  }
}
