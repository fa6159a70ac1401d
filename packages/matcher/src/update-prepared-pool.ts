import type { DrawExpert, Expert } from '@expert-dispatch/rules';
import { ageLimitExceededOn, type RuleSet, toEpochDay, toInstant } from '@expert-dispatch/rules';
import { canonicalJson, type Sha256Stream } from './canonical-json.js';
import { growable } from './growable-index.js';
import { updatePoolDigestTree } from './pool-digest.js';
import {
  ageBarDays,
  ageOfBars,
  NEVER,
  type PreparedPool,
  preparePool,
  type ScalarColumns,
  STANDING,
  writeScalars,
} from './prepare-pool.js';
import { splicePreparedPool } from './splice-prepared-pool.js';

/** Records changed since a pool was prepared: new or changed records, and ids gone from it. */
export interface PoolChange {
  /** New records and new versions of records, matched by id; they win over `removed`. */
  readonly upserted?: readonly DrawExpert[];
  readonly removed?: readonly string[];
}

/** As `preparePool`'s: a faster SHA-256, and the rule set whose age-limit days to precompute. */
export interface PoolUpdateOptions {
  readonly sha256?: () => Sha256Stream;
  readonly ruleSet?: RuleSet;
}

/**
 * The prepared pool after a change, equal for every draw to `preparePool` of the changed list
 * with `digest: 2` (the same digest, the same draws): the pool is not modified (draws in flight
 * keep reading it). New records go in code-unit order of id, as in a pool sorted by id.
 *
 * Changed records that keep their place and belong to no person of several records (the usual
 * profile update) are patched: their column entries, their leaves of the `pool-digest@2` tree
 * and the root — work proportional to the change, plus copying the typed columns (a few
 * hundred kilobytes at 100,000). Added or removed records in a pool sorted by id are spliced
 * in (`splicePreparedPool`: the unchanged runs copied to their new places, the blocks of the
 * tree after the first insertion or removal rehashed). Changes to records of a person with
 * several records, or to a pool not sorted by id or holding an id twice, re-index the pool (the
 * record hashes of unchanged records are reused, not recomputed). A pool prepared with the
 * version 1 digest is prepared afresh under version 1.
 *
 * @example
 * const next = updatePreparedPool(pool, { upserted: [changed], removed: ['e-9'] }, { sha256 });
 * next.digest; // as preparePool(list, { digest: 2 }).digest
 */
