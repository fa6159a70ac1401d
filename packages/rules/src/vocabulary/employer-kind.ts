import { defineVocabulary, type VocabularyValue } from './define-vocabulary.js';

/**
 * Kinds of employer. 第十六条（一） names design institutes and evaluation, testing and
 * standardisation agencies; the system recuses an expert of ANY kind whose employer is the
 * enterprise served (第八条（四）) or linked to the work, which is stricter and never weaker.
 */
export const employerKinds = defineVocabulary({
  enterprise: { zh: '企业', en: 'Enterprise' },
  design_institute: { zh: '设计单位', en: 'Design institute' },
  evaluation_agency: { zh: '安全评价检测检验机构', en: 'Safety evaluation / testing agency' },
  standardization_agency: { zh: '标准化评审机构', en: 'Standardisation review agency' },
  university: { zh: '高校科研院所', en: 'University or research institute' },
  government: { zh: '机关事业单位', en: 'Government or public institution' },
  other: { zh: '其他', en: 'Other' },
});

export type EmployerKind = VocabularyValue<typeof employerKinds>;
