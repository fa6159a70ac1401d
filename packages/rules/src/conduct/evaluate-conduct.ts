import { formatZhBetween } from '../dates/format-zh-date.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import type { Expert } from '../schemas/expert.js';
import type { InvitationRecord } from '../schemas/history.js';
import type { Label } from '../vocabulary/define-vocabulary.js';
import { findDeclineWarning } from './find-decline-warning.js';
import { isProfileStale } from './is-profile-stale.js';
import { termStanding } from './term-standing.js';

/** A flag the department acts on, with its article and evidence. */
export interface ConductFlag {
  readonly flag: 'decline_warning' | 'stale_profile' | 'renewal_due' | 'term_lapsed';
  readonly article: string;
  readonly message: Label;
  readonly evidence: readonly InvitationRecord[];
}

/**
 * The conduct flags of one expert on `now`: a 第二十三条（一） warning for repeated unjustified
 * refusals, a stale profile (第八条（一）), a term due for renewal or lapsed (第十一条).
 * Pass the expert's own invitation records.
 *
 * @example
 * evaluateConduct(expert, records, '2026-11-29T09:00:00+08:00', yunnanGmy2025).map((f) => f.flag);
 */
export function evaluateConduct(
  expert: Expert,
  records: readonly InvitationRecord[],
  now: string | Date,
  ruleSet: RuleSet,
): ConductFlag[] {
  const flags: ConductFlag[] = [];
  const warning = findDeclineWarning(records, now, ruleSet);
  if (warning !== null) {
    flags.push({
      flag: 'decline_warning',
      article: warning.article,
      message: {
        zh: `${formatZhBetween(warning.firstDate, warning.lastDate)}${warning.evidence.length}次无正当理由不接受委派任务`,
        en: `${warning.evidence.length} unjustified refusals between ${warning.firstDate} and ${warning.lastDate}`,
      },
      evidence: warning.evidence,
    });
  }
  if (isProfileStale(expert, now, ruleSet)) {
    flags.push({
      flag: 'stale_profile',
      article: '第八条（一）',
      message: {
        zh: `超过 ${ruleSet.profileStaleMonths} 个月未维护个人信息`,
        en: `profile not updated for over ${ruleSet.profileStaleMonths} months`,
      },
      evidence: [],
    });
  }
  const term = termStanding(expert, now, ruleSet);
  if (term.state === 'renewal_due') {
    flags.push({
      flag: 'renewal_due',
      article: '第十一条',
      message: { zh: `聘期 ${term.daysLeft} 天后届满`, en: `term ends in ${term.daysLeft} days` },
      evidence: [],
    });
  } else if (term.state === 'lapsed') {
    flags.push({
      flag: 'term_lapsed',
      article: '第十一条',
      message: {
        zh: `聘期已届满 ${term.daysSince} 天`,
        en: `term lapsed ${term.daysSince} days ago`,
      },
      evidence: [],
    });
  }
  return flags;
}
