import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ExclusionRecord,
  expandExclusions,
  isCompactExclusions,
} from './compact-exclusions.js';
import { REASON_SET_EXCLUSIONS, reasonSetExclusions, reasonsHolding } from './exclusion-sets.js';

const REASONS = ['age-limit', 'industry-expertise', 'availability', 'appointment-in-force'];

/** The matcher's grouping: experts by their exact combination of reasons, in order of first appearance. */
function recordOf(ids: readonly string[], maskOf: readonly number[]): ExclusionRecord {
  const groups = new Map<number, string[]>();
  ids.forEach((id, i) => {
    const mask = maskOf[i] ?? 0;
    if (mask === 0) return;
    const members = groups.get(mask) ?? [];
    members.push(id);
    groups.set(mask, members);
  });
  return {
    funnel: { pool: ids.length },
    eligible: maskOf.filter((mask) => mask === 0).length,
    excluded: [...groups].map(([mask, expertIds]) => ({
      reasons: REASONS.filter((_, bit) => mask & (1 << bit)),
      expertIds,
    })),
    exclusionReasons: { 'age-limit': { article: '第十三条' } },
  };
}

/** A well-mixed 32-bit hash of an integer (murmur3's finalizer), for scattered test sets. */
function mixed(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const pools = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 400 })
  .chain((ids) =>
    fc.tuple(
      fc.constant(ids),
      fc.array(fc.integer({ min: 0, max: 15 }), { minLength: ids.length, maxLength: ids.length }),
    ),
  );

const roundTrip = (record: ExclusionRecord, ids: readonly string[]) => {
  const compact = reasonSetExclusions(record, ids, new Map(ids.map((id, i) => [id, i])));
  if (compact === null) throw new Error('not compacted');
  const sets = new Map(compact.sets.map((set) => [set.hash, set.indices]));
  return {
    compact,
    expanded: expandExclusions(JSON.parse(JSON.stringify(compact.stored)), ids, sets),
  };
};

describe('exclusion records as one index set per reason (pool-indices@2)', () => {
  it('gives back the very record the matcher gave, for any pool and combination of reasons', () => {
    fc.assert(
      fc.property(pools, ([ids, maskOf]) => {
        const record = recordOf(ids, maskOf);
        const { compact, expanded } = roundTrip(record, ids);
        expect(isCompactExclusions(compact.stored)).toBe(true);
        expect(expanded).toEqual(record);
      }),
      { numRuns: 200 },
    );
  });

  it('stores a large set once by hash, the same hash for two draws that exclude the same experts for a reason', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `e-${i}`);
    // Scattered over the pool, as in a real one (a regular pattern deflates to a few bytes).
    const scattered = (i: number, every: number) => mixed(i * 31 + every) % every === 0;
    const aged = (i: number) => (scattered(i, 7) ? 1 : 0);
    const first = roundTrip(
      recordOf(
        ids,
        ids.map((_, i) => aged(i) | (scattered(i, 3) ? 2 : 0)),
      ),
      ids,
    );
    const second = roundTrip(
      recordOf(
        ids,
        ids.map((_, i) => aged(i) | (scattered(i, 5) ? 2 : 0)),
      ),
      ids,
    );
    const setOf = (stored: Record<string, unknown>, reason: string) =>
      (stored.reasonSets as { reason: string; set?: string }[]).find(
        (entry) => entry.reason === reason,
      )?.set;
    expect(first.compact.stored.encoding).toBe(REASON_SET_EXCLUSIONS);
    expect(setOf(first.compact.stored, 'age-limit')).toMatch(/^[0-9a-f]{64}$/);
    expect(setOf(first.compact.stored, 'age-limit')).toBe(
      setOf(second.compact.stored, 'age-limit'),
    );
    expect(setOf(first.compact.stored, 'industry-expertise')).not.toBe(
      setOf(second.compact.stored, 'industry-expertise'),
    );
    expect(JSON.stringify(first.compact.stored).length).toBeLessThan(1000);
  });

  it('declines a record whose ids do not map onto the pool, so the draw keeps the per-group form', () => {
    const ids = ['e-1', 'e-2'];
    const record = recordOf(ids, [1, 2]);
    const twice = {
      ...record,
      excluded: [...record.excluded, { reasons: ['availability'], expertIds: ['e-1'] }],
    };
    expect(reasonSetExclusions(twice, ids, new Map(ids.map((id, i) => [id, i])))).toBeNull();
    expect(reasonSetExclusions(record, ids, new Map([['e-1', 0]]))).toBeNull();
  });
});

