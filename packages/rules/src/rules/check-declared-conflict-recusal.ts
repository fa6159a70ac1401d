import { decide, type RuleOutcome } from '../rule-outcome.js';
import type { Expert } from '../schemas/expert.js';
import type { Task } from '../schemas/task.js';

const RULE = 'declared-conflict-recusal';
const ARTICLE = '第八条（四）';

/**
 * An expert who has declared a conflict of interest (利害关系) with the enterprise served or
 * with any organisation linked to the work is recused (第八条（四）, 第二十三条（三）).
 *
 * @example
 * checkDeclaredConflictRecusal(expertWithConflict, task).ok; // false
 */
export function checkDeclaredConflictRecusal(expert: Expert, task: Task): RuleOutcome {
  const parties = new Set([task.enterprise.id, ...task.relatedOrganizations.map((o) => o.id)]);
  const conflict = expert.conflicts.find((declared) => parties.has(declared.organizationId));
  if (conflict !== undefined) {
    const party =
      conflict.organizationId === task.enterprise.id
        ? { zh: '服务对象', en: 'the enterprise served' }
        : { zh: '关联单位', en: 'an organisation linked to the work' };
    return decide(RULE, ARTICLE, false, {
      zh: `已申报与${party.zh}（${conflict.organizationId}）存在利害关系：${conflict.reason}`,
      en: `declared a conflict with ${party.en} (${conflict.organizationId}): ${conflict.reason}`,
    });
  }
  return decide(RULE, ARTICLE, true, {
    zh: '未申报与本任务相关的利害关系',
    en: 'no declared conflict with the parties to this task',
  });
}
