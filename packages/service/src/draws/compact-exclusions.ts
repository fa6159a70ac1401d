import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { poolSnapshots } from '../db/schema.js';
import {
  groupIndicesOf,
  loadExclusionSets,
  REASON_SET_EXCLUSIONS,
  reasonSetExclusions,
  storeExclusionSets,
} from './exclusion-sets.js';
import { decodePoolIndices, encodePoolIndices } from './pool-index-codec.js';
import { loadSnapshotExperts } from './pool-snapshot-store.js';

/** Marks a draw's exclusion record whose groups name pool indices instead of expert ids. */
export const COMPACT_EXCLUSIONS = 'pool-indices@1';

interface IdGroup {
  readonly reasons: readonly string[];
  readonly expertIds: readonly string[];
}

interface IndexGroup {
  readonly reasons: readonly string[];
  /** `encodePoolIndices` of the group's records in the draw's pool snapshot. */
  readonly indices: string;
}

/** The exclusion record as the matcher gives it (funnel, reasons, groups of expert ids). */
export interface ExclusionRecord {
  readonly funnel: unknown;
  readonly eligible: number;
  readonly excluded: readonly IdGroup[];
  readonly exclusionReasons: unknown;
  readonly engagementRecusals?: unknown;
}

/**
 * The exclusion record to store: each group's expert ids become their indices in the pool
 * snapshot the draw ran on, encoded (a few bytes instead of an id per excluded expert). A group
 * whose ids do not map back to themselves in pool order (a duplicate id) keeps its ids.
 *
 * @example
 * compactExclusions(record, pool.ids, pool.indexOf).encoding; // 'pool-indices@1'
 */
export function compactExclusions(
  record: ExclusionRecord,
  ids: readonly string[],
  indexOf: ReadonlyMap<string, number>,
): Record<string, unknown> {
  const excluded = record.excluded.map((group): IdGroup | IndexGroup => {
    const indices: number[] = [];
    let previous = -1;
    for (const id of group.expertIds) {
      const index = indexOf.get(id);
      if (index === undefined || index <= previous || ids[index] !== id) return group;
      indices.push(index);
      previous = index;
    }
    return { reasons: group.reasons, indices: encodePoolIndices(indices, ids.length) };
  });
  return {
    encoding: COMPACT_EXCLUSIONS,
    funnel: record.funnel,
    eligible: record.eligible,
    excluded,
    exclusionReasons: record.exclusionReasons,
    ...(record.engagementRecusals === undefined
      ? {}
      : { engagementRecusals: record.engagementRecusals }),
  };
}

/**
 * The exclusion record a draw stores (#17): one index set per reason, the large sets in
 * `exclusion_sets` (written here, once per set) and named by hash (`pool-indices@2`, see
 * exclusion-sets.ts); the one-set-per-group record of `compactExclusions` when a group does not
 * map onto the pool.
 *
 * @example
 * const exclusions = await storeCompactExclusions(tx, record, pool.ids, pool.indexOf);
 */
export async function storeCompactExclusions(
  tx: Executor,
  record: ExclusionRecord,
  ids: readonly string[],
  indexOf: ReadonlyMap<string, number>,
  /** The pool's records (industry exclusions named by the pool's industry sets). */
  experts?: readonly unknown[],
): Promise<Record<string, unknown>> {
  const bySet = reasonSetExclusions(record, ids, indexOf, experts);
  if (bySet === null) return compactExclusions(record, ids, indexOf);
  await storeExclusionSets(tx, bySet.sets);
  return bySet.stored;
}

/** Whether a stored exclusion record is compact (needs its snapshot's ids to be read). */
export function isCompactExclusions(stored: unknown): boolean {
  if (typeof stored !== 'object' || stored === null) return false;
  const encoding = (stored as { encoding?: unknown }).encoding;
  return encoding === COMPACT_EXCLUSIONS || encoding === REASON_SET_EXCLUSIONS;
}

/**
 * The exclusion record as the matcher gave it, from a stored one: a compact record's groups get
 * their expert ids back from the snapshot's ids (`ids`, in pool order) — a `pool-indices@2`
 * record's from its reason sets (`sets`: those stored by hash, `loadExclusionSets`); an old
 * record is returned as stored. Keys come in the order PostgreSQL's jsonb gives the old records,
 * so both read the same.
 *
 * @example
 * expandExclusions(draw.exclusions, await loadSnapshotIds(db, draw.poolSnapshotDigest));
 */
export function expandExclusions(
  stored: unknown,
  ids: readonly string[] | null,
  sets: ReadonlyMap<string, string> = new Map(),
): unknown {
  if (!isCompactExclusions(stored) || ids === null) return stored;
  const bySet =
    (stored as { encoding?: unknown }).encoding === REASON_SET_EXCLUSIONS
      ? groupIndicesOf(stored, sets)
      : null;
  const rest = stored as {
    readonly excluded: readonly (IdGroup | IndexGroup | { readonly reasons: readonly string[] })[];
    readonly funnel: unknown;
    readonly eligible: unknown;
    readonly exclusionReasons: unknown;
    readonly engagementRecusals?: unknown;
  };
  return {
    funnel: rest.funnel,
    eligible: rest.eligible,
    excluded: rest.excluded.map((group, k) => {
      const indices =
        bySet !== null
          ? (bySet[k] ?? [])
          : 'indices' in group
            ? decodePoolIndices(group.indices)
            : null;
      return indices === null
        ? group
        : { reasons: group.reasons, expertIds: indices.map((index) => ids[index] ?? '') };
    }),
    exclusionReasons: rest.exclusionReasons,
    ...(rest.engagementRecusals === undefined
      ? {}
      : { engagementRecusals: rest.engagementRecusals }),
  };
}

/**
 * The expert ids of a pool snapshot in pool order, read without the rest of the records;
 * null when there is no such snapshot.
 *
 * @example
 * const ids = await loadSnapshotIds(db, draw.poolSnapshotDigest);
 */
export async function loadSnapshotIds(db: Executor, digest: string): Promise<string[] | null> {
  const [row] = await db
    .select({
      ids: sql<string[] | null>`jsonb_path_query_array(${poolSnapshots.experts}, '$[*].id')`,
    })
    .from(poolSnapshots)
    .where(eq(poolSnapshots.digest, digest));
  if (row === undefined) return null;
  if (row.ids !== null) return row.ids;
  // Stored as versions (#17): the ids of the records.
  const experts = await loadSnapshotExperts(db, digest);
  return experts === null ? null : experts.map((expert) => (expert as { id: string }).id);
}

/**
 * A stored draw's exclusion record as the matcher gave it, reading the snapshot's ids only
 * when the record is compact.
 *
 * @example
 * const exclusions = await readExclusions(db, draw);
 */
export async function readExclusions(
  db: Executor,
  draw: { readonly exclusions: unknown; readonly poolSnapshotDigest: string },
): Promise<unknown> {
  if (!isCompactExclusions(draw.exclusions)) return draw.exclusions;
  return expandExclusions(
    draw.exclusions,
    await loadSnapshotIds(db, draw.poolSnapshotDigest),
    await loadExclusionSets(db, draw.exclusions),
  );
}
