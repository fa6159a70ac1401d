import { readmissionBarOf } from '../admission/readmission-bar.js';
import { formatZhDate } from '../dates/format-zh-date.js';
import { decide, type RuleOutcome } from '../rule-outcome.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import { yunnanGmy2025 } from '../rule-set/yunnan-gmy-2025.js';
import type { Expert } from '../schemas/expert.js';

const RULE = 'good-standing';

/**
 * A disqualified (第十六条（三）, 第九条（六）), dismissed (第二十三条), withdrawn (第二十四条) or
 * suspended (第十二条) expert is never dispatched. A disqualification bars the appointment it
 * fell in; only a later appointment, made after the bar (五年内不再聘用), restores the expert —
 * one starting inside the bar is void, and with no bar (`null`) nothing restores them.
 *
 * @example
 * checkGoodStanding({ ...expert, status: 'suspended' }).article; // '第十二条'
 */
export function checkGoodStanding(
  expert: Expert,
  ruleSet: Pick<RuleSet, 'disqualificationBarYears' | 'readmissionBar'> = yunnanGmy2025,
): RuleOutcome {
  const disqualifiedOn = expert.disqualifiedOn;
  if (disqualifiedOn !== undefined && !isReappointedAfterBar(expert, disqualifiedOn, ruleSet)) {
    return decide(RULE, expert.disqualifiedUnder ?? '第十六条（三）', false, {
      zh: `已于${formatZhDate(disqualifiedOn)}被取消专家资格`,
      en: `disqualified on ${disqualifiedOn}`,
    });
  }
  switch (expert.status) {
    case 'dismissed':
      return decide(RULE, '第二十三条', false, { zh: '已被解聘', en: 'dismissed' });
    case 'withdrawn':
      return decide(RULE, '第二十四条', false, {
        zh: '已申请退出专家库',
        en: 'withdrawn from the pool',
      });
    case 'suspended':
      return decide(RULE, '第十二条', false, { zh: '已被暂停选用', en: 'suspended from the pool' });
    default:
      return decide(RULE, '第九条（六）', true, {
        zh: '无取消资格、解聘、退出或暂停记录',
        en: 'not disqualified, dismissed, withdrawn or suspended',
      });
  }
}

/** True when the expert's appointment starts on or after the day the disqualification bar ends. */
function isReappointedAfterBar(
  expert: Expert,
  disqualifiedOn: string,
  ruleSet: Pick<RuleSet, 'disqualificationBarYears' | 'readmissionBar'>,
): boolean {
  const { endsOn } = readmissionBarOf({ ...expert, disqualifiedOn }, ruleSet);
  if (expert.appointment === null || endsOn === null) return false;
  return expert.appointment.from >= endsOn;
}
