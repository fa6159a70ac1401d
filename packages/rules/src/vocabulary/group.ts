import { defineVocabulary, type VocabularyValue } from './define-vocabulary.js';

/** The three expert groups of 第五条. The comprehensive group serves all eight industries. */
export const groups = defineVocabulary({
  metallurgy_nonferrous_machinery: {
    zh: '冶金、有色、机械组',
    en: 'Metallurgy, non-ferrous & machinery',
  },
  building_light_textile_tobacco_commerce: {
    zh: '建材、轻工、纺织、烟草、商贸组',
    en: 'Building materials, light industry, textiles, tobacco & commerce',
  },
  comprehensive: { zh: '工贸行业综合组', en: 'Industry & trade (comprehensive)' },
});

export type Group = VocabularyValue<typeof groups>;
