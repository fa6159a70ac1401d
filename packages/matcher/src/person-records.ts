import type { Busy, DrawExpert } from '@expert-dispatch/rules';
import type { PreparedPool } from './prepare-pool.js';

/**
 * The records of each person who holds several records in the pool: for each such record's
 * pool index, the indices of all the person's records, ascending (one array shared by the
 * person's records). A record without `personId`, or the only record with its `personId`, is
 * a person of its own and absent from the map, so a pool without person ids gives an empty map.
 *
 * @example
 * personRecordsOf([{ id: 'a', personId: 'p' }, { id: 'b' }, { id: 'c', personId: 'p' }]);
 * // Map { 0 => [0, 2], 2 => [0, 2] }
 */
export function personRecordsOf(
  experts: readonly Pick<DrawExpert, 'personId'>[],
): Map<number, readonly number[]> {
  const byPerson = new Map<string, number[]>();
  experts.forEach((expert, index) => {
    if (expert.personId === undefined) return;
    const records = byPerson.get(expert.personId);
    if (records === undefined) byPerson.set(expert.personId, [index]);
    else records.push(index);
  });
  const result = new Map<number, readonly number[]>();
  for (const records of byPerson.values()) {
    if (records.length < 2) continue;
    for (const index of records) result.set(index, records);
  }
  return result;
}

/** The records of the person of pool index `index`: itself alone for a person of their own. */
export function recordsOfPerson(pool: PreparedPool, index: number): readonly number[] {
  return pool.personRecords.get(index) ?? [index];
}

/**
 * One record as the rules should judge it for a draw: the record with what the person declared
 * under any of their records — conflicts (第八条（四）), unavailable periods (第十五条), warnings
 * (第二十三条) — and the bookings of any of their records (第十五条), relabelled to this record.
 * `evaluateExpert` on it decides exactly what the screening decides, so an exclusion that comes
 * from another record of the person is explained with the rules' own message.
 *
 * @example
 * const { expert, busy } = personView(pool, history.busy, index);
 * evaluateExpert(expert, task, { busy }, ruleSet).reasons; // 'already booked on task t-9 …'
 */
export function personView(
  pool: PreparedPool,
  busy: readonly Busy[],
  index: number,
): { expert: DrawExpert; busy: readonly Busy[] } {
  const expert = pool.experts[index] as DrawExpert;
  const records = pool.personRecords.get(index);
  if (records === undefined) return { expert, busy };
  const others = records.map((record) => pool.experts[record] as DrawExpert);
  const ids = new Set(others.map((other) => other.id));
  const warnings = others.flatMap((other) => other.warnings ?? []);
  return {
    expert: {
      ...expert,
      conflicts: others.flatMap((other) => other.conflicts),
      unavailable: others.flatMap((other) => other.unavailable),
      ...(warnings.length > 0 ? { warnings } : {}),
    },
    busy: busy.flatMap((entry) =>
      ids.has(entry.expertId) ? [{ ...entry, expertId: expert.id }] : [],
    ),
  };
}
