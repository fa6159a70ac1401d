import { daysBetween, toShanghaiDate } from '../dates/calendar-date.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import type { Expert } from '../schemas/expert.js';

/**
 * Where an expert's appointment stands on a date (第十一条):
 * `none` (no appointment), `not_started`, `in_force`, `renewal_due` (ends within
 * `renewalNoticeDays` days, last day included) or `lapsed` (the last day has passed).
 */
export type TermStanding =
  | { readonly state: 'none' }
  | { readonly state: 'not_started' | 'in_force' | 'renewal_due'; readonly daysLeft: number }
  | { readonly state: 'lapsed'; readonly daysSince: number };

/**
 * Decides the appointment's standing on `now`'s Asia/Shanghai date. A term ending today has
 * 0 days left and is still in force today.
 *
 * @example
 * termStanding({ appointment: { from: '2024-01-01', to: '2026-12-31', sealed: true } }, '2026-11-01T00:00:00+08:00', yunnanGmy2025);
 * // { state: 'renewal_due', daysLeft: 60 }
 */
export function termStanding(
  expert: Pick<Expert, 'appointment'>,
  now: string | Date,
  ruleSet: RuleSet,
): TermStanding {
  const term = expert.appointment;
  if (term === null) return { state: 'none' };
  const today = toShanghaiDate(now);
  const daysLeft = daysBetween(today, term.to);
  if (daysLeft < 0) return { state: 'lapsed', daysSince: -daysLeft };
  if (today < term.from) return { state: 'not_started', daysLeft };
  if (daysLeft <= ruleSet.appointment.renewalNoticeDays) return { state: 'renewal_due', daysLeft };
  return { state: 'in_force', daysLeft };
}

/**
 * True when the term ends within the renewal notice period (第十一条: re-confirmation at term end).
 *
 * @example
 * isRenewalDue(expert, now, yunnanGmy2025);
 */
export function isRenewalDue(
  expert: Pick<Expert, 'appointment'>,
  now: string | Date,
  ruleSet: RuleSet,
): boolean {
  return termStanding(expert, now, ruleSet).state === 'renewal_due';
}
