import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPACT_EXCLUSIONS,
  compactExclusions,
  type ExclusionRecord,
  expandExclusions,
  isCompactExclusions,
} from './compact-exclusions.js';

const FUNNEL = { pool: 6, steps: [], excludedByCaller: 0, eligible: 2 };
const REASONS = {
  'industry-expertise': { article: '第十四条', message: { zh: '行业', en: 'industry' } },
};

function recordOf(excluded: ExclusionRecord['excluded'], eligible = 2): ExclusionRecord {
  return { funnel: FUNNEL, eligible, excluded, exclusionReasons: REASONS };
}

/** A pool of ids and a partition of some of its records into groups, each in pool order. */
const pools = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 300 })
  .chain((ids) =>
    fc.tuple(
      fc.constant(ids),
      fc.array(fc.integer({ min: -1, max: 4 }), { minLength: ids.length, maxLength: ids.length }),
    ),
  );

describe('compactExclusions / expandExclusions', () => {
  it('gives back the very record the matcher gave, for any pool and grouping', () => {
    fc.assert(
      fc.property(pools, ([ids, groupOf]) => {
        const excluded = [0, 1, 2, 3, 4]
          .map((group) => ({
            reasons: [`reason-${group}`],
            expertIds: ids.filter((_, i) => groupOf[i] === group),
          }))
          .filter((group) => group.expertIds.length > 0);
        const record = recordOf(excluded, groupOf.filter((g) => g === -1).length);
        const indexOf = new Map(ids.map((id, i) => [id, i]));
        const stored = compactExclusions(record, ids, indexOf);
        expect(isCompactExclusions(stored)).toBe(true);
        // Through JSON, as the record is stored.
        expect(expandExclusions(JSON.parse(JSON.stringify(stored)), ids)).toEqual(record);
      }),
      { numRuns: 200 },
    );
  });

  it('stores pool indices instead of ids', () => {
    const ids = ['e-1', 'e-2', 'e-3', 'e-4', 'e-5', 'e-6'];
    const stored = compactExclusions(
      recordOf([{ reasons: ['industry-expertise'], expertIds: ['e-2', 'e-5', 'e-6'] }]),
      ids,
      new Map(ids.map((id, i) => [id, i])),
    );
    expect(stored).toEqual({
      encoding: COMPACT_EXCLUSIONS,
      funnel: FUNNEL,
      eligible: 2,
      excluded: [{ reasons: ['industry-expertise'], indices: 'bMg==' }],
      exclusionReasons: REASONS,
    });
  });

  it('keeps the ids of a group that is not in pool order or names a record outside the pool', () => {
    const ids = ['e-1', 'e-2', 'e-3'];
    const indexOf = new Map(ids.map((id, i) => [id, i]));
    const unordered = { reasons: ['a'], expertIds: ['e-3', 'e-1'] };
    const unknown = { reasons: ['b'], expertIds: ['e-9'] };
    const stored = compactExclusions(recordOf([unordered, unknown]), ids, indexOf);
    expect(stored.excluded).toEqual([unordered, unknown]);
    expect(expandExclusions(stored, ids)).toEqual(recordOf([unordered, unknown]));
  });

  it('keeps engagement recusals as they are', () => {
    const recusals = [
      { organizationId: 'org-eval', article: '第十六条（一）', expertIds: ['e-1'] },
    ];
    const ids = ['e-1'];
    const record = {
      ...recordOf([{ reasons: ['x'], expertIds: ['e-1'] }]),
      engagementRecusals: recusals,
    };
    const stored = compactExclusions(record, ids, new Map([['e-1', 0]]));
    expect(expandExclusions(stored, ids)).toEqual(record);
  });

  it('reads an old record (ids per group) as it was stored', () => {
    const old = recordOf([{ reasons: ['x'], expertIds: ['e-1'] }]);
    expect(isCompactExclusions(old)).toBe(false);
    expect(expandExclusions(old, ['zz'])).toBe(old);
  });
});
