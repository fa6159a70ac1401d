import type { DrawExpert, Expert, RuleSet } from '@expert-dispatch/rules';
import type { Sha256Stream } from './canonical-json.js';
import { DayMemo } from './day-memo.js';
import { growable } from './growable-index.js';
import {
  POOL_DIGEST_BLOCK,
  type PoolDigestTree,
  poolDigestTreeOf,
  recordDigest,
} from './pool-digest.js';
import { PoolIndex } from './pool-index.js';
import {
  assembleArray,
  assembleColumn,
  assembleRows,
  type PoolPlan,
  planPool,
} from './pool-pieces.js';
import {
  ageBarDays,
  ageOfBars,
  type PreparedPool,
  type ScalarColumns,
  writeScalars,
} from './prepare-pool.js';
import { renumberedEntries } from './renumbered-entries.js';

/** Pools whose ids are known to ascend in code-unit order (no id twice). */
const ascending = new WeakMap<PreparedPool, boolean>();

function idsAscend(pool: PreparedPool): boolean {
  let known = ascending.get(pool);
  if (known === undefined) {
    known = true;
    for (let i = 1; i < pool.ids.length; i++) {
      if (!((pool.ids[i - 1] as string) < (pool.ids[i] as string))) {
        known = false;
        break;
      }
    }
    ascending.set(pool, known);
  }
  return known;
}

