import seedrandom from 'seedrandom';

/** A seeded source of the choices the synthetic generators make. */
export interface SyntheticRandom {
  /** Uniform in [0, 1). */
  readonly next: () => number;
  /** An integer in [min, max]. */
  readonly int: (min: number, max: number) => number;
  readonly pick: <T>(list: readonly T[]) => T;
  /** A value chosen with the given relative weights. */
  readonly weighted: <T>(entries: readonly (readonly [T, number])[]) => T;
  /** Up to `count` distinct values of `list`, in list order. */
  readonly some: <T>(list: readonly T[], count: number) => T[];
  readonly chance: (p: number) => boolean;
}

/**
 * Wraps `seedrandom(seed)` with the helpers the generators need.
 *
 * @example
 * syntheticRandom('s').int(1, 6); // the same die roll on every machine
 */
export function syntheticRandom(seed: string): SyntheticRandom {
  const next = seedrandom(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  return {
    next,
    int,
    pick,
    weighted: <T>(entries: readonly (readonly [T, number])[]): T => {
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      let target = next() * total;
      for (const [value, weight] of entries) {
        target -= weight;
        if (target < 0) return value;
      }
      return (entries[entries.length - 1] as readonly [T, number])[0];
    },
    some: <T>(list: readonly T[], count: number): T[] => {
      const chosen = new Set<number>();
      while (chosen.size < Math.min(count, list.length))
        chosen.add(Math.floor(next() * list.length));
      return [...chosen].sort((a, b) => a - b).map((index) => list[index] as T);
    },
    chance: (p: number) => next() < p,
  };
}

/** Yunnan county-level codes (GB/T 2260) the generators place experts, employers and work in. */
export const YUNNAN_REGIONS = [
  '530102',
  '530103',
  '530111',
  '530112',
  '530113',
  '530114',
  '530302',
  '530381',
  '530402',
  '530502',
  '530602',
  '530702',
  '530802',
  '530902',
  '532301',
  '532501',
  '532601',
  '532801',
  '532901',
  '533102',
  '533301',
  '533401',
] as const;

/** The common specialty tags of the glossary. */
export const COMMON_SPECIALTIES = [
  'dust_explosion',
  'ammonia_refrigeration',
  'confined_space',
  'molten_metal',
  'gas',
  'deep_well_casting',
  'electrical',
  'special_equipment',
  'fire',
  'occupational_health',
  'hazardous_chemicals',
] as const;
