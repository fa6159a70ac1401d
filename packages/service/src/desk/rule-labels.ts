import type { DeskLang } from './desk-layout.js';

/** What each dispatch rule checks, as the desk's funnel names it (articles come from the matcher). */
const RULE_LABELS: Readonly<Record<string, { readonly zh: string; readonly en: string }>> = {
  'appointment-in-force': { zh: '聘任有效', en: 'Appointment in force' },
  'good-standing': { zh: '状态正常', en: 'In good standing' },
  'age-limit': { zh: '年龄限制', en: 'Age limit' },
  'employer-recusal': { zh: '工作单位回避', en: 'Employer recusal' },
  'declared-conflict-recusal': { zh: '申报利害关系回避', en: 'Declared conflict recusal' },
  availability: { zh: '时间可用', en: 'Available in the window' },
  'industry-expertise': { zh: '行业专业', en: 'Industry expertise' },
  'outside-enterprise-county': { zh: '非服务对象所在县', en: 'Outside the enterprise’s county' },
  'outside-enterprise-city': { zh: '非服务对象所在市', en: 'Outside the enterprise’s city' },
};

/**
 * The label of a dispatch rule id in the page's language (the id itself when unknown).
 *
 * @example
 * ruleLabel('zh', 'age-limit'); // '年龄限制'
 */
export function ruleLabel(lang: DeskLang, ruleId: string): string {
  const label = RULE_LABELS[ruleId];
  return label === undefined ? ruleId : lang === 'en' ? label.en : label.zh;
}
