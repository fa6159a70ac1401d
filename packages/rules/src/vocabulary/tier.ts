import { defineVocabulary, type VocabularyValue } from './define-vocabulary.js';

/** Administrative tiers of pools and authorities (第二十一条, 第二十六条). */
export const tiers = defineVocabulary({
  province: { zh: '省', en: 'Province' },
  city: { zh: '州（市）', en: 'City / prefecture' },
  county: { zh: '县（市、区）', en: 'County / district' },
});

export type Tier = VocabularyValue<typeof tiers>;
