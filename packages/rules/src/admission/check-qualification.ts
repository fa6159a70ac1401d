import { decide, type RuleOutcome } from '../rule-outcome.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import type { Expert } from '../schemas/expert.js';
import { isIntermediateSafetyEngineerOrAbove } from '../vocabulary/safety-engineer.js';
import { titles } from '../vocabulary/title.js';

const RULE = 'qualification';
const ARTICLE = '第九条（四）';

/**
 * Admission (第九条（四）): a senior professional title (副高级以上), or an intermediate (or
 * senior) registered safety engineer with at least 5 years of practice.
 *
 * @example
 * checkQualification({ ...expert, title: 'intermediate', safetyEngineer: 'intermediate', practiceYears: 5 }, yunnanGmy2025).ok; // true
 */
export function checkQualification(expert: Expert, ruleSet: RuleSet): RuleOutcome {
  const { seniorTitles, minPracticeYears } = ruleSet.qualification;
  if (seniorTitles.includes(expert.title)) {
    return decide(RULE, ARTICLE, true, {
      zh: `具有${titles.labels[expert.title].zh}职称`,
      en: `holds a ${titles.labels[expert.title].en.toLowerCase()} title`,
    });
  }
  if (isIntermediateSafetyEngineerOrAbove(expert.safetyEngineer)) {
    if (expert.practiceYears >= minPracticeYears) {
      return decide(RULE, ARTICLE, true, {
        zh: `具有注册安全工程师资格及 ${expert.practiceYears} 年实践经验`,
        en: `registered safety engineer with ${expert.practiceYears} years of practice`,
      });
    }
    return decide(RULE, ARTICLE, false, {
      zh: `注册安全工程师实践经验 ${expert.practiceYears} 年，不足 ${minPracticeYears} 年`,
      en: `registered safety engineer with ${expert.practiceYears} years of practice, under ${minPracticeYears}`,
    });
  }
  return decide(RULE, ARTICLE, false, {
    zh: '不具备副高级以上职称，也不具备中级注册安全工程师资格',
    en: 'neither a senior title nor an intermediate registered safety engineer',
  });
}
