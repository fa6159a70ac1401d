import type { DispatchRuleId, Label } from '@expert-dispatch/rules';

/**
 * Why a pool expert was left out, one key per (rule, article) pair the rules package can report,
 * plus the caller's own exclusion and the records left out because another record of the same
 * person stands for that person in the draw. A rule that cites different articles for different causes
 * (good standing, employer recusal) has one key per cause, so each excluded expert carries the
 * exact article without a message string being built for every one of them.
 */
export const EXCLUSION_REASON_KEYS = [
  'appointment-in-force',
  'good-standing.disqualified',
  'good-standing.dismissed',
  'good-standing.withdrawn',
  'good-standing.suspended',
  'age-limit',
  'employer-recusal.enterprise',
  'employer-recusal.related',
  'declared-conflict-recusal',
  'availability',
  'industry-expertise',
  'outside-enterprise-county',
  'outside-enterprise-city',
  'excluded-by-caller',
  'same-person',
] as const;

export type ExclusionReasonKey = (typeof EXCLUSION_REASON_KEYS)[number];

/** A reason as the result's dictionary states it: the rule, its article and a generic message. */
export interface ExclusionReason {
  readonly ruleId: DispatchRuleId | 'excluded-by-caller' | 'same-person';
  /** The article as the rules package reports it; null for the caller's own exclusion. */
  readonly article: string | null;
  readonly message: Label;
}

/** The bit of each key in a screening mask. */
export const REASON_BIT: Readonly<Record<ExclusionReasonKey, number>> = Object.freeze(
  Object.fromEntries(EXCLUSION_REASON_KEYS.map((key, index) => [key, 1 << index])) as Record<
    ExclusionReasonKey,
    number
  >,
);

/** The keys a rule can produce, in the order the rules package checks their causes. */
export const RULE_REASON_KEYS: Readonly<Record<DispatchRuleId, readonly ExclusionReasonKey[]>> =
  Object.freeze({
    'appointment-in-force': ['appointment-in-force'],
    'good-standing': [
      'good-standing.disqualified',
      'good-standing.dismissed',
      'good-standing.withdrawn',
      'good-standing.suspended',
    ],
    'age-limit': ['age-limit'],
    'employer-recusal': ['employer-recusal.enterprise', 'employer-recusal.related'],
    'declared-conflict-recusal': ['declared-conflict-recusal'],
    availability: ['availability'],
    'industry-expertise': ['industry-expertise'],
    'outside-enterprise-county': ['outside-enterprise-county'],
    'outside-enterprise-city': ['outside-enterprise-city'],
  });

