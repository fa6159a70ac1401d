import { addYears, type IsoDate } from '../dates/calendar-date.js';
import { decide, type RuleOutcome } from '../rule-outcome.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import type { Expert } from '../schemas/expert.js';

const RULE = 'disqualification-bar';

/**
 * Admission: someone whose expert status was revoked (取消专家资格) is not appointed again
 * within the bar — 5 years under 第十六条（三）; a rule set with no bar (`null`) refuses them
 * for good, as 第九条（六） reads on its own.
 *
 * @example
 * checkDisqualificationBar({ ...expert, disqualifiedOn: '2022-06-01' }, '2026-06-01', yunnanGmy2025).ok; // false
 */
export function checkDisqualificationBar(
  expert: Expert,
  date: IsoDate,
  ruleSet: RuleSet,
): RuleOutcome {
  const on = expert.disqualifiedOn;
  if (on === undefined || on > date) {
    return decide(RULE, '第九条（六）', true, {
      zh: '无被取消专家资格记录',
      en: 'never disqualified',
    });
  }
  const years = ruleSet.disqualificationBarYears;
  if (years === null) {
    return decide(RULE, '第九条（六）', false, {
      zh: `曾于 ${on} 被取消专家资格，不予推荐`,
      en: `disqualified on ${on}; never re-admitted`,
    });
  }
  const barEnds = addYears(on, years);
  if (date < barEnds) {
    return decide(RULE, '第十六条（三）', false, {
      zh: `${on} 被取消专家资格，${years} 年内（至 ${barEnds} 前）不再聘用`,
      en: `disqualified on ${on}; barred for ${years} years, until ${barEnds}`,
    });
  }
  return decide(RULE, '第十六条（三）', true, {
    zh: `${on} 被取消专家资格，已满 ${years} 年`,
    en: `disqualified on ${on}; the ${years}-year bar ended on ${barEnds}`,
  });
}