export function updatePreparedPool(
  prepared: PreparedPool,
  change: PoolChange,
  options: PoolUpdateOptions = {},
): PreparedPool {
  const upserted = new Map<string, DrawExpert>();
  for (const expert of change.upserted ?? []) upserted.set(expert.id, expert);
  const removed = new Set((change.removed ?? []).filter((id) => !upserted.has(id)));
  const tree = prepared.digestTree;
  const patched = new Map<number, DrawExpert>();
  let patchable = tree !== undefined;
  for (const id of removed) if (prepared.indexOf.has(id)) patchable = false;
  for (const [id, expert] of upserted) {
    if (!patchable) break;
    const index = prepared.indexOf.get(id);
    const old = index === undefined ? undefined : prepared.experts[index];
    if (
      index === undefined ||
      old === undefined ||
      prepared.personRecords.has(index) ||
      old.personId !== undefined ||
      expert.personId !== undefined
    ) {
      patchable = false;
    } else {
      patched.set(index, expert);
    }
  }
  if (!patchable || tree === undefined) {
    // An insertion or a removal moves the records after it: spliced in place where it can be.
    return (
      splicePreparedPool(prepared, upserted, removed, options) ??
      reindex(prepared, upserted, removed, options)
    );
  }
  if (patched.size === 0) return prepared;
  return patch(prepared, patched, options);
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function reindex(
  prepared: PreparedPool,
  upserted: ReadonlyMap<string, DrawExpert>,
  removed: ReadonlySet<string>,
  options: PoolUpdateOptions,
): PreparedPool {
  const kept: DrawExpert[] = [];
  for (const expert of prepared.experts) {
    const next = upserted.get(expert.id);
    if (next !== undefined) kept.push(next);
    else if (!removed.has(expert.id)) kept.push(expert);
  }
  const added = [...upserted.values()]
    .filter((expert) => !prepared.indexOf.has(expert.id))
    .sort((a, b) => byCodeUnits(a.id, b.id));
  const list: DrawExpert[] = [];
  let k = 0;
  for (const expert of added) {
    while (k < kept.length && byCodeUnits((kept[k] as DrawExpert).id, expert.id) < 0) {
      list.push(kept[k] as DrawExpert);
      k++;
    }
    list.push(expert);
  }
  while (k < kept.length) list.push(kept[k++] as DrawExpert);
  const tree = prepared.digestTree;
  if (tree === undefined) {
    return preparePool(list, options);
  }
  // Unchanged records are the same objects: their hashes are reused.
  const known = new Map<DrawExpert, string>();
  prepared.experts.forEach((expert, index) => {
    const digest = tree.records[index];
    if (digest !== undefined) known.set(expert, digest);
  });
  return preparePool(list, {
    ...options,
    digest: 2,
    knownRecordDigests: (index) => known.get(list[index] as DrawExpert),
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

function patch(
  prepared: PreparedPool,
  changed: ReadonlyMap<number, DrawExpert>,
  options: PoolUpdateOptions,
): PreparedPool {
  const experts = prepared.experts.slice();
  const olds = new Map<number, Expert>();
  for (const [i, expert] of changed) {
    olds.set(i, prepared.experts[i] as Expert);
    experts[i] = expert;
  }
  const columns: ScalarColumns = {
    active: prepared.active.slice(),
    termFrom: prepared.termFrom.slice(),
    termTo: prepared.termTo.slice(),
    standing: prepared.standing.slice(),
    industryMask: prepared.industryMask.slice(),
    comprehensive: prepared.comprehensive.slice(),
    employer: prepared.employer.slice(),
    region: prepared.region.slice(),
    city: prepared.city.slice(),
    tier: prepared.tier.slice(),
    titleRank: prepared.titleRank.slice(),
    practiceYears: prepared.practiceYears.slice(),
    profileDay: prepared.profileDay.slice(),
    idHash: prepared.idHash.slice(),
  };
  const employers = growable(prepared.employerIndex);
  const regions = growable(prepared.regionIndex);
  const cities = growable(prepared.cityIndex);
  const specialties = growable(prepared.specialtyIndex);
  const interners = {
    employer: employers.intern,
    region: regions.intern,
    city: cities.intern,
  };

  let reappointed = prepared.reappointed;
  let conflicts = prepared.conflictsByOrganization;
  let warningDays = prepared.warningDays;
  let specialtyChanged = false;
  let unavailableChanged = false;
  for (const [i, expert] of changed) {
    const old = olds.get(i) as Expert;
    writeScalars(columns, interners, i, expert as Expert);
    // Re-appointed after a disqualification: as preparePool decides it.
    const term = expert.appointment;
    const isReappointed =
      expert.disqualifiedOn !== undefined &&
      columns.standing[i] !== STANDING.disqualified &&
      Boolean(term);
    if (isReappointed || reappointed.has(i)) {
      const next = new Map(reappointed);
      if (isReappointed && term && expert.disqualifiedOn !== undefined) {
        next.set(i, { disqualifiedOn: expert.disqualifiedOn, from: term.from });
      } else {
        next.delete(i);
      }
      reappointed = next;
    }
    if (!sameJson(old.specialties, expert.specialties)) specialtyChanged = true;
    if (!sameJson(old.unavailable, expert.unavailable)) unavailableChanged = true;
    if (!sameJson(old.conflicts, expert.conflicts)) {
      const next = new Map(conflicts);
      for (const conflict of old.conflicts) {
        const list = (next.get(conflict.organizationId) ?? []).filter((index) => index !== i);
        if (list.length === 0) next.delete(conflict.organizationId);
        else next.set(conflict.organizationId, list);
      }
      for (const conflict of expert.conflicts) {
        const list = [...(next.get(conflict.organizationId) ?? [])];
        let at = list.length;
        while (at > 0 && (list[at - 1] as number) > i) at--;
        list.splice(at, 0, i);
        next.set(conflict.organizationId, list);
      }
      conflicts = next;
    }
    if (!sameJson(old.warnings, expert.warnings)) {
      const next = new Map(warningDays);
      if (expert.warnings !== undefined && expert.warnings.length > 0) {
        next.set(i, Int32Array.from(expert.warnings, (warning) => toEpochDay(warning.on)).sort());
      } else {
        next.delete(i);
      }
      warningDays = next;
    }
  }

  let { specialtyStart, specialtyIds } = prepared;
  if (specialtyChanged) {
    const size = prepared.size;
    const ids: number[] = [];
    const start = new Int32Array(size + 1);
    const order = [...changed.keys()].sort((a, b) => a - b);
    let from = 0;
    const copyRange = (to: number) => {
      // Records from..to-1 are unchanged: copy their rows and shift their starts.
      const shift = ids.length - (prepared.specialtyStart[from] as number);
      const begin = prepared.specialtyStart[from] as number;
      const end = prepared.specialtyStart[to] as number;
      for (let r = from; r < to; r++) start[r] = (prepared.specialtyStart[r] as number) + shift;
      for (let k = begin; k < end; k++) ids.push(prepared.specialtyIds[k] as number);
    };
    for (const i of order) {
      copyRange(i);
      start[i] = ids.length;
      for (const specialty of (changed.get(i) as DrawExpert).specialties) {
        ids.push(specialties.intern(specialty));
      }
      from = i + 1;
    }
    copyRange(size);
    start[size] = ids.length;
    specialtyStart = start;
    specialtyIds = Int32Array.from(ids);
  }

  let { unavailableExpert, unavailableFrom, unavailableTo } = prepared;
  if (unavailableChanged) {
    // The order of the entries does not matter to a draw (each marks its record).
    const expertList: number[] = [];
    const fromList: number[] = [];
    const toList: number[] = [];
    for (let k = 0; k < unavailableExpert.length; k++) {
      if (changed.has(unavailableExpert[k] as number)) continue;
      expertList.push(unavailableExpert[k] as number);
      fromList.push(unavailableFrom[k] as number);
      toList.push(unavailableTo[k] as number);
    }
    for (const [i, expert] of changed) {
      for (const period of expert.unavailable) {
        expertList.push(i);
        fromList.push(toInstant(period.from));
        toList.push(toInstant(period.to));
      }
    }
    unavailableExpert = Int32Array.from(expertList);
    unavailableFrom = Float64Array.from(fromList);
    unavailableTo = Float64Array.from(toList);
  }

  const ageBarCache = new Map<string, Int32Array>();
  for (const [key, bars] of prepared.ageBarCache) {
    const age = ageOfBars.get(bars);
    if (age === undefined) continue;
    const next = bars.slice();
    for (const [i, expert] of changed) {
      const over = ageLimitExceededOn(expert as Expert, { age });
      next[i] = over === null ? NEVER : toEpochDay(over);
    }
    ageBarCache.set(key, next);
    ageOfBars.set(next, age);
  }

  const digestTree = updatePoolDigestTree(
    prepared.digestTree as NonNullable<PreparedPool['digestTree']>,
    changed,
    options.sha256,
  );
  const pool: PreparedPool = {
    ...prepared,
    ...columns,
    experts,
    digest: digestTree.digest,
    digestTree,
    reappointed,
    employerIndex: employers.result(),
    regionIndex: regions.result(),
    cityIndex: cities.result(),
    specialtyStart,
    specialtyIds,
    specialtyIndex: specialties.result(),
    conflictsByOrganization: conflicts,
    unavailableExpert,
    unavailableFrom,
    unavailableTo,
    warningDays,
    ageBarCache,
  };
  if (options.ruleSet !== undefined) ageBarDays(pool, options.ruleSet);
  return pool;
}
