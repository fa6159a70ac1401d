import { formatZhSpan } from '../dates/format-zh-date.js';
import { decide, type RuleOutcome } from '../rule-outcome.js';
import type { Expert } from '../schemas/expert.js';
import type { Task } from '../schemas/task.js';
import { engagementKinds } from '../vocabulary/engagement-kind.js';
import { relatedOrganizationRoles } from '../vocabulary/related-organization-role.js';

const RULE = 'employer-recusal';

/**
 * An expert does not serve on work about their own employer (第八条（四）), nor on work their
 * employer designed, evaluated, reviewed or is otherwise linked to (第十六条（一）).
 *
 * @example
 * checkEmployerRecusal(expertOfDesigner, taskDesignedByThem).ok; // false
 */
export function checkEmployerRecusal(expert: Expert, task: Task): RuleOutcome {
  const employer = expert.employer;
  if (employer.id === task.enterprise.id) {
    return decide(RULE, '第八条（四）', false, {
      zh: `所在单位“${employer.name}”即服务对象，应当回避`,
      en: `employer ${employer.name} is the enterprise served`,
    });
  }
  const related = task.relatedOrganizations.find((organization) => organization.id === employer.id);
  if (related?.engagement !== undefined) {
    const { id, kind, from, to } = related.engagement;
    const label = engagementKinds.labels[kind];
    return decide(RULE, '第十六条（一）', false, {
      zh: `所在单位“${employer.name}”${formatZhSpan(from, to)}为服务对象承担${label.zh}业务（往来记录 ${id}），应当回避`,
      en: `employer ${employer.name} did ${label.en.toLowerCase()} for the enterprise from ${from} to ${to} (engagement ${id})`,
    });
  }
  if (related !== undefined) {
    const role = relatedOrganizationRoles.labels[related.role];
    return decide(RULE, '第十六条（一）', false, {
      zh: `所在单位“${employer.name}”是本项工作的${role.zh}，应当回避`,
      en: `employer ${employer.name} is linked to this work as ${role.en.toLowerCase()}`,
    });
  }
  return decide(RULE, '第十六条（一）', true, {
    zh: '所在单位与服务对象及关联单位无关',
    en: 'employer is neither the enterprise nor linked to the work',
  });
}
