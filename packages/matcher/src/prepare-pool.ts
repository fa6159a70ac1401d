import {
  type DrawExpert,
  type Expert,
  industries,
  type RuleSet,
  rankTitle,
  type Tier,
  tiers,
  toEpochDay,
  toInstant,
  yunnanGmy2025,
} from '@expert-dispatch/rules';
import { digestList, type Sha256Stream } from './canonical-json.js';
import { DayMemo, NEVER } from './day-memo.js';
import { drawExpertJson } from './draw-expert-json.js';
import { personRecordsOf } from './person-records.js';
import { type PoolDigestTree, type PoolDigestVersion, poolDigestTree } from './pool-digest.js';
import { PoolIndex } from './pool-index.js';

export { NEVER };

/** States whose term `appointment-in-force` reads (the others are not in force, 第十一条). */
const APPOINTED_STATES: ReadonlySet<string> = new Set([
  'active',
  'suspended',
  'dismissed',
  'withdrawn',
]);

/** Good-standing causes, in the order `checkGoodStanding` tests them; 0 is in good standing. */
export const STANDING = { ok: 0, disqualified: 1, dismissed: 2, withdrawn: 3, suspended: 4 };

/**
 * A pool indexed once for many draws: columns of typed arrays for everything that does not
 * depend on the task (appointment days, birthdays turned into age-limit days, industries as
 * bitmasks, employers and regions interned), and the SHA-256 of the pool for draw digests.
 * Treat it as read-only; prepare again when the pool changes.
 */
export interface PreparedPool {
  readonly kind: 'prepared-pool';
  readonly experts: readonly DrawExpert[];
  readonly size: number;
  /** The experts' ids, in pool order. */
  readonly ids: readonly string[];
  /**
   * The pool's digest: SHA-256 of the canonical JSON of `experts`, in order (version 1), or the
   * root of its `pool-digest@2` hash tree (see `PoolDigestVersion`).
   */
  readonly digest: string;
  /** The `pool-digest@2` hash tree, kept so that `updatePreparedPool` rehashes only the change. */
  readonly digestTree?: PoolDigestTree;
  readonly indexOf: ReadonlyMap<string, number>;
  readonly active: Uint8Array;
  /** Sealed term bounds as epoch days; an unsealed or missing term is `NEVER`…`-NEVER`. */
  readonly termFrom: Int32Array;
  readonly termTo: Int32Array;
  readonly standing: Uint8Array;
  /**
   * Experts disqualified before their current appointment began, by pool index: whether that
   * appointment restores them depends on the rule set's bar (第十六条（三）), so `screenPool`
   * decides them; `standing` counts them as in good standing.
   */
  readonly reappointed: ReadonlyMap<
    number,
    { readonly disqualifiedOn: string; readonly from: string }
  >;
  readonly industryMask: Uint8Array;
  readonly comprehensive: Uint8Array;
  readonly employer: Int32Array;
  readonly employerIndex: ReadonlyMap<string, number>;
  readonly region: Int32Array;
  readonly regionIndex: ReadonlyMap<string, number>;
  readonly city: Int32Array;
  readonly cityIndex: ReadonlyMap<string, number>;
  readonly tier: Uint8Array;
  readonly titleRank: Uint8Array;
  readonly practiceYears: Uint16Array;
  /** Specialties per expert as interned ids, compressed rows: `specialtyIds[specialtyStart[i]…]`. */
  readonly specialtyStart: Int32Array;
  readonly specialtyIds: Int32Array;
  readonly specialtyIndex: ReadonlyMap<string, number>;
  readonly profileDay: Int32Array;
  /** FNV-1a of the id: an order-independent key for seeded tie-breaks. */
  readonly idHash: Uint32Array;
  /**
   * For every record of a person who holds several records in the pool (a shared `personId`):
   * the pool indices of all that person's records, ascending. Records of a person of their own
   * are absent. What a record declares about the person — declared conflicts, unavailable
   * periods, recorded warnings — is indexed under every record of the person.
   */
  readonly personRecords: ReadonlyMap<number, readonly number[]>;
  readonly conflictsByOrganization: ReadonlyMap<string, readonly number[]>;
  readonly unavailableExpert: Int32Array;
  readonly unavailableFrom: Float64Array;
  readonly unavailableTo: Float64Array;
  /**
   * Epoch days of recorded warnings (第二十三条), ascending, for the experts who have any — for a
   * person with several records, the warnings of all of them under each.
   */
  readonly warningDays: ReadonlyMap<number, Int32Array>;
  /** Per age-limit pair, the first epoch day on which each expert is over the limit. */
  readonly ageBarCache: Map<string, Int32Array>;
}

/**
 * True for a pool made by {@link preparePool}.
 *
 * @example
 * isPreparedPool(preparePool(experts)); // true; isPreparedPool(experts) is false
 */
export function isPreparedPool(value: unknown): value is PreparedPool {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'prepared-pool'
  );
}

/**
 * Indexes a pool once so that each draw reads typed arrays instead of expert objects.
 * Pass the rule set you will mostly draw with to precompute its age-limit days.
 *
 * @example
 * const pool = preparePool(experts, { sha256: () => createHash('sha256') }); // node:crypto
 * selectPanel({ task, experts: pool, now, seed: 't-1' });
 */
