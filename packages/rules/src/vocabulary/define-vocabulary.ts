import { z } from 'zod';

/** A user-facing name in Simplified Chinese with its English alongside. */
export interface Label {
  readonly zh: string;
  readonly en: string;
}

/** A closed enumeration with its labels and its zod schema. */
export interface Vocabulary<K extends string> {
  readonly values: readonly [K, ...K[]];
  readonly labels: Readonly<Record<K, Label>>;
  readonly schema: z.ZodEnum<{ [P in K]: P }>;
  /** True when `value` is one of the vocabulary's identifiers. */
  readonly is: (value: unknown) => value is K;
}

/** The identifiers of a vocabulary, e.g. `VocabularyValue<typeof industries>`. */
export type VocabularyValue<V> = V extends Vocabulary<infer K> ? K : never;

/**
 * Builds a closed vocabulary from identifiers and their zh/en labels; the order of the
 * keys is the order of `values`.
 *
 * @example
 * const tiers = defineVocabulary({ province: { zh: '省', en: 'Province' } });
 * tiers.schema.parse('province'); // 'province'
 */
export function defineVocabulary<K extends string>(
  labels: Readonly<Record<K, Label>>,
): Vocabulary<K> {
  const values = Object.keys(labels) as K[];
  if (values.length === 0) throw new TypeError('a vocabulary needs at least one value');
  const tuple = values as [K, ...K[]];
  const known = new Set<string>(values);
  return Object.freeze({
    values: Object.freeze(tuple) as readonly [K, ...K[]],
    labels: Object.freeze({ ...labels }),
    schema: z.enum(tuple) as unknown as z.ZodEnum<{ [P in K]: P }>,
    is: (value: unknown): value is K => typeof value === 'string' && known.has(value),
  });
}
