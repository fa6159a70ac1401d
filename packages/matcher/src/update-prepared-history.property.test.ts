import {
  type HistoryCountEntry,
  type HistoryCounts,
  historyCountKindSchema,
  historyCountsOf,
  toEpochDay,
  yunnanGmy2025,
} from '@expert-dispatch/rules';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PreparedHistory, prepareHistory } from './prepare-history.js';
import { preparePool } from './prepare-pool.js';
import { generateHistoryCounts } from './synthetic/generate-history-counts.js';
import { generatePool } from './synthetic/generate-pool.js';
import { updatePreparedHistory } from './update-prepared-history.js';

const NOW = '2026-03-02T09:00:00+08:00';
const FROM = '2024-03-02';
const FIRST = toEpochDay(FROM);
// Some records share a person: what one counts, counts for every record of the person.
const experts = generatePool({ size: 120, seed: 'update-history', now: NOW }).map((expert, k) =>
  k % 17 === 3 || k % 17 === 9 ? { ...expert, personId: `person-${k % 2}` } : expert,
);
const pool = preparePool(experts);
const base = generateHistoryCounts({ experts: pool.experts, seed: 'update-history', now: NOW });
const KINDS = historyCountKindSchema.options;
const SILENT = { ...yunnanGmy2025, countsSilenceAfterDelivery: false };

function entriesOf(counts: HistoryCounts): HistoryCountEntry[] {
  const entries: HistoryCountEntry[] = [];
  let row = 0;
  counts.experts.forEach((expertId, k) => {
    for (let r = row; r < row + (counts.rows[k] as number); r++) {
      const kind = counts.kinds[counts.kind[r] as number] as HistoryCountEntry['kind'];
      entries.push({ expertId, day: counts.day[r] as number, kind, n: counts.n[r] as number });
    }
    row += counts.rows[k] as number;
  });
  return entries;
}

/** Everything a draw reads of a preparation (the memo aside). */
function readable(prepared: PreparedHistory) {
  const { standingMemo: _memo, pool: _pool, history: _history, ...rest } = prepared;
  return rest;
}

// One change: a counter added to or taken from an expert (in the pool or not, one with
// counters or a new one), or all of an expert's counters taken back.
const change = fc.record({
  expert: fc.nat(),
  outside: fc.boolean(),
  kind: fc.nat({ max: KINDS.length - 1 }),
  day: fc.nat({ max: 730 }),
  delta: fc.constantFrom(1, 1, 2, -1),
  clear: fc.boolean(),
});

describe('updatePreparedHistory (#17)', () => {
  it('equals a fresh preparation of the changed counters, whatever changed', () => {
    const start = historyCountsOf(FROM, entriesOf(base), []);
    fc.assert(
      fc.property(
        fc.array(fc.array(change, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(yunnanGmy2025, SILENT),
        (rounds, ruleSet) => {
          let counts = start;
          let prepared = prepareHistory(counts, pool, ruleSet);
          for (const round of rounds) {
            let entries = entriesOf(counts);
            const changed = new Set<string>();
            for (const c of round) {
              const expertId = c.outside
                ? `outside-${c.expert % 5}`
                : (pool.ids[c.expert % pool.size] as string);
              changed.add(expertId);
              if (c.clear) entries = entries.filter((entry) => entry.expertId !== expertId);
              else {
                const kind = KINDS[c.kind] as HistoryCountEntry['kind'];
                const day = FIRST + c.day;
                const held = entries.find(
                  (e) => e.expertId === expertId && e.day === day && e.kind === kind,
                );
                // A counter never goes below zero (the triggers take back only what they added).
                const delta = Math.max(c.delta, -(held?.n ?? 0));
                entries.push({ expertId, day, kind, n: delta });
              }
            }
            counts = historyCountsOf(FROM, entries, []);
            prepared = updatePreparedHistory(prepared, counts, pool, ruleSet, changed);
            expect(readable(prepared)).toEqual(readable(prepareHistory(counts, pool, ruleSet)));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps the rows of the experts it was not told of, so the caller must name every change', () => {
    const earlier = prepareHistory(base, pool, yunnanGmy2025);
    const expertId = base.experts.find((id) => pool.indexOf.has(id)) as string;
    const more = historyCountsOf(
      base.from,
      [...entriesOf(base), { expertId, day: toEpochDay('2026-03-01'), kind: 'no_show', n: 3 }],
      [],
    );
    const fresh = readable(prepareHistory(more, pool, yunnanGmy2025));
    const told = updatePreparedHistory(earlier, more, pool, yunnanGmy2025, [expertId]);
    expect(readable(told)).toEqual(fresh);
    const untold = updatePreparedHistory(earlier, more, pool, yunnanGmy2025, []);
    expect(untold.invitationBad).toEqual(earlier.invitationBad);
    expect(readable(untold)).not.toEqual(fresh);
  });

  it('prepares whole for another rule set or other pool records', () => {
    const earlier = prepareHistory(base, pool, yunnanGmy2025);
    const silent = updatePreparedHistory(earlier, base, pool, SILENT, []);
    expect(readable(silent)).toEqual(readable(prepareHistory(base, pool, SILENT)));
    const smaller = preparePool(experts.slice(1));
    const other = updatePreparedHistory(earlier, base, smaller, yunnanGmy2025, []);
    expect(readable(other)).toEqual(readable(prepareHistory(base, smaller, yunnanGmy2025)));
  });
});