/** The dictionary every result carries; `explainExclusion` gives the detailed message. */
export const EXCLUSION_REASONS: Readonly<Record<ExclusionReasonKey, ExclusionReason>> =
  Object.freeze({
    'appointment-in-force': {
      ruleId: 'appointment-in-force',
      article: '第十一条',
      message: {
        zh: '不在库，或无已盖章且覆盖任务期间的聘期',
        en: 'not active, or no sealed appointment covering the task days',
      },
    },
    'good-standing.disqualified': {
      ruleId: 'good-standing',
      article: '第十六条（三）',
      message: { zh: '已被取消专家资格', en: 'disqualified' },
    },
    'good-standing.dismissed': {
      ruleId: 'good-standing',
      article: '第二十三条',
      message: { zh: '已被解聘', en: 'dismissed' },
    },
    'good-standing.withdrawn': {
      ruleId: 'good-standing',
      article: '第二十四条',
      message: { zh: '已申请退出专家库', en: 'withdrawn from the pool' },
    },
    'good-standing.suspended': {
      ruleId: 'good-standing',
      article: '第十二条',
      message: { zh: '已被暂停选用', en: 'suspended from the pool' },
    },
    'age-limit': {
      ruleId: 'age-limit',
      article: '第九条（五）',
      message: {
        zh: '任务首日年龄超过上限',
        en: "over the age limit on the task's first day",
      },
    },
    'employer-recusal.enterprise': {
      ruleId: 'employer-recusal',
      article: '第八条（四）',
      message: { zh: '所在单位即服务对象，应当回避', en: 'employer is the enterprise served' },
    },
    'employer-recusal.related': {
      ruleId: 'employer-recusal',
      article: '第十六条（一）',
      message: {
        zh: '所在单位是本项工作的关联单位，应当回避',
        en: 'employer is linked to this work',
      },
    },
    'declared-conflict-recusal': {
      ruleId: 'declared-conflict-recusal',
      article: '第八条（四）',
      message: {
        zh: '已申报与服务对象或关联单位存在利害关系',
        en: 'declared a conflict with a party to this task',
      },
    },
    availability: {
      ruleId: 'availability',
      article: '第十五条',
      message: {
        zh: '任务期间已申报不可参加或已参加其他任务',
        en: 'unavailable or booked on another task during the window',
      },
    },
    'industry-expertise': {
      ruleId: 'industry-expertise',
      article: '第十四条',
      message: {
        zh: '专业行业不含任务所需行业',
        en: "does not serve the task's industries",
      },
    },
    'outside-enterprise-county': {
      ruleId: 'outside-enterprise-county',
      article: '第二十六条',
      message: {
        zh: '常驻地与服务对象在同一县（市、区）',
        en: "based in the enterprise's own county",
      },
    },
    'outside-enterprise-city': {
      ruleId: 'outside-enterprise-city',
      article: '第二十六条',
      message: {
        zh: '常驻地与服务对象在同一州（市）',
        en: "based in the enterprise's own city",
      },
    },
    'excluded-by-caller': {
      ruleId: 'excluded-by-caller',
      article: null,
      message: {
        zh: '由调用方排除（如已拒绝本次邀请）',
        en: 'left out by the caller (e.g. declined this invitation)',
      },
    },
    // The measures never say "one seat per person" in words: a panel is a group of people
    // (专家组, 第五条). What makes one person two records is 第二十一条（一） — city and county
    // experts recommended into the provincial pool keep their local record (第二十六条) — so
    // that is the article cited. 第十五条 (availability) is a different reason and keeps its
    // own key: a booking under one record makes all the person's records unavailable.
    'same-person': {
      ruleId: 'same-person',
      article: '第二十一条',
      message: {
        zh: '同一人在另一专家库的记录已代表其参加本次抽取（一人只占一个席位）',
        en: "another of the same person's records stands for them in this draw (one seat per person)",
      },
    },
  });

/**
 * The keys set in a screening mask, in the rule set's order of rules, then the caller's
 * exclusion, then the same person's other record.
 *
 * @example
 * reasonKeysOf(REASON_BIT['age-limit'], yunnanGmy2025.dispatchRules); // ['age-limit']
 */
export function reasonKeysOf(
  mask: number,
  ruleOrder: readonly DispatchRuleId[],
): ExclusionReasonKey[] {
  const keys: ExclusionReasonKey[] = [];
  for (const ruleId of ruleOrder) {
    for (const key of RULE_REASON_KEYS[ruleId]) if (mask & REASON_BIT[key]) keys.push(key);
  }
  if (mask & REASON_BIT['excluded-by-caller']) keys.push('excluded-by-caller');
  if (mask & REASON_BIT['same-person']) keys.push('same-person');
  return keys;
}

/**
 * The dictionary from selection version 2 on: same-region avoidance is local policy (本厅规定),
 * so it carries no article; the age limit holds over the task's days (第九条（五）, every day
 * under `age.checkedThrough`). Draws made before keep the dictionary they were recorded with.
 */
export const EXCLUSION_REASONS_V2: Readonly<Record<ExclusionReasonKey, ExclusionReason>> =
  Object.freeze({
    ...EXCLUSION_REASONS,
    'age-limit': {
      ruleId: 'age-limit',
      article: '第九条（五）',
      message: { zh: '任务期间超过年龄上限', en: 'over the age limit during the task' },
    },
    'outside-enterprise-county': {
      ruleId: 'outside-enterprise-county',
      article: null,
      message: {
        zh: '常驻地与服务对象在同一县（市、区）（本厅规定）',
        en: "based in the enterprise's own county (local policy)",
      },
    },
    'outside-enterprise-city': {
      ruleId: 'outside-enterprise-city',
      article: null,
      message: {
        zh: '常驻地与服务对象在同一州（市）（本厅规定）',
        en: "based in the enterprise's own city (local policy)",
      },
    },
  });
