import { DEFAULT_CERTIFICATE_NUMBERING } from '../certificates/certificate-number.js';
import { DEFAULT_YEARLY_EVALUATION } from '../evaluation/yearly-evaluation-policy.js';
import { DEFAULT_ENGAGEMENT_LOOKBACK_YEARS } from '../recusal/related-by-engagement.js';
import type { Label } from '../vocabulary/define-vocabulary.js';
import type { RuleSet } from './rule-set.js';

/** How a rule the measures do not contain is shown: no article, the department's own rule. */
export const LOCAL_POLICY: Label = Object.freeze({ zh: '本厅规定', en: 'local policy' });

/** One rule-set parameter that is local policy, with its value in the rule set. */
export interface LocalPolicyEntry {
  /** The parameter's path in the rule set, e.g. `panel.maxMembersPerEmployer`. */
  readonly parameter: string;
  readonly label: Label;
  readonly value: unknown;
  readonly source: Label;
  /** Always null: the measures do not contain the rule; never cite an article for it. */
  readonly article: null;
}

const ENTRIES: readonly {
  readonly parameter: string;
  readonly label: Label;
  readonly read: (ruleSet: RuleSet) => unknown;
}[] = [
  {
    parameter: 'panel.maxMembersPerEmployer',
    label: { zh: '同一单位入选专家组的人数上限', en: 'Members per employer on one panel' },
    read: (ruleSet) => ruleSet.panel.maxMembersPerEmployer,
  },
  {
    parameter: 'panel.leaderTitles',
    label: { zh: '组长须具有的职称', en: 'Titles a panel leader must hold' },
    read: (ruleSet) => ruleSet.panel.leaderTitles,
  },
  {
    parameter: 'replyDeadlineMinutes',
    label: { zh: '邀请答复时限（分钟）', en: 'Reply deadlines (minutes)' },
    read: (ruleSet) => ruleSet.replyDeadlineMinutes,
  },
  {
    parameter: 'widening',
    label: {
      zh: '扩大抽取范围（异地抽取）的步骤',
      en: 'Widening ladder (drawing from other pools)',
    },
    read: (ruleSet) => ruleSet.widening ?? null,
  },
  {
    parameter: 'urgentOverInvite',
    label: {
      zh: '紧急任务同时超额邀请的备选人数',
      en: 'Alternates invited at once for urgent work',
    },
    read: (ruleSet) => ruleSet.urgentOverInvite ?? 0,
  },
  {
    parameter: 'publicNoticeBackdateWorkingDays',
    label: {
      zh: '公示开始日期最多可回溯的工作日数',
      en: 'Working days a public notice start may lie in the past',
    },
    read: (ruleSet) => ruleSet.publicNoticeBackdateWorkingDays ?? 1,
  },
  {
    // 第十六条（一） relates agencies with a business link; how many years back a recorded
    // engagement counts is not in the measures.
    parameter: 'engagementLookbackYears',
    label: {
      zh: '往来业务回避的回溯年限（年）',
      en: 'Years back an engagement makes an agency related',
    },
    read: (ruleSet) => ruleSet.engagementLookbackYears ?? DEFAULT_ENGAGEMENT_LOOKBACK_YEARS,
  },
  {
    // 第十一条 fixes the term and its re-confirmation, not how early the renewal list shows it.
    parameter: 'appointment.renewalNoticeDays',
    label: {
      zh: '聘期届满前列入续聘确认名单的天数',
      en: 'Days before a term ends that it is listed for renewal',
    },
    read: (ruleSet) => ruleSet.appointment.renewalNoticeDays,
  },
  {
    parameter: 'certificateNumbering',
    label: { zh: '聘书编号规则', en: 'Certificate numbering' },
    read: (ruleSet) => ruleSet.certificateNumbering ?? DEFAULT_CERTIFICATE_NUMBERING,
  },
  {
    parameter: 'scoring',
    label: { zh: '评分权重与平滑参数', en: 'Score weights and smoothing' },
    read: (ruleSet) => ruleSet.scoring,
  },
  {
    parameter: 'yearlyEvaluation',
    label: { zh: '年度评价的计分权重与等次分数线', en: 'Yearly evaluation weights and grades' },
    read: (ruleSet) => ruleSet.yearlyEvaluation ?? DEFAULT_YEARLY_EVALUATION,
  },
  {
    parameter: 'dispatchRules.outside-enterprise-county',
    label: {
      zh: '回避服务对象所在县（市、区）的专家',
      en: "Avoid experts from the enterprise's county",
    },
    read: (ruleSet) => ruleSet.dispatchRules.includes('outside-enterprise-county'),
  },
  {
    parameter: 'dispatchRules.outside-enterprise-city',
    label: { zh: '回避服务对象所在州（市）的专家', en: "Avoid experts from the enterprise's city" },
    read: (ruleSet) => ruleSet.dispatchRules.includes('outside-enterprise-city'),
  },
];

/**
 * The rules of a rule set that the measures do not contain (one member per employer, the
 * leader's title, reply deadlines, urgent over-invitation, widening, how far a notice may be
 * backdated, the engagement look-back, the renewal list's lead, certificate numbering, score and
 * yearly-evaluation weights, same-region avoidance): named parameters shown as 本厅规定 / local
 * policy, with no article. A derived set may change or switch off each of them (第二十六条 lets
 * a local pool be built on the measures), except that the engagement look-back only lengthens.
 *
 * @example
 * localPolicies(yunnanGmy2025).find((p) => p.parameter === 'panel.maxMembersPerEmployer')?.value; // 1
 */
export function localPolicies(ruleSet: RuleSet): LocalPolicyEntry[] {
  return ENTRIES.map((entry) => ({
    parameter: entry.parameter,
    label: entry.label,
    value: entry.read(ruleSet),
    source: LOCAL_POLICY,
    article: null,
  }));
}