export function preparePool(
  experts: readonly DrawExpert[],
  options: {
    readonly ruleSet?: RuleSet;
    /** A faster SHA-256 for the digest (same digest), e.g. `() => createHash('sha256')`. */
    readonly sha256?: () => Sha256Stream;
    /**
     * The digest's definition (`PoolDigestVersion`): 1, the default, is the SHA-256 of the whole
     * pool that every older draw stored; 2 (`pool-digest@2`) is the hash tree that
     * `updatePreparedPool` updates per changed record. Replay a stored draw with
     * `poolDigestVersionOf(storedDigest)`.
     */
    readonly digest?: PoolDigestVersion;
    /** Record hashes already known (`pool-digest@2` only), by pool index: not hashed again. */
    readonly knownRecordDigests?: (index: number) => string | undefined;
  } = {},
): PreparedPool {
  const size = experts.length;
  const employers = new Interner();
  const regions = new Interner();
  const cities = new Interner();
  const specialties = new Interner();
  const active = new Uint8Array(size);
  const termFrom = new Int32Array(size);
  const termTo = new Int32Array(size);
  const standing = new Uint8Array(size);
  const industryMask = new Uint8Array(size);
  const comprehensive = new Uint8Array(size);
  const employer = new Int32Array(size);
  const region = new Int32Array(size);
  const city = new Int32Array(size);
  const tier = new Uint8Array(size);
  const titleRank = new Uint8Array(size);
  const practiceYears = new Uint16Array(size);
  const specialtyStart = new Int32Array(size + 1);
  const specialtyList: number[] = [];
  const profileDay = new Int32Array(size);
  const idHash = new Uint32Array(size);
  const conflictsByOrganization = new Map<string, number[]>();
  const unavailable: [number, number, number][] = [];
  const warningDays = new Map<number, Int32Array>();
  const reappointed = new Map<number, { disqualifiedOn: string; from: string }>();
  const personRecords = personRecordsOf(experts);
  const recordsOf = (i: number): readonly number[] => personRecords.get(i) ?? [i];

  const columns: ScalarColumns = {
    active,
    termFrom,
    termTo,
    standing,
    industryMask,
    comprehensive,
    employer,
    region,
    city,
    tier,
    titleRank,
    practiceYears,
    profileDay,
    idHash,
  };
  const interners: ScalarInterners = {
    employer: (value) => employers.intern(value),
    region: (value) => regions.intern(value),
    city: (value) => cities.intern(value),
  };
  const days = new DayMemo();

  for (let i = 0; i < size; i++) {
    const expert = experts[i] as Expert;
    writeScalars(columns, interners, i, expert, days);
    const term = expert.appointment;
    if (expert.disqualifiedOn !== undefined && standing[i] !== STANDING.disqualified && term) {
      reappointed.set(i, { disqualifiedOn: expert.disqualifiedOn, from: term.from });
    }
    specialtyStart[i] = specialtyList.length;
    for (const specialty of expert.specialties) specialtyList.push(specialties.intern(specialty));
    // A declared interest (第八条（四）), a declared absence (第十五条) and a warning (约谈、
    // 警告, 第二十三条) are about the person, so they count under each of the person's records.
    for (const conflict of expert.conflicts) {
      const list = conflictsByOrganization.get(conflict.organizationId);
      if (list === undefined)
        conflictsByOrganization.set(conflict.organizationId, [...recordsOf(i)]);
      else list.push(...recordsOf(i));
    }
    for (const period of expert.unavailable) {
      for (const record of recordsOf(i)) {
        unavailable.push([record, toInstant(period.from), toInstant(period.to)]);
      }
    }
    if (expert.warnings !== undefined && expert.warnings.length > 0) {
      const days = Int32Array.from(expert.warnings, (warning) => toEpochDay(warning.on));
      warningDays.set(i, days.sort());
    }
  }
  for (const [i, records] of personRecords) {
    const days = records.flatMap((record) =>
      (experts[record]?.warnings ?? []).map((warning) => toEpochDay(warning.on)),
    );
    if (days.length > 0) warningDays.set(i, Int32Array.from(days).sort());
  }
  specialtyStart[size] = specialtyList.length;
  const digestTree =
    options.digest === 2
      ? poolDigestTree(experts, options.sha256, options.knownRecordDigests)
      : undefined;

  const ids = experts.map((expert) => expert.id);
  const pool: PreparedPool = {
    kind: 'prepared-pool',
    experts,
    size,
    ids,
    digest: digestTree?.digest ?? digestList(experts, options.sha256, drawExpertJson),
    ...(digestTree === undefined ? {} : { digestTree }),
    indexOf: PoolIndex.of(ids),
    active,
    termFrom,
    termTo,
    standing,
    reappointed,
    industryMask,
    comprehensive,
    employer,
    employerIndex: employers.index,
    region,
    regionIndex: regions.index,
    city,
    cityIndex: cities.index,
    tier,
    titleRank,
    practiceYears,
    specialtyStart,
    specialtyIds: Int32Array.from(specialtyList),
    specialtyIndex: specialties.index,
    profileDay,
    idHash,
    personRecords,
    conflictsByOrganization,
    unavailableExpert: Int32Array.from(unavailable, (entry) => entry[0]),
    unavailableFrom: Float64Array.from(unavailable, (entry) => entry[1]),
    unavailableTo: Float64Array.from(unavailable, (entry) => entry[2]),
    warningDays,
    ageBarCache: new Map(),
  };
  ageBarDays(pool, options.ruleSet ?? yunnanGmy2025, days);
  return pool;
}

