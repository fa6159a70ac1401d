import { defineVocabulary, type VocabularyValue } from './define-vocabulary.js';

/**
 * What an agency did for an enterprise (往来业务): the work 第十六条（一） names — design,
 * safety evaluation, testing, standardisation review — and consulting, a business link.
 */
export const engagementKinds = defineVocabulary({
  design: { zh: '设计', en: 'Design' },
  safety_evaluation: { zh: '安全评价', en: 'Safety evaluation' },
  testing: { zh: '检测检验', en: 'Testing' },
  standardization_review: { zh: '标准化评审', en: 'Standardisation review' },
  consulting: { zh: '咨询服务', en: 'Consulting' },
});

export type EngagementKind = VocabularyValue<typeof engagementKinds>;