/** The first index whose id is not below `id` in an ascending list. */
function lowerBound(ids: readonly string[], id: string): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((ids[middle] as string) < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * `updatePreparedPool` for a change that adds or removes records (and may change others) in a
 * pool sorted by id whose changed records are each a person of their own: the pool after the
 * change, made from the old one's arrays by copying the unchanged runs to their new places
 * (the typed columns, specialties, age bars, record hashes), renumbering the indices in the
 * shared structures, indexing only the new and changed records, and rehashing only the
 * `pool-digest@2` blocks whose record hashes moved or changed (all blocks after an insertion or
 * a removal: 391 hashes of 16 KB at 100,000). Undefined when the change is not of that kind
 * (the caller then re-indexes). The old pool is not modified.
 *
 * @example
 * splicePreparedPool(pool, new Map([[added.id, added]]), new Set(), {})?.size; // pool.size + 1
 */
export function splicePreparedPool(
  prepared: PreparedPool,
  upserted: ReadonlyMap<string, DrawExpert>,
  removed: ReadonlySet<string>,
  options: { readonly sha256?: () => Sha256Stream; readonly ruleSet?: RuleSet },
): PreparedPool | undefined {
  const tree = prepared.digestTree;
  const index = prepared.indexOf;
  if (tree === undefined || !(index instanceof PoolIndex) || index.hasRepeatedIds())
    return undefined;
  if (!idsAscend(prepared)) return undefined;
  const n = prepared.size;
  const stale = new Uint8Array(n); // removed or changed
  // Old indices below the first change keep their index and their entries.
  let first = n;
  const changed = new Map<number, DrawExpert>();
  const added: DrawExpert[] = [];
  for (const [id, expert] of upserted) {
    if (expert.personId !== undefined) return undefined;
    const at = index.get(id);
    if (at === undefined) {
      added.push(expert);
      continue;
    }
    if (prepared.personRecords.has(at) || prepared.experts[at]?.personId !== undefined)
      return undefined;
    changed.set(at, expert);
    stale[at] = 1;
    first = Math.min(first, at);
  }
  const removedAt: number[] = [];
  for (const id of removed) {
    const at = index.get(id);
    if (at === undefined) continue;
    removedAt.push(at);
    if (prepared.personRecords.has(at) || prepared.experts[at]?.personId !== undefined)
      return undefined;
    stale[at] = 1;
    first = Math.min(first, at);
  }
  added.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const addedAt = added.map((expert) => lowerBound(prepared.ids, expert.id));
  first = Math.min(first, addedAt[0] ?? n);

  // The new order: old records in order (changed ones in their place), each added record
  // before the first old record whose id is above its own.
  const plan = planPool(
    n,
    changed,
    removedAt,
    added.map((expert, k) => [expert, addedAt[k] as number] as const),
  );
  const { newIndexOf, size, fresh } = plan;
  const experts = assembleArray(prepared.experts, plan.pieces, (expert) => expert);
  const ids = assembleArray(prepared.ids, plan.pieces, (expert) => expert.id);

  const columns: ScalarColumns = {
    active: assembleColumn(prepared.active, plan, (k) => new Uint8Array(k)),
    termFrom: assembleColumn(prepared.termFrom, plan, (k) => new Int32Array(k)),
    termTo: assembleColumn(prepared.termTo, plan, (k) => new Int32Array(k)),
    standing: assembleColumn(prepared.standing, plan, (k) => new Uint8Array(k)),
    industryMask: assembleColumn(prepared.industryMask, plan, (k) => new Uint8Array(k)),
    comprehensive: assembleColumn(prepared.comprehensive, plan, (k) => new Uint8Array(k)),
    employer: assembleColumn(prepared.employer, plan, (k) => new Int32Array(k)),
    region: assembleColumn(prepared.region, plan, (k) => new Int32Array(k)),
    city: assembleColumn(prepared.city, plan, (k) => new Int32Array(k)),
    tier: assembleColumn(prepared.tier, plan, (k) => new Uint8Array(k)),
    titleRank: assembleColumn(prepared.titleRank, plan, (k) => new Uint8Array(k)),
    practiceYears: assembleColumn(prepared.practiceYears, plan, (k) => new Uint16Array(k)),
    profileDay: assembleColumn(prepared.profileDay, plan, (k) => new Int32Array(k)),
    idHash: assembleColumn(prepared.idHash, plan, (k) => new Uint32Array(k)),
  };
  const employers = growable(prepared.employerIndex);
  const regions = growable(prepared.regionIndex);
  const cities = growable(prepared.cityIndex);
  const specialties = growable(prepared.specialtyIndex);
  const interners = { employer: employers.intern, region: regions.intern, city: cities.intern };
  const days = new DayMemo();
  for (const [j, expert] of fresh) writeScalars(columns, interners, j, expert as Expert, days);

  // Specialties: the unchanged runs' rows copied, the fresh records' interned.
  const { start: specialtyStart, values: specialtyIds } = assembleRows(
    prepared.specialtyStart,
    prepared.specialtyIds,
    plan,
    (expert) => expert.specialties.map(specialties.intern),
  );

  const entries = renumberedEntries(prepared, plan, stale, first, columns.standing);

  const ageBarCache = new Map<string, Int32Array>();
  for (const [key, bars] of prepared.ageBarCache) {
    const age = ageOfBars.get(bars);
    if (age === undefined) continue;
    const next = assembleColumn(bars, plan, (k) => new Int32Array(k));
    for (const [j, expert] of fresh) next[j] = days.ageBarDay(expert as Expert, age);
    ageBarCache.set(key, next);
    ageOfBars.set(next, age);
  }

  const digestTree = splicedTree(tree, plan, options.sha256);
  const pool: PreparedPool = {
    ...prepared,
    ...columns,
    experts,
    size,
    ids,
    digest: digestTree.digest,
    digestTree,
    indexOf: index.moved(
      ids,
      newIndexOf,
      plan.added.map(([expert, at]) => [expert.id, at] as const),
    ),
    ...entries,
    employerIndex: employers.result(),
    regionIndex: regions.result(),
    cityIndex: cities.result(),
    specialtyStart,
    specialtyIds,
    specialtyIndex: specialties.result(),
    ageBarCache,
  };
  ascending.set(pool, true);
  if (options.ruleSet !== undefined) ageBarDays(pool, options.ruleSet, days);
  return pool;
}

/** The record hashes of the new pool, and its blocks: a block is rehashed only if its records moved or changed. */
function splicedTree(
  tree: PoolDigestTree,
  plan: PoolPlan<DrawExpert>,
  sha256: (() => Sha256Stream) | undefined,
): PoolDigestTree {
  const size = plan.size;
  const records = assembleArray(tree.records, plan.pieces, (expert) =>
    recordDigest(expert, sha256),
  );
  const reuse = (block: number): boolean => {
    if (block >= tree.blocks.length) return false;
    const start = block * POOL_DIGEST_BLOCK;
    const end = Math.min(size, start + POOL_DIGEST_BLOCK);
    if (Math.min(tree.records.length, start + POOL_DIGEST_BLOCK) !== end) return false;
    for (let k = start; k < end; k++) if (records[k] !== tree.records[k]) return false;
    return true;
  };
  return poolDigestTreeOf(records, sha256, (block) =>
    reuse(block) ? tree.blocks[block] : undefined,
  );
}
