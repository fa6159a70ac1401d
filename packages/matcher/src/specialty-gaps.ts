import type { ResolvedDraw } from './resolve-draw.js';
import { specialtyMaskOf } from './score-expert.js';
import type { ScoringContext } from './scoring-context.js';
import type { Gaps, SpecialtyCoverage } from './select-panel-types.js';

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

/**
 * How each task specialty was met (第十四条): by which member, `fixed` when a fixed member or
 * the named leader holds it, `specialty-first` when a holder was seated before the lottery among
 * the rest; or, unmet, why (`none-eligible`, `no-seat`).
 *
 * @example
 * specialtyCoverage(draw, scoring, members, fixed, gaps);
 * // [{ specialty: 'gas', how: 'specialty-first', expertId: 'e-7' }]
 */
export function specialtyCoverage(
  draw: ResolvedDraw,
  scoring: ScoringContext,
  members: readonly number[],
  fixed: readonly number[],
  gaps: Gaps,
): SpecialtyCoverage[] {
  const wanted = [...new Set(draw.task.specialties)].slice(0, scoring.specialtyCount);
  const fixedSet = new Set(fixed);
  return wanted.map((specialty, j): SpecialtyCoverage => {
    const bit = 1 << j;
    const holder =
      members.find(
        (index) => fixedSet.has(index) && (specialtyMaskOf(scoring, index) & bit) !== 0,
      ) ?? members.find((index) => (specialtyMaskOf(scoring, index) & bit) !== 0);
    if (holder === undefined) {
      const gap = gaps.specialties.find((g) => g.specialty === specialty);
      return { specialty, how: gap?.reason ?? 'none-eligible', expertId: null };
    }
    return {
      specialty,
      how: fixedSet.has(holder) ? 'fixed' : 'specialty-first',
      expertId: draw.pool.ids[holder] as string,
    };
  });
}
