import { defineVocabulary, type VocabularyValue } from './define-vocabulary.js';

/** Registered safety engineer levels (注册安全工程师). An expert without one has `null`. */
export const safetyEngineerLevels = defineVocabulary({
  senior: { zh: '高级注册安全工程师', en: 'Senior registered safety engineer' },
  intermediate: { zh: '中级注册安全工程师', en: 'Intermediate registered safety engineer' },
  assistant: { zh: '初级（助理）注册安全工程师', en: 'Assistant registered safety engineer' },
});

export type SafetyEngineerLevel = VocabularyValue<typeof safetyEngineerLevels>;

/**
 * True for the intermediate level or above, which 第九条（四） accepts with 5 years of practice.
 *
 * @example
 * isIntermediateSafetyEngineerOrAbove('senior'); // true
 */
export function isIntermediateSafetyEngineerOrAbove(level: SafetyEngineerLevel | null): boolean {
  return level === 'intermediate' || level === 'senior';
}
