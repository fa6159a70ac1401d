import { declineWindowStart, fromEpochDay, toEpochDay } from '@expert-dispatch/rules';
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
 * An active 第二十三条（一） warning: `declineWarning.count` counted refusals whose dates lie within
 * one window (“1年内”: `declineWindowStart` of the later one), the latest within the window
 * ending today; or a recorded warning dated within the window ending today.
 *
 * @example
 * hasActiveWarning(context, index); // true after two unjustified declines within 12 months
 */
export function hasActiveWarning(context: ScoringContext, index: number): boolean {
  const { count } = context.ruleSet.declineWarning;
  const today = context.today;
  const todayStart = windowStartDay(context, today);
  const recorded = context.pool.warningDays.get(index);
  if (recorded !== undefined) {
    for (const day of recorded) if (day <= today && day >= todayStart) return true;
  }
  const { refusalStart, refusalDay } = context.history;
  const start = refusalStart[index] as number;
  for (let last = (refusalStart[index + 1] as number) - 1; last - count + 1 >= start; last--) {
    const latest = refusalDay[last] as number;
    if (latest > today) continue;
    if (latest < todayStart) return false;
    if ((refusalDay[last - count + 1] as number) >= windowStartDay(context, latest)) return true;
  }
  return false;
}

/** The epoch day on which the 第二十三条（一） window ending on `day` starts. */
/**
 * Window starts already worked out, per rule set and day: scoring asks for today's start once per
 * expert, and the calendar arithmetic (12 months back) was a tenth of a draw's CPU.
 */
const windowStarts = new WeakMap<ScoringContext['ruleSet'], Map<number, number>>();

function windowStartDay(context: ScoringContext, day: number): number {
  let byDay = windowStarts.get(context.ruleSet);
  if (byDay === undefined) {
    byDay = new Map();
    windowStarts.set(context.ruleSet, byDay);
  }
  let start = byDay.get(day);
  if (start === undefined) {
    start = toEpochDay(declineWindowStart(context.ruleSet, fromEpochDay(day)));
    byDay.set(day, start);
  }
  return start;
}
