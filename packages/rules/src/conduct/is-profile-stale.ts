import { addMonths, toShanghaiDate } from '../dates/calendar-date.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import type { Expert } from '../schemas/expert.js';

/**
 * True when the expert has not updated their profile for more than `profileStaleMonths`
 * months (第八条（一）: at least once a year). Updated on 2025-03-01, the profile is still
 * current on 2026-03-01 and stale from 2026-03-02.
 *
 * @example
 * isProfileStale({ profileUpdatedAt: '2025-03-01T10:00:00+08:00' }, '2026-03-02T09:00:00+08:00', yunnanGmy2025); // true
 */
export function isProfileStale(
  expert: Pick<Expert, 'profileUpdatedAt'>,
  now: string | Date,
  ruleSet: RuleSet,
): boolean {
  const updated = toShanghaiDate(expert.profileUpdatedAt);
  return toShanghaiDate(now) > addMonths(updated, ruleSet.profileStaleMonths);
}
