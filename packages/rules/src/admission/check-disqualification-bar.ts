import type { IsoDate } from '../dates/calendar-date.js';
import { formatZhDate } from '../dates/format-zh-date.js';
import { decide, type RuleOutcome } from '../rule-outcome.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import type { Expert } from '../schemas/expert.js';
import { readmissionBarOf } from './readmission-bar.js';

const RULE = 'disqualification-bar';

const CAUSE = {
  '第十六条（三）': {
    zh: '借用省级专家名义谋取不正当利益',
    en: 'misuse of the provincial-expert title',
  },
  '第二十三条（六）': { zh: '弄虚作假骗取专家资格', en: 'fraud in obtaining the qualification' },
} as const;

/**
 * Admission: someone whose expert status was revoked (取消专家资格) — for misuse of the title
 * (第十六条（三）) or, dismissed, for fraud in obtaining it (第二十三条（六）) — is not appointed
 * again within the rule set's re-admission bar ({@link readmissionBarOf}): years under
 * 第十六条（三）, for good under 第九条（六）. The outcome cites the article its reading applies.
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
  const bar = readmissionBarOf({ ...expert, disqualifiedOn: on }, ruleSet);
  const cause = CAUSE[bar.cause];
  const what = {
    zh: `${formatZhDate(on)}因${cause.zh}（${bar.cause}）被取消专家资格`,
    en: `disqualified on ${on} for ${cause.en} (${bar.cause})`,
  };
  if (bar.endsOn === null) {
    return decide(RULE, bar.article, false, {
      zh: `${what.zh}，不予推荐`,
      en: `${what.en}; never re-admitted`,
    });
  }
  if (date < bar.endsOn) {
    return decide(RULE, bar.article, false, {
      zh: `${what.zh}，${bar.years}年内（${formatZhDate(bar.endsOn)}前）不再聘用`,
      en: `${what.en}; barred for ${bar.years} years, until ${bar.endsOn}`,
    });
  }
  return decide(RULE, bar.article, true, {
    zh: `${what.zh}，已满${bar.years}年`,
    en: `${what.en}; the ${bar.years}-year bar ended on ${bar.endsOn}`,
  });
}
