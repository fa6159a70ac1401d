import { defineVocabulary, type VocabularyValue } from './define-vocabulary.js';

/** Kinds of employer; the three agency kinds carry the recusal duty of 第十六条（一）. */
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
