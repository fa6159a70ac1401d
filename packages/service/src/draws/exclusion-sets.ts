import { createHash } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { readInBatches } from '../db/read-in-batches.js';
import { exclusionSets } from '../db/schema.js';
import type { ExclusionRecord } from './compact-exclusions.js';
import { complementBasis, type IndustryBasis, industryBasisOf } from './industry-basis.js';
import { decodePoolIndices, encodePoolIndices } from './pool-index-codec.js';

/**
 * Marks an exclusion record stored as one index set per reason (#17): each group keeps only its
 * reasons, and each reason names the pool indices excluded for it — inline when short, else by
 * the SHA-256 of the set, stored once in `exclusion_sets`.
 */
export const REASON_SET_EXCLUSIONS = 'pool-indices@2';

/**
 * One reason's excluded pool indices: inline (`encodePoolIndices`), by hash, or as the pool's
 * records outside every set named (`complementOf`: the industry sets a task's industry rule
 * follows from, see industry-basis.ts; the record's `poolSize` bounds the pool).
 */
export type ReasonSet =
  | { readonly reason: string; readonly indices: string }
  | { readonly reason: string; readonly set: string }
  | { readonly reason: string; readonly complementOf: readonly string[] };

/** A set to store in `exclusion_sets` (a draw writes it only if no draw did before). */
export interface ExclusionSetRow {
  readonly hash: string;
  readonly indices: string;
}

/** A set whose encoding is longer than its hash is stored by hash. */
const INLINE_UP_TO = 64;

/**
 * The exclusion record as reason sets: a group is the experts excluded for exactly its
 * reasons, so the groups follow from one index set per reason — and those sets repeat across
 * draws (a lapsed term or an age bar does not depend on the task; an industry depends only on
 * the task's industries), so a draw that repeats them writes only their hashes. Null when a
 * group does not map onto pool indices (a duplicate id) or two groups share their reasons: the
 * caller keeps the one-set-per-group record then.
 *
 * @example
 * const compact = reasonSetExclusions(record, pool.ids, pool.indexOf);
 * // compact?.stored.encoding === 'pool-indices@2'; store compact.sets, then the draw
 */
export function reasonSetExclusions(
  record: ExclusionRecord,
  ids: readonly string[],
  indexOf: ReadonlyMap<string, number>,
  /** The pool's records: a task's industry exclusions are then named by the pool's industry sets. */
  experts?: readonly unknown[],
): { stored: Record<string, unknown>; sets: ExclusionSetRow[] } | null {
  const byReason = new Map<string, number[]>();
  const seenGroups = new Set<string>();
  // An expert is in one group only (its exact combination of reasons), else the sets cannot
  // give the groups back.
  const seenIndices = new Set<number>();
  for (const group of record.excluded) {
    const key = [...group.reasons].sort().join('\n');
    if (seenGroups.has(key) || group.reasons.length === 0) return null;
    seenGroups.add(key);
    for (const id of group.expertIds) {
      const index = indexOf.get(id);
      if (index === undefined || ids[index] !== id || seenIndices.has(index)) return null;
      seenIndices.add(index);
      for (const reason of group.reasons) {
        const members = byReason.get(reason) ?? [];
        members.push(index);
        byReason.set(reason, members);
      }
    }
  }
  const sets = new Map<string, ExclusionSetRow>();
  const reasonSets: ReasonSet[] = [];
  for (const [reason, members] of byReason) {
    members.sort((a, b) => a - b);
    const indices = encodePoolIndices(members, ids.length);
    if (indices.length <= INLINE_UP_TO) {
      reasonSets.push({ reason, indices });
      continue;
    }
    if (reason === 'industry-expertise' && experts !== undefined && experts.length === ids.length) {
      const basis = industryBasisOf(experts);
      const keys = complementBasis(members, ids.length, basis);
      if (keys !== null) {
        const rows = keys.map((key) => basisRow(basis, key, ids.length));
        for (const row of rows) sets.set(row.hash, row);
        reasonSets.push({ reason, complementOf: rows.map((row) => row.hash) });
        continue;
      }
    }
    const hash = createHash('sha256').update(indices).digest('hex');
    sets.set(hash, { hash, indices });
    reasonSets.push({ reason, set: hash });
  }
  return {
    stored: {
      encoding: REASON_SET_EXCLUSIONS,
      poolSize: ids.length,
      funnel: record.funnel,
      eligible: record.eligible,
      excluded: record.excluded.map((group) => ({ reasons: group.reasons })),
      reasonSets,
      exclusionReasons: record.exclusionReasons,
      ...(record.engagementRecusals === undefined
        ? {}
        : { engagementRecusals: record.engagementRecusals }),
    },
    sets: [...sets.values()],
  };
}

const basisRows = new WeakMap<IndustryBasis, Map<string, ExclusionSetRow>>();

/** A basis set as a stored set, encoded once per pool. */
function basisRow(basis: IndustryBasis, key: string, poolSize: number): ExclusionSetRow {
  let rows = basisRows.get(basis);
  if (rows === undefined) {
    rows = new Map();
    basisRows.set(basis, rows);
  }
  const known = rows.get(key);
  if (known !== undefined) return known;
  const indices = encodePoolIndices(basis.get(key) ?? [], poolSize);
  const row = { hash: createHash('sha256').update(indices).digest('hex'), indices };
  rows.set(key, row);
  return row;
}

/** Rows per insert statement. */
const BATCH = 500;

/**
 * Stores a draw's exclusion sets; a set some draw stored before is not written again.
 *
 * @example
 * await storeExclusionSets(tx, compact.sets);
 */
