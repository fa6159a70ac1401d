import type { DrawExpert } from '@expert-dispatch/rules';
import { toEpochDay, toInstant } from '@expert-dispatch/rules';
import type { PoolPlan } from './pool-pieces.js';
import { type PreparedPool, STANDING } from './prepare-pool.js';

/** The structures of a prepared pool that hold pool indices, not one entry per record. */
export type IndexedEntries = Pick<
  PreparedPool,
  | 'conflictsByOrganization'
  | 'unavailableExpert'
  | 'unavailableFrom'
  | 'unavailableTo'
  | 'warningDays'
  | 'reappointed'
  | 'personRecords'
>;

/**
 * The index-keyed structures of the pool after a spliced change (`splicePreparedPool`): the old
 * entries renumbered to their records' new indices (those of removed or changed records, marked
 * `stale`, dropped; lists whose indices all lie below `first`, the first old index the change
 * touches, kept as they are), then the fresh records' own entries added as `preparePool` makes
 * them (`standing` is the new pool's column, written for the fresh records). The changed
 * records are each a person of their own, so the person records are only renumbered.
 *
 * @example
 * const entries = renumberedEntries(pool, plan, stale, first, columns.standing);
 */
export function renumberedEntries(
  prepared: PreparedPool,
  plan: PoolPlan<DrawExpert>,
  stale: Uint8Array,
  first: number,
  standing: Uint8Array,
): IndexedEntries {
  const { newIndexOf, fresh } = plan;
  const move = (i: number) => newIndexOf[i] as number;
  const conflictsByOrganization = new Map<string, readonly number[]>();
  for (const [organization, list] of prepared.conflictsByOrganization) {
    if (list.length > 0 && (list[list.length - 1] as number) < first) {
      conflictsByOrganization.set(organization, list);
      continue;
    }
    const next: number[] = [];
    for (const i of list) if (stale[i] !== 1) next.push(move(i));
    if (next.length > 0) conflictsByOrganization.set(organization, next);
  }
  const own = new Set<readonly number[]>();
  for (const [j, expert] of fresh) {
    for (const conflict of expert.conflicts) {
      const old = conflictsByOrganization.get(conflict.organizationId);
      const list = old !== undefined && own.has(old) ? (old as number[]) : [...(old ?? [])];
      let at = list.length;
      while (at > 0 && (list[at - 1] as number) > j) at--;
      list.splice(at, 0, j);
      own.add(list);
      conflictsByOrganization.set(conflict.organizationId, list);
    }
  }

  // Absences in typed arrays sized for the most they can hold, cut to what they hold.
  let most = prepared.unavailableExpert.length;
  for (const [, expert] of fresh) most += expert.unavailable.length;
  const unavailableExpert = new Int32Array(most);
  const unavailableFrom = new Float64Array(most);
  const unavailableTo = new Float64Array(most);
  const kept = renumberAbsences(prepared, newIndexOf, stale, unavailableExpert);
  unavailableFrom.set(prepared.unavailableFrom);
  unavailableTo.set(prepared.unavailableTo);
  let count = kept.count;
  if (kept.dropped) {
    // Some entries were of removed or changed records: keep the others' instants in order.
    count = 0;
    for (let k = 0; k < prepared.unavailableExpert.length; k++) {
      if (stale[prepared.unavailableExpert[k] as number] === 1) continue;
      unavailableExpert[count] = newIndexOf[prepared.unavailableExpert[k] as number] as number;
      unavailableFrom[count] = prepared.unavailableFrom[k] as number;
      unavailableTo[count] = prepared.unavailableTo[k] as number;
      count++;
    }
  }
  for (const [j, expert] of fresh) {
    for (const period of expert.unavailable) {
      unavailableExpert[count] = j;
      unavailableFrom[count] = toInstant(period.from);
      unavailableTo[count] = toInstant(period.to);
      count++;
    }
  }

  const warningDays = new Map<number, Int32Array>();
  for (const [i, list] of prepared.warningDays) if (stale[i] !== 1) warningDays.set(move(i), list);
  const reappointed = new Map<number, { disqualifiedOn: string; from: string }>();
  for (const [i, entry] of prepared.reappointed)
    if (stale[i] !== 1) reappointed.set(move(i), entry);
  for (const [j, expert] of fresh) {
    if (expert.warnings !== undefined && expert.warnings.length > 0) {
      warningDays.set(
        j,
        Int32Array.from(expert.warnings, (warning) => toEpochDay(warning.on)).sort(),
      );
    }
    const term = expert.appointment;
    if (expert.disqualifiedOn !== undefined && standing[j] !== STANDING.disqualified && term) {
      reappointed.set(j, { disqualifiedOn: expert.disqualifiedOn, from: term.from });
    }
  }
  const personRecords = new Map<number, readonly number[]>();
  const movedRecords = new Map<readonly number[], readonly number[]>();
  for (const [i, records] of prepared.personRecords) {
    let next = movedRecords.get(records);
    if (next === undefined) {
      next = records.map(move);
      movedRecords.set(records, next);
    }
    personRecords.set(move(i), next);
  }

  return {
    conflictsByOrganization,
    unavailableExpert: unavailableExpert.slice(0, count),
    unavailableFrom: unavailableFrom.slice(0, count),
    unavailableTo: unavailableTo.slice(0, count),
    warningDays,
    reappointed,
    personRecords,
  };
}

/**
 * Writes the old absences' records at their new indices into `target` (same positions), and
 * says whether any was of a removed or changed record (then the caller compacts instead).
 */
function renumberAbsences(
  prepared: PreparedPool,
  newIndexOf: Int32Array,
  stale: Uint8Array,
  target: Int32Array,
): { readonly count: number; readonly dropped: boolean } {
  const old = prepared.unavailableExpert;
  for (let k = 0; k < old.length; k++) {
    const i = old[k] as number;
    if (stale[i] === 1) return { count: k, dropped: true };
    target[k] = newIndexOf[i] as number;
  }
  return { count: old.length, dropped: false };
}
