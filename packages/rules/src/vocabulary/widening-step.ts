import { defineVocabulary, type VocabularyValue } from './define-vocabulary.js';

/**
 * The steps by which a draw that cannot form a panel from its usual pools widens to others
 * (异地抽取 / 扩大抽取范围). Each names pools relative to the requesting authority — the
 * provincial pool is open to every draw already (第二十一条), so it is never a step. The measures
 * contain no such ladder: which steps a rule set offers is local policy.
 *
 * - `same_prefecture_counties`: for a county, the other county pools of its prefecture; for a
 *   city, the county pools of its prefecture; for the province, none.
 * - `prefecture_pool`: for a county, its prefecture's pool; for a city or the province, none.
 * - `other_prefectures`: the prefecture pools other than the requester's own (all of them for
 *   the province).
 */
export const wideningSteps = defineVocabulary({
  same_prefecture_counties: {
    zh: '本州（市）其他县（市、区）专家库',
    en: 'The other county pools of the same prefecture',
  },
  prefecture_pool: { zh: '本州（市）级专家库', en: 'The prefecture’s pool' },
  other_prefectures: {
    zh: '其他州（市）级专家库',
    en: 'The pools of the other prefectures',
  },
});

export type WideningStep = VocabularyValue<typeof wideningSteps>;