describe('industry exclusions named by the pool industry sets (#17)', () => {
  const size = 3000;
  const all = ['mining', 'chemicals', 'machinery', 'metallurgy', 'construction'];
  const experts = Array.from({ length: size }, (_, i) => ({
    id: `e-${String(i).padStart(5, '0')}`,
    industries: all.filter((_, k) => mixed(i * 7 + k) % 4 === 0),
    group: mixed(i) % 13 === 0 ? 'comprehensive' : 'specialist',
  }));
  const ids = experts.map((expert) => expert.id);
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  /** The matcher's rule: in none of the task's industries and not comprehensive. */
  const outsideOf = (task: readonly string[]) =>
    ids.filter(
      (_, i) =>
        experts[i]?.group !== 'comprehensive' &&
        !(experts[i]?.industries ?? []).some((industry) => task.includes(industry)),
    );
  const recordFor = (expertIds: string[]): ExclusionRecord => ({
    funnel: { pool: size },
    eligible: size - expertIds.length,
    excluded: [{ reasons: ['industry-expertise'], expertIds }],
    exclusionReasons: {},
  });

  it('names the industry sets instead of storing the task own set, and two tasks share them', () => {
    const first = reasonSetExclusions(recordFor(outsideOf(['mining'])), ids, indexOf, experts);
    const second = reasonSetExclusions(
      recordFor(outsideOf(['mining', 'chemicals'])),
      ids,
      indexOf,
      experts,
    );
    const entryOf = (compact: typeof first) =>
      ((compact?.stored.reasonSets ?? []) as { complementOf?: string[] }[])[0]?.complementOf ?? [];
    expect(entryOf(first).length).toBe(2); // mining and comprehensive
    expect(entryOf(second).length).toBe(3);
    expect(entryOf(second)).toEqual(expect.arrayContaining(entryOf(first)));
    for (const [compact, task] of [
      [first, ['mining']],
      [second, ['mining', 'chemicals']],
    ] as const) {
      const sets = new Map((compact?.sets ?? []).map((set) => [set.hash, set.indices]));
      const expanded = expandExclusions(JSON.parse(JSON.stringify(compact?.stored)), ids, sets);
      expect(expanded).toEqual(recordFor(outsideOf(task)));
      // The desk's question, one expert at a time, without expanding the record.
      const outside = new Set(outsideOf(task));
      const decoded = new Map<string, readonly number[]>();
      const holding = ids.map(
        (id, i) => reasonsHolding(compact?.stored, sets, i, decoded).length > 0 === outside.has(id),
      );
      expect(holding.every(Boolean)).toBe(true);
    }
  });

  it('stores the set itself when it does not follow from the industry sets', () => {
    const outside = outsideOf(['mining']).filter((_, k) => k % 2 === 0);
    const compact = reasonSetExclusions(recordFor(outside), ids, indexOf, experts);
    const [entry] = (compact?.stored.reasonSets ?? []) as {
      set?: string;
      complementOf?: string[];
    }[];
    expect(entry?.complementOf).toBeUndefined();
    expect(entry?.set).toMatch(/^[0-9a-f]{64}$/);
    const sets = new Map((compact?.sets ?? []).map((set) => [set.hash, set.indices]));
    expect(expandExclusions(compact?.stored, ids, sets)).toEqual(recordFor(outside));
  });
});
