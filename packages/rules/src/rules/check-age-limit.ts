import { ageOn, type IsoDate } from '../dates/calendar-date.js';
import { windowDays } from '../dates/task-days.js';
import { decide, type RuleOutcome } from '../rule-outcome.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import type { Expert } from '../schemas/expert.js';
import type { Task } from '../schemas/task.js';

const ARTICLE = '第九条（五）';

/**
 * The age limit an expert is held to: 65 (原则上), 70 when outstanding (特别优秀者), none once the
 * department has approved a waiver (经省应急管理厅审核同意) — 第九条（五）.
 *
 * @example
 * ageLimitOf({ outstanding: true, ageWaiver: false }, yunnanGmy2025); // 70
 */
export function ageLimitOf(
  expert: Pick<Expert, 'outstanding' | 'ageWaiver'>,
  ruleSet: RuleSet,
): number | null {
  if (expert.ageWaiver) return null;
  return expert.outstanding ? ruleSet.age.outstandingLimit : ruleSet.age.limit;
}

/**
 * Decides the age limit (第九条（五）) on a given date: the completed years (周岁) on that date
 * must not exceed the expert's limit. Used with the task's first day at dispatch and with the
 * admission date when an expert joins.
 *
 * @example
 * checkAgeOn(expert, '2026-03-01', ruleSet, 'age-limit');
 */
export function checkAgeOn(
  expert: Expert,
  date: IsoDate,
  ruleSet: RuleSet,
  ruleId: string,
): RuleOutcome {
  const age = ageOn(expert.birthDate, date);
  const limit = ageLimitOf(expert, ruleSet);
  if (limit === null) {
    return decide(ruleId, ARTICLE, true, {
      zh: `${date} 时年龄 ${age} 周岁，经审核同意放宽年龄`,
      en: `aged ${age} on ${date}, under an approved age waiver`,
    });
  }
  const basis = expert.outstanding
    ? { zh: '特别优秀者', en: 'outstanding expert ' }
    : { zh: '', en: '' };
  if (age > limit) {
    return decide(ruleId, ARTICLE, false, {
      zh: `${date} 时年龄 ${age} 周岁，超过${basis.zh} ${limit} 周岁上限`,
      en: `aged ${age} on ${date}, over the ${basis.en}limit of ${limit}`,
    });
  }
  return decide(ruleId, ARTICLE, true, {
    zh: `${date} 时年龄 ${age} 周岁，未超过 ${limit} 周岁`,
    en: `aged ${age} on ${date}, within the limit of ${limit}`,
  });
}

/**
 * Dispatch rule: the expert's age on the task's first day (Asia/Shanghai) is within the limit
 * of 第九条（五） — evaluated at the task's date, never today.
 *
 * @example
 * checkAgeLimit(expert, task, { ruleSet: yunnanGmy2025 }).ok;
 */
export function checkAgeLimit(
  expert: Expert,
  task: Task,
  context: { ruleSet: RuleSet },
): RuleOutcome {
  return checkAgeOn(expert, windowDays(task.window).first, context.ruleSet, 'age-limit');
}
