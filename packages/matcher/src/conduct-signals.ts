import type { ScoringContext } from './scoring-context.js';

/**
 * The profile was last updated before `profileStaleMonths` months before today (第八条（一）).
 *
 * @example
 * isProfileStale(context, index); // true for a profile untouched since 2025-02-28 on 2026-03-01
 */
export function isProfileStale(context: ScoringContext, index: number): boolean {
  return (context.pool.profileDay[index] as number) < context.staleBefore;
}

/**
 * An active 第二十三条（一） warning: `declineWarning.count` unjustified refusals whose dates lie
 * less than `windowDays` apart, the latest less than `windowDays` before today; or a recorded
 * warning dated less than `windowDays` before today.
 *
 * @example
 * hasActiveWarning(context, index); // true after two unjustified declines within 365 days
 */
export function hasActiveWarning(context: ScoringContext, index: number): boolean {
  const { count, windowDays } = context.ruleSet.declineWarning;
  const today = context.today;
  const recorded = context.pool.warningDays.get(index);
  if (recorded !== undefined) {
    for (const day of recorded) if (day <= today && today - day < windowDays) return true;
  }
  const { refusalStart, refusalDay } = context.history;
  const start = refusalStart[index] as number;
  for (let last = (refusalStart[index + 1] as number) - 1; last - count + 1 >= start; last--) {
    const latest = refusalDay[last] as number;
    if (latest > today) continue;
    if (today - latest >= windowDays) return false;
    if (latest - (refusalDay[last - count + 1] as number) < windowDays) return true;
  }
  return false;
}
