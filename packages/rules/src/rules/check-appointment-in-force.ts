import { formatZhSpan } from '../dates/format-zh-date.js';
import { windowDays } from '../dates/task-days.js';
import { decide, type RuleOutcome } from '../rule-outcome.js';
import type { Expert } from '../schemas/expert.js';
import type { Task } from '../schemas/task.js';
import { expertStates } from '../vocabulary/expert-state.js';

const RULE = 'appointment-in-force';
const ARTICLE = '第十一条';

/**
 * States that `good-standing` judges under their own articles (第十二条, 第二十三条, 第二十四条);
 * this rule reads only their term, so an official sees one reason with the right article.
 */
const STANDING_STATES: ReadonlySet<Expert['status']> = new Set([
  'suspended',
  'dismissed',
  'withdrawn',
]);

/**
 * Only an appointed expert whose sealed certificate's term covers every day of the task may be
 * dispatched (第十一条): someone still in selection (申请 … 公示) or whose term has expired is
 * not in force, an unsealed certificate is not in force, and a lapsed term ends it.
 *
 * @example
 * checkAppointmentInForce(expert, task).ok; // false when the term ends before the task's last day
 */
export function checkAppointmentInForce(expert: Expert, task: Task): RuleOutcome {
  if (expert.status !== 'active' && !STANDING_STATES.has(expert.status)) {
    return decide(RULE, ARTICLE, false, {
      zh: `专家状态为“${expertStates.labels[expert.status].zh}”，不在库`,
      en: `expert status is ${expert.status}, not appointed`,
    });
  }
  const term = expert.appointment;
  if (term === null) {
    return decide(RULE, ARTICLE, false, { zh: '无聘任记录', en: 'no appointment on record' });
  }
  if (!term.sealed) {
    return decide(RULE, ARTICLE, false, {
      zh: '聘书未盖章，尚未生效',
      en: 'the certificate is not sealed, so not in force',
    });
  }
  const { first, last } = windowDays(task.window);
  if (term.from > first || term.to < last) {
    return decide(RULE, ARTICLE, false, {
      zh: `聘期${formatZhSpan(term.from, term.to)}未覆盖任务期间${formatZhSpan(first, last)}`,
      en: `term ${term.from}–${term.to} does not cover the task days ${first}–${last}`,
    });
  }
  return decide(RULE, ARTICLE, true, {
    zh: `聘期${formatZhSpan(term.from, term.to)}有效，覆盖任务期间`,
    en: `sealed term ${term.from}–${term.to} covers the task`,
  });
}
