import type { ResolvedDraw } from './resolve-draw.js';
import { specialtyMaskOf } from './score-expert.js';
import type { ScoringContext } from './scoring-context.js';
import type { Gaps } from './select-panel-types.js';

/**
 * How many eligible candidates hold each of the task's specialties (by task-local bit), so
 * that the panel never searches for a specialty nobody eligible has.
 *
 * @example
 * countSpecialtyHolders(scoring, eligible); // Int32Array [412, 0] for ['gas', 'rare_skill']
 */
export function countSpecialtyHolders(scoring: ScoringContext, candidates: Int32Array): Int32Array {
  const holders = new Int32Array(scoring.specialtyCount);
  if (scoring.specialtyCount === 0) return holders;
  for (let k = 0; k < candidates.length; k++) {
    let mask = specialtyMaskOf(scoring, candidates[k] as number);
    while (mask !== 0) {
      const bit = 31 - Math.clz32(mask & -mask);
      holders[bit] = (holders[bit] as number) + 1;
      mask &= mask - 1;
    }
  }
  return holders;
}

/**
 * The task specialties no member holds, each with why: no eligible expert holds it, or the
 * seats ran out before it was reached (第十四条).
 *
 * @example
 * specialtyGaps(draw, holders, 0b10); // [{ specialty: 'fire', reason: 'no-seat' }]
 */
export function specialtyGaps(
  draw: ResolvedDraw,
  holders: Int32Array,
  missing: number,
): Gaps['specialties'] {
  if (missing === 0) return [];
  const wanted = [...new Set(draw.task.specialties)].slice(0, holders.length);
  return wanted.flatMap((specialty, j) =>
    missing & (1 << j)
      ? [
          {
            specialty,
            reason: (holders[j] ?? 0) > 0 ? ('no-seat' as const) : ('none-eligible' as const),
          },
        ]
      : [],
  );
}
