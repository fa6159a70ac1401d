import { decide, type RuleOutcome } from '../rule-outcome.js';
import type { Expert } from '../schemas/expert.js';
import type { Task } from '../schemas/task.js';
import { type Industry, industries } from '../vocabulary/industry.js';

const RULE = 'industry-expertise';
const ARTICLE = '第十四条';

/**
 * The task's industries an expert can serve: those they list themselves, or all of them for a
 * member of the comprehensive group (工贸行业综合组, 第五条).
 *
 * @example
 * industriesServed({ group: 'comprehensive', industries: [] }, ['tobacco']); // ['tobacco']
 */
export function industriesServed(
  expert: Pick<Expert, 'group' | 'industries'>,
  needed: readonly Industry[],
): Industry[] {
  if (expert.group === 'comprehensive') return [...needed];
  return needed.filter((industry) => expert.industries.includes(industry));
}

/**
 * The expert serves at least one of the task's industries, directly or through the
 * comprehensive group (第五条, 第十四条).
 *
 * @example
 * checkIndustryExpertise(tobaccoExpert, metallurgyTask).ok; // false
 */
export function checkIndustryExpertise(expert: Expert, task: Task): RuleOutcome {
  const served = industriesServed(expert, task.industries);
  const names = (list: readonly Industry[]) => ({
    zh: list.map((industry) => industries.labels[industry].zh).join('、'),
    en: list.map((industry) => industries.labels[industry].en).join(', '),
  });
  if (served.length === 0) {
    const needed = names(task.industries);
    return decide(RULE, ARTICLE, false, {
      zh: `专业行业不含任务所需的${needed.zh}`,
      en: `does not serve the task's industries (${needed.en})`,
    });
  }
  const direct = expert.industries.some((industry) => task.industries.includes(industry));
  const covered = names(served);
  return decide(RULE, ARTICLE, true, {
    zh: direct ? `熟悉${covered.zh}行业` : `综合组专家，可承担${covered.zh}行业工作`,
    en: direct ? `serves ${covered.en}` : `serves ${covered.en} through the comprehensive group`,
  });
}