/**
 * The first epoch day on which each expert is over the age limit of 第九条（五）
 * (`ageLimitExceededOn`: the birthday of age `limit + 1`, or the day after an approved waiver's
 * last date). `NEVER` under a waiver recorded without a limit (old draw inputs).
 * `ageOn(birth, d) > limit` exactly when `d >= addYears(birth, limit + 1)`.
 */
export function ageBarDays(
  pool: PreparedPool,
  ruleSet: RuleSet,
  days: DayMemo = new DayMemo(),
): Int32Array {
  const key = `${ruleSet.age.limit}/${ruleSet.age.outstandingLimit}`;
  const cached = pool.ageBarCache.get(key);
  if (cached !== undefined) return cached;
  const bars = new Int32Array(pool.size);
  for (let i = 0; i < pool.size; i++)
    bars[i] = days.ageBarDay(pool.experts[i] as Expert, ruleSet.age);
  pool.ageBarCache.set(key, bars);
  ageOfBars.set(bars, ruleSet.age);
  return bars;
}

/** The age rules each cached age-bar column was computed with, for `updatePreparedPool`. */
export const ageOfBars = new WeakMap<Int32Array, RuleSet['age']>();

/** Bit of each industry in an industry mask, in vocabulary order. */
export function industryMaskOf(list: readonly string[]): number {
  let mask = 0;
  for (const industry of list) {
    const bit = industries.values.indexOf(industry as (typeof industries.values)[number]);
    if (bit >= 0) mask |= 1 << bit;
  }
  return mask;
}

/** The columns of {@link PreparedPool} that hold one number per record, read from it alone. */
export interface ScalarColumns {
  readonly active: Uint8Array;
  readonly termFrom: Int32Array;
  readonly termTo: Int32Array;
  readonly standing: Uint8Array;
  readonly industryMask: Uint8Array;
  readonly comprehensive: Uint8Array;
  readonly employer: Int32Array;
  readonly region: Int32Array;
  readonly city: Int32Array;
  readonly tier: Uint8Array;
  readonly titleRank: Uint8Array;
  readonly practiceYears: Uint16Array;
  readonly profileDay: Int32Array;
  readonly idHash: Uint32Array;
}

/** Interned ids of employers, counties and cities. */
export interface ScalarInterners {
  readonly employer: (value: string) => number;
  readonly region: (value: string) => number;
  readonly city: (value: string) => number;
}

/** Writes record `i`'s entries of the one-number-per-record columns (`preparePool`'s, and `updatePreparedPool`'s for a changed record). */
export function writeScalars(
  columns: ScalarColumns,
  intern: ScalarInterners,
  i: number,
  expert: Expert,
  days: DayMemo = new DayMemo(),
): void {
  // Suspended, dismissed and withdrawn experts fail `good-standing`, not `appointment-in-force`.
  columns.active[i] = APPOINTED_STATES.has(expert.status) ? 1 : 0;
  const term = expert.appointment;
  columns.termFrom[i] = term?.sealed ? days.epochDay(term.from) : NEVER;
  columns.termTo[i] = term?.sealed ? days.epochDay(term.to) : -NEVER;
  columns.standing[i] = standingOf(expert);
  columns.industryMask[i] = industryMaskOf(expert.industries);
  columns.comprehensive[i] = expert.group === 'comprehensive' ? 1 : 0;
  columns.employer[i] = intern.employer(expert.employer.id);
  columns.region[i] = intern.region(expert.region);
  columns.city[i] = intern.city(`${expert.region.slice(0, 4)}00`);
  columns.tier[i] = tiers.values.indexOf(expert.tier as Tier);
  columns.titleRank[i] = rankTitle(expert.title);
  columns.practiceYears[i] = expert.practiceYears;
  columns.profileDay[i] = days.shanghaiDay(expert.profileUpdatedAt);
  columns.idHash[i] = fnv1a(expert.id);
}

function standingOf(expert: Expert): number {
  const disqualifiedOn = expert.disqualifiedOn;
  if (
    disqualifiedOn !== undefined &&
    (expert.appointment === null || expert.appointment.from <= disqualifiedOn)
  ) {
    return STANDING.disqualified;
  }
  if (expert.status === 'dismissed') return STANDING.dismissed;
  if (expert.status === 'withdrawn') return STANDING.withdrawn;
  if (expert.status === 'suspended') return STANDING.suspended;
  return STANDING.ok;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

class Interner {
  readonly index = new Map<string, number>();
  intern(value: string): number {
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.index.size;
      this.index.set(value, id);
    }
    return id;
  }
}
