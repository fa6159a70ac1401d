import { ageLimitExceededOn, ageLimitOf } from '../conduct/age-limit-date.js';
import { ageOn, type IsoDate } from '../dates/calendar-date.js';
import { formatZhDate, formatZhSpan } from '../dates/format-zh-date.js';
import { windowDays } from '../dates/task-days.js';
import { decide, type RuleOutcome } from '../rule-outcome.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import type { Expert } from '../schemas/expert.js';
import type { Task } from '../schemas/task.js';

const ARTICLE = '第九条（五）';

function limitWording(expert: Expert, ruleSet: Pick<RuleSet, 'age'>) {
  const limit = ageLimitOf(expert, ruleSet);
  const approval = expert.ageWaiverApproval;
  const approved = approval
    ? { zh: `经审核同意放宽（${approval.document}）`, en: `approved waiver (${approval.document})` }
    : { zh: '', en: '' };
  switch (limit.kind) {
    case 'none':
      return { zh: '经审核同意放宽年龄', en: 'an approved age waiver' };
    case 'date':
      return {
        zh: `${approved.zh}至${formatZhDate(limit.lastDate)}`,
        en: `${approved.en} until ${limit.lastDate}`,
      };
    default: {
      const basis =
        limit.basis === 'outstanding'
          ? { zh: '特别优秀者', en: 'outstanding expert ' }
          : limit.basis === 'waiver'
            ? { zh: approved.zh, en: `${approved.en} ` }
            : { zh: '', en: '' };
      return { zh: `${basis.zh}${limit.age}周岁上限`, en: `the ${basis.en}limit of ${limit.age}` };
    }
  }
}

/**
 * Decides the age limit (第九条（五）) over the days `first` to `last` (Asia/Shanghai, both
 * included): the expert must be within their limit on every one of them, so an expert who
 * turns 66 on a task's second day is over it. Used with the task's days at dispatch and with the
 * admission date (one day) when an expert joins.
 *
 * @example
 * checkAgeOn(expert, '2026-03-01', ruleSet, 'age-limit');
 * checkAgeOn(expert, '2026-03-01', ruleSet, 'age-limit', '2026-03-03');
 */
export function checkAgeOn(
  expert: Expert,
  first: IsoDate,
  ruleSet: Pick<RuleSet, 'age'>,
  ruleId: string,
  last: IsoDate = first,
): RuleOutcome {
  const age = ageOn(expert.birthDate, first);
  const span = formatZhSpan(first, last);
  const single = first === last;
  const limit = limitWording(expert, ruleSet);
  const overOn = ageLimitExceededOn(expert, ruleSet);
  if (overOn !== null && overOn <= last) {
    const day = overOn > first ? overOn : first;
    const ageThen = ageOn(expert.birthDate, day);
    const zh = single
      ? `${span}时年龄${ageThen}周岁，超过${limit.zh}`
      : day === first
        ? `任务期间（${span}）首日年龄${ageThen}周岁，超过${limit.zh}`
        : `任务期间（${span}）于${formatZhDate(day)}超过${limit.zh}（当日${ageThen}周岁）`;
    const en = single
      ? `aged ${ageThen} on ${first}, over ${limit.en}`
      : `over ${limit.en} from ${day} (aged ${ageThen}), during the task ${first} to ${last}`;
    return decide(ruleId, ARTICLE, false, { zh, en });
  }
  const lastAge = ageOn(expert.birthDate, last);
  const ages = lastAge === age ? `${age}` : `${age}–${lastAge}`;
  return decide(ruleId, ARTICLE, true, {
    zh: `${single ? `${span}时` : `任务期间（${span}）`}年龄${ages}周岁，未超过${limit.zh}`,
    en: `aged ${ages} ${single ? `on ${first}` : `from ${first} to ${last}`}, within ${limit.en}`,
  });
}

/**
 * Dispatch rule: the expert is within the age limit of 第九条（五） on every day of the task
 * (Asia/Shanghai) — never judged on today. A rule set stored before `age.checkedThrough` existed
 * judged the task's first day only, and a replay of its draws still does.
 *
 * @example
 * checkAgeLimit(expert, task, { ruleSet: yunnanGmy2025 }).ok;
 */
export function checkAgeLimit(
  expert: Expert,
  task: Task,
  context: { ruleSet: RuleSet },
): RuleOutcome {
  const { first, last } = windowDays(task.window);
  const through = context.ruleSet.age.checkedThrough === 'every-task-day' ? last : first;
  return checkAgeOn(expert, first, context.ruleSet, 'age-limit', through);
}
