import type { DrawExpert, Expert, RuleSet } from '@expert-dispatch/rules';
import { toEpochDay, toInstant } from '@expert-dispatch/rules';
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
  ageBarDays,
  ageOfBars,
  type PreparedPool,
  type ScalarColumns,
  STANDING,
  writeScalars,
} from './prepare-pool.js';

/**
 * The new pool as pieces: runs of unchanged old records (old `from`…`to`, now at `at`…) and
 * single new or changed records (now at `at`).
 */
type Piece =
  | { readonly from: number; readonly to: number; readonly at: number }
  | { readonly fresh: DrawExpert; readonly at: number };

type TypedColumn = Uint8Array | Uint16Array | Int32Array | Uint32Array;

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

function remapped<T extends TypedColumn>(
  old: T,
  size: number,
  pieces: readonly Piece[],
  make: (length: number) => T,
): T {
  const next = make(size);
  for (const piece of pieces) {
    if ('from' in piece) next.set(old.subarray(piece.from, piece.to), piece.at);
  }
  return next;
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
  const newIndexOf = new Int32Array(n);
  const staleAt = [...changed.keys(), ...removedAt].sort((x, y) => x - y);
  const expertParts: (readonly DrawExpert[])[] = [];
  const idParts: (readonly string[])[] = [];
  const pieces: Piece[] = [];
  const fresh: [number, DrawExpert][] = [];
  const addedIds: [string, number][] = [];
  let at = 0;
  const pushFresh = (expert: DrawExpert) => {
    pieces.push({ fresh: expert, at });
    fresh.push([at, expert]);
    expertParts.push([expert]);
    idParts.push([expert.id]);
    at++;
  };
  // Walk the old pool from change to change, copying the runs between them whole.
  let r = 0;
  let a = 0;
  let s = 0;
  for (;;) {
    const nextAdd = a < added.length ? (addedAt[a] as number) : n + 1;
    const nextStale = s < staleAt.length ? (staleAt[s] as number) : n + 1;
    const stop = Math.min(nextAdd, nextStale, n);
    if (stop > r) {
      pieces.push({ from: r, to: stop, at });
      for (let k = r; k < stop; k++) newIndexOf[k] = k - r + at;
      expertParts.push(prepared.experts.slice(r, stop));
      idParts.push(prepared.ids.slice(r, stop));
      at += stop - r;
      r = stop;
    }
    if (nextAdd === stop) {
      // A new record goes before the old record at its place.
      addedIds.push([(added[a] as DrawExpert).id, at]);
      pushFresh(added[a] as DrawExpert);
      a++;
      continue;
    }
    if (stop === n) break;
    const next = changed.get(stop);
    if (next === undefined) {
      newIndexOf[stop] = -1;
    } else {
      newIndexOf[stop] = at;
      pushFresh(next);
    }
    r = stop + 1;
    s++;
  }
  const experts = ([] as DrawExpert[]).concat(...expertParts);
  const ids = ([] as string[]).concat(...idParts);
  const size = experts.length;

  const columns: ScalarColumns = {
    active: remapped(prepared.active, size, pieces, (k) => new Uint8Array(k)),
    termFrom: remapped(prepared.termFrom, size, pieces, (k) => new Int32Array(k)),
    termTo: remapped(prepared.termTo, size, pieces, (k) => new Int32Array(k)),
    standing: remapped(prepared.standing, size, pieces, (k) => new Uint8Array(k)),
    industryMask: remapped(prepared.industryMask, size, pieces, (k) => new Uint8Array(k)),
    comprehensive: remapped(prepared.comprehensive, size, pieces, (k) => new Uint8Array(k)),
    employer: remapped(prepared.employer, size, pieces, (k) => new Int32Array(k)),
    region: remapped(prepared.region, size, pieces, (k) => new Int32Array(k)),
    city: remapped(prepared.city, size, pieces, (k) => new Int32Array(k)),
    tier: remapped(prepared.tier, size, pieces, (k) => new Uint8Array(k)),
    titleRank: remapped(prepared.titleRank, size, pieces, (k) => new Uint8Array(k)),
    practiceYears: remapped(prepared.practiceYears, size, pieces, (k) => new Uint16Array(k)),
    profileDay: remapped(prepared.profileDay, size, pieces, (k) => new Int32Array(k)),
    idHash: remapped(prepared.idHash, size, pieces, (k) => new Uint32Array(k)),
  };
  const employers = growable(prepared.employerIndex);
  const regions = growable(prepared.regionIndex);
  const cities = growable(prepared.cityIndex);
  const specialties = growable(prepared.specialtyIndex);
  const interners = { employer: employers.intern, region: regions.intern, city: cities.intern };
  const days = new DayMemo();
  for (const [j, expert] of fresh) writeScalars(columns, interners, j, expert as Expert, days);

  // Specialties: the unchanged runs' rows copied, the fresh records' interned.
  const specialtyStart = new Int32Array(size + 1);
  let specialtyIds = prepared.specialtyIds;
  {
    let length = 0;
    for (const piece of pieces) {
      if ('from' in piece) {
        length +=
          (prepared.specialtyStart[piece.to] as number) -
          (prepared.specialtyStart[piece.from] as number);
      } else {
        length += piece.fresh.specialties.length;
      }
    }
    const ids32 = new Int32Array(length);
    let at = 0;
    for (const piece of pieces) {
      if ('from' in piece) {
        const begin = prepared.specialtyStart[piece.from] as number;
        const end = prepared.specialtyStart[piece.to] as number;
        const shift = at - begin;
        for (let r = piece.from; r < piece.to; r++) {
          specialtyStart[piece.at + r - piece.from] =
            (prepared.specialtyStart[r] as number) + shift;
        }
        ids32.set(prepared.specialtyIds.subarray(begin, end), at);
        at += end - begin;
      } else {
        specialtyStart[piece.at] = at;
        for (const specialty of piece.fresh.specialties)
          ids32[at++] = specialties.intern(specialty);
      }
    }
    specialtyStart[size] = at;
    specialtyIds = ids32;
  }

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

  const unavailableExpert: number[] = [];
  const unavailableFrom: number[] = [];
  const unavailableTo: number[] = [];
  for (let k = 0; k < prepared.unavailableExpert.length; k++) {
    const i = prepared.unavailableExpert[k] as number;
    if (stale[i] === 1) continue;
    unavailableExpert.push(move(i));
    unavailableFrom.push(prepared.unavailableFrom[k] as number);
    unavailableTo.push(prepared.unavailableTo[k] as number);
  }
  for (const [j, expert] of fresh) {
    for (const period of expert.unavailable) {
      unavailableExpert.push(j);
      unavailableFrom.push(toInstant(period.from));
      unavailableTo.push(toInstant(period.to));
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
    if (
      expert.disqualifiedOn !== undefined &&
      columns.standing[j] !== STANDING.disqualified &&
      term
    ) {
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

  const ageBarCache = new Map<string, Int32Array>();
  for (const [key, bars] of prepared.ageBarCache) {
    const age = ageOfBars.get(bars);
    if (age === undefined) continue;
    const next = remapped(bars, size, pieces, (k) => new Int32Array(k));
    for (const [j, expert] of fresh) next[j] = days.ageBarDay(expert as Expert, age);
    ageBarCache.set(key, next);
    ageOfBars.set(next, age);
  }

  const digestTree = splicedTree(tree, pieces, size, options.sha256);
  const pool: PreparedPool = {
    ...prepared,
    ...columns,
    experts,
    size,
    ids,
    digest: digestTree.digest,
    digestTree,
    indexOf: index.moved(ids, newIndexOf, addedIds),
    reappointed,
    employerIndex: employers.result(),
    regionIndex: regions.result(),
    cityIndex: cities.result(),
    specialtyStart,
    specialtyIds,
    specialtyIndex: specialties.result(),
    personRecords,
    conflictsByOrganization,
    unavailableExpert: Int32Array.from(unavailableExpert),
    unavailableFrom: Float64Array.from(unavailableFrom),
    unavailableTo: Float64Array.from(unavailableTo),
    warningDays,
    ageBarCache,
  };
  ascending.set(pool, true);
  if (options.ruleSet !== undefined) ageBarDays(pool, options.ruleSet, days);
  return pool;
}

/** The record hashes of the new pool, and its blocks: a block is rehashed only if its records moved or changed. */
function splicedTree(
  tree: PoolDigestTree,
  pieces: readonly Piece[],
  size: number,
  sha256: (() => Sha256Stream) | undefined,
): PoolDigestTree {
  const records = ([] as string[]).concat(
    ...pieces.map((piece) =>
      'from' in piece
        ? tree.records.slice(piece.from, piece.to)
        : [recordDigest(piece.fresh, sha256)],
    ),
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
