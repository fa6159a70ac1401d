import { defineVocabulary, type VocabularyValue } from './define-vocabulary.js';

/** Professional title levels (职称), highest first. */
export const titles = defineVocabulary({
  senior_full: { zh: '正高级', en: 'Senior (full)' },
  senior_associate: { zh: '副高级', en: 'Senior (associate)' },
  intermediate: { zh: '中级', en: 'Intermediate' },
  junior: { zh: '初级', en: 'Junior' },
  none: { zh: '无', en: 'None' },
});

export type Title = VocabularyValue<typeof titles>;

/**
 * True for a senior title (副高级以上, 第九条（四）), the level a panel leader holds (第五条).
 *
 * @example
 * isSeniorTitle('senior_associate'); // true
 */
export function isSeniorTitle(title: Title): boolean {
  return title === 'senior_full' || title === 'senior_associate';
}

/** Ranks titles for ordering: 4 for 正高级 down to 0 for none. */
export function rankTitle(title: Title): number {
  return titles.values.length - 1 - titles.values.indexOf(title);
}
