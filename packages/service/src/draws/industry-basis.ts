/**
 * Which pool records hold each industry, and which are comprehensive (综合类, every industry):
 * sets that follow from the pool alone, so they repeat across every draw on a pool and across
 * revisions that did not touch them. A task's industry-expertise exclusions are the records
 * in none of its industries' sets nor the comprehensive one (the matcher's rule), so a draw can
 * name those few sets instead of storing its own large one (#17).
 */
export type IndustryBasis = ReadonlyMap<string, readonly number[]>;

interface BasisRecord {
  readonly industries?: readonly string[];
  readonly group?: string;
}

const cache = new WeakMap<readonly unknown[], IndustryBasis>();

/** The key of the comprehensive records' set. */
export const COMPREHENSIVE = 'comprehensive';

/**
 * The pool's industry sets (`industry:<name>`) and its comprehensive set, each ascending; kept
 * per pool array (a prepared pool's records do not change).
 *
 * @example
 * industryBasisOf(pool.experts).get('industry:mining'); // [0, 7, 12, …]
 */
export function industryBasisOf(experts: readonly unknown[]): IndustryBasis {
  const known = cache.get(experts);
  if (known !== undefined) return known;
  const basis = new Map<string, number[]>();
  const add = (key: string, index: number) => {
    const members = basis.get(key);
    if (members === undefined) basis.set(key, [index]);
    else members.push(index);
  };
  experts.forEach((expert, index) => {
    const record = expert as BasisRecord;
    if (record.group === 'comprehensive') add(COMPREHENSIVE, index);
    for (const industry of new Set(record.industries ?? [])) add(`industry:${industry}`, index);
  });
  cache.set(experts, basis);
  return basis;
}

/**
 * The basis sets whose union is exactly the complement of `members` (ascending indices of a
 * pool of `poolSize`), or null when there are none: every set that shares no record with
 * `members` is taken, and the result is checked, so it holds whatever rule made the set.
 *
 * @example
 * complementBasis(excludedForIndustry, pool.size, basis); // ['comprehensive', 'industry:mining']
 */
export function complementBasis(
  members: readonly number[],
  poolSize: number,
  basis: IndustryBasis,
): string[] | null {
  const inMembers = new Uint8Array(poolSize);
  for (const index of members) inMembers[index] = 1;
  const covered = new Uint8Array(poolSize);
  const keys: string[] = [];
  for (const [key, indices] of basis) {
    if (indices.some((index) => inMembers[index] === 1)) continue;
    keys.push(key);
    for (const index of indices) covered[index] = 1;
  }
  for (let index = 0; index < poolSize; index++)
    if (covered[index] === inMembers[index]) return null;
  return keys.length === 0 ? null : keys.sort();
}