export async function storeExclusionSets(
  tx: Executor,
  sets: readonly ExclusionSetRow[],
): Promise<void> {
  for (let start = 0; start < sets.length; start += BATCH) {
    await tx
      .insert(exclusionSets)
      .values(sets.slice(start, start + BATCH))
      .onConflictDoNothing();
  }
}

function reasonSetsOf(stored: unknown): readonly ReasonSet[] {
  if (typeof stored !== 'object' || stored === null) return [];
  const record = stored as { encoding?: unknown; reasonSets?: unknown };
  if (record.encoding !== REASON_SET_EXCLUSIONS || !Array.isArray(record.reasonSets)) return [];
  return record.reasonSets as ReasonSet[];
}

/**
 * The stored sets a `pool-indices@2` record names by hash (empty for any other record).
 *
 * @example
 * expandExclusions(draw.exclusions, ids, await loadExclusionSets(db, draw.exclusions));
 */
export async function loadExclusionSets(
  db: Executor,
  stored: unknown,
  /** Sets already read (by an earlier record of the same request): not read again, added to. */
  known: Map<string, string> = new Map(),
): Promise<Map<string, string>> {
  const hashes = [
    ...new Set(
      reasonSetsOf(stored).flatMap((entry) =>
        'set' in entry ? [entry.set] : 'complementOf' in entry ? entry.complementOf : [],
      ),
    ),
  ];
  const missing = hashes.filter((hash) => !known.has(hash));
  const rows = await readInBatches(missing, BATCH, (batch) =>
    db.select().from(exclusionSets).where(inArray(exclusionSets.hash, batch)),
  );
  for (const row of rows) known.set(row.hash, row.indices);
  return known;
}

/**
 * The reasons of a `pool-indices@2` record whose set holds the pool index, without expanding
 * the record: each set decoded once into `decoded` (keyed by hash, or by the inline text), which
 * a caller reading many records of one pool shares between them.
 *
 * @example
 * reasonsHolding(draw.exclusions, sets, 42, new Map()); // ['age-limit', 'industry-expertise']
 */
export function reasonsHolding(
  stored: unknown,
  sets: ReadonlyMap<string, string>,
  index: number,
  decoded: Map<string, readonly number[]>,
): string[] {
  const poolSize = Number((stored as { poolSize?: unknown }).poolSize ?? 0);
  const holds = (key: string, text: string | undefined) => {
    let indices = decoded.get(key);
    if (indices === undefined) {
      if (text === undefined) throw new Error(`exclusion set ${key} is not stored`);
      indices = decodePoolIndices(text);
      decoded.set(key, indices);
    }
    return sortedIncludes(indices, index);
  };
  return reasonSetsOf(stored)
    .filter((entry) =>
      'complementOf' in entry
        ? index < poolSize && !entry.complementOf.some((hash) => holds(hash, sets.get(hash)))
        : 'set' in entry
          ? holds(entry.set, sets.get(entry.set))
          : holds(entry.indices, entry.indices),
    )
    .map((entry) => entry.reason);
}

function sortedIncludes(sorted: readonly number[], value: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const at = sorted[middle] as number;
    if (at === value) return true;
    if (at < value) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/**
 * Each reason's excluded pool indices, ascending, decoded from a `pool-indices@2` record and its
 * stored sets.
 *
 * @example
 * reasonIndicesOf(draw.exclusions, sets).get('industry-expertise'); // [3, 17, …]
 */
export function reasonIndicesOf(
  stored: unknown,
  sets: ReadonlyMap<string, string>,
): Map<string, number[]> {
  const byReason = new Map<string, number[]>();
  const poolSize = Number((stored as { poolSize?: unknown }).poolSize ?? 0);
  const textOf = (hash: string) => {
    const text = sets.get(hash);
    if (text === undefined) throw new Error(`exclusion set ${hash} is not stored`);
    return text;
  };
  for (const entry of reasonSetsOf(stored)) {
    if ('complementOf' in entry) {
      const covered = new Uint8Array(poolSize);
      for (const hash of entry.complementOf)
        for (const index of decodePoolIndices(textOf(hash))) covered[index] = 1;
      const outside: number[] = [];
      for (let index = 0; index < poolSize; index++) if (covered[index] === 0) outside.push(index);
      byReason.set(entry.reason, outside);
    } else {
      byReason.set(
        entry.reason,
        decodePoolIndices('set' in entry ? textOf(entry.set) : entry.indices),
      );
    }
  }
  return byReason;
}

/**
 * The pool indices of each group of a `pool-indices@2` record, ascending: the experts whose
 * reasons are exactly the group's.
 *
 * @example
 * groupIndicesOf(draw.exclusions, sets)[0]; // [3, 17, …]
 */
export function groupIndicesOf(stored: unknown, sets: ReadonlyMap<string, string>): number[][] {
  const groups = (stored as { excluded: readonly { reasons: readonly string[] }[] }).excluded;
  const byReason = reasonIndicesOf(stored, sets);
  const bitOf = new Map([...byReason.keys()].map((reason, k) => [reason, 2 ** k]));
  let size = 0;
  for (const indices of byReason.values()) size = Math.max(size, (indices.at(-1) ?? -1) + 1);
  const masks = new Float64Array(size);
  for (const [reason, indices] of byReason) {
    const bit = bitOf.get(reason) as number;
    for (const index of indices) masks[index] = (masks[index] as number) + bit;
  }
  const groupOf = new Map<number, number>();
  groups.forEach((group, k) => {
    groupOf.set(
      group.reasons.reduce((mask, reason) => mask + (bitOf.get(reason) ?? 0), 0),
      k,
    );
  });
  const members = groups.map((): number[] => []);
  for (let index = 0; index < size; index++) {
    const mask = masks[index] as number;
    if (mask === 0) continue;
    const group = groupOf.get(mask);
    if (group !== undefined) members[group]?.push(index);
  }
  return members;
}
