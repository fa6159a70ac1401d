import { defineVocabulary, type VocabularyValue } from './define-vocabulary.js';

/** How an organisation is linked to a task's work (关联单位, 第十六条（一）). */
export const relatedOrganizationRoles = defineVocabulary({
  designer: { zh: '设计单位', en: 'Designer of the work' },
  evaluator: { zh: '安全评价单位', en: 'Safety evaluator of the work' },
  standardization_reviewer: { zh: '标准化评审单位', en: 'Standardisation reviewer' },
  testing_agency: { zh: '检测检验单位', en: 'Testing agency' },
  business_partner: { zh: '业务关联单位', en: 'Business partner' },
  parent_company: { zh: '上级或关联企业', en: 'Parent or affiliated company' },
  other: { zh: '其他利益关联单位', en: 'Other interested party' },
});

export type RelatedOrganizationRole = VocabularyValue<typeof relatedOrganizationRoles>;
