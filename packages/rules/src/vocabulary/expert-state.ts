import { defineVocabulary, type VocabularyValue } from './define-vocabulary.js';

/** The lifecycle states of an expert (第十条–第十二条, 第二十三条, 第二十四条). */
export const expertStates = defineVocabulary({
  applied: { zh: '申请', en: 'Applied' },
  recommended: { zh: '推荐', en: 'Recommended' },
  under_review: { zh: '审核', en: 'Under review' },
  public_notice: { zh: '公示', en: 'Public notice' },
  active: { zh: '在库', en: 'Active' },
  suspended: { zh: '暂停', en: 'Suspended' },
  dismissed: { zh: '解聘', en: 'Dismissed' },
  withdrawn: { zh: '退出', en: 'Withdrawn' },
  expired: { zh: '聘期届满', en: 'Term expired' },
});

export type ExpertState = VocabularyValue<typeof expertStates>;
