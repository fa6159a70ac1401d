import { defineVocabulary, type VocabularyValue } from './define-vocabulary.js';

/** The kinds of work experts are invited to (第六条). */
export const taskTypes = defineVocabulary({
  regulation_drafting: { zh: '法规标准制修订', en: 'Drafting regulations and standards' },
  consulting: { zh: '决策咨询', en: 'Decision consulting' },
  design_review: { zh: '安全设施设计审查', en: 'Safety facility design review' },
  completion_acceptance: { zh: '竣工验收', en: 'Completion acceptance' },
  site_verification: { zh: '安全条件现场核查', en: 'On-site verification of safety conditions' },
  enforcement_inspection: { zh: '行政执法检查', en: 'Administrative enforcement inspection' },
  standardization_review: { zh: '安全标准化评审', en: 'Safety standardisation review' },
  hazard_investigation: { zh: '隐患排查治理', en: 'Hazard investigation and control' },
  rectification_acceptance: { zh: '整改验收', en: 'Rectification acceptance' },
  training: { zh: '安全教育培训', en: 'Safety training' },
  accident_rescue: { zh: '事故救援', en: 'Accident rescue' },
  accident_investigation: { zh: '事故调查', en: 'Accident investigation' },
  research_supervision: { zh: '调研督导与形势分析', en: 'Research, supervision and analysis' },
  other: { zh: '其他交办任务', en: 'Other assigned work' },
});

export type TaskType = VocabularyValue<typeof taskTypes>;

/**
 * True for work that cannot wait for routine reply deadlines (事故救援, 第六条（四）).
 *
 * @example
 * isUrgentTaskType('accident_rescue'); // true
 */
export function isUrgentTaskType(type: TaskType): boolean {
  return type === 'accident_rescue';
}
