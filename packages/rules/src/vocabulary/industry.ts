import { defineVocabulary, type VocabularyValue } from './define-vocabulary.js';
import type { Group } from './group.js';

/** The eight industry-and-trade industries (工贸八大行业, 第五条). */
export const industries = defineVocabulary({
  metallurgy: { zh: '冶金', en: 'Metallurgy' },
  nonferrous: { zh: '有色', en: 'Non-ferrous metals' },
  machinery: { zh: '机械', en: 'Machinery' },
  building_materials: { zh: '建材', en: 'Building materials' },
  light_industry: { zh: '轻工', en: 'Light industry' },
  textiles: { zh: '纺织', en: 'Textiles' },
  tobacco: { zh: '烟草', en: 'Tobacco' },
  commerce: { zh: '商贸', en: 'Commerce & trade' },
});

export type Industry = VocabularyValue<typeof industries>;

/** The group each industry belongs to (第五条). */
export const INDUSTRY_GROUP: Readonly<Record<Industry, Group>> = Object.freeze({
  metallurgy: 'metallurgy_nonferrous_machinery',
  nonferrous: 'metallurgy_nonferrous_machinery',
  machinery: 'metallurgy_nonferrous_machinery',
  building_materials: 'building_light_textile_tobacco_commerce',
  light_industry: 'building_light_textile_tobacco_commerce',
  textiles: 'building_light_textile_tobacco_commerce',
  tobacco: 'building_light_textile_tobacco_commerce',
  commerce: 'building_light_textile_tobacco_commerce',
});

/**
 * The industries a group serves: its own, or all eight for the comprehensive group (第五条).
 *
 * @example
 * industriesOfGroup('comprehensive').length; // 8
 */
export function industriesOfGroup(group: Group): readonly Industry[] {
  if (group === 'comprehensive') return industries.values;
  return industries.values.filter((industry) => INDUSTRY_GROUP[industry] === group);
}
