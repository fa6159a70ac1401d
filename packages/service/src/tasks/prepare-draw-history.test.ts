import { createHash } from 'node:crypto';
import {
  canonicalJson,
  generateHistoryCounts,
  generatePool,
  type PreparedHistory,
  prepareHistory,
  preparePool,
} from '@expert-dispatch/matcher';
import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { countsDigest } from './history-counts-digest.js';
import { prepareDrawHistory } from './prepare-draw-history.js';

const NOW = '2026-03-02T09:00:00+08:00';
const pool = preparePool(generatePool({ size: 200, seed: 'draw-history', now: NOW }));
const counts = generateHistoryCounts({ experts: pool.experts, seed: 'draw-history', now: NOW });
const busyOf = (k: number) => [
  {
    expertId: pool.ids[k] as string,
    taskId: `t-${k}`,
    from: '2026-03-05T00:30:00.000Z',
    to: '2026-03-05T10:00:00.000Z',
  },
];

function readable(prepared: PreparedHistory) {
  const { standingMemo: _memo, pool: _pool, history: _history, ...rest } = prepared;
  return rest;
}

describe('preparing a draw history with what the process made of the same counters (#17)', () => {
  it('gives what prepareHistory alone gives, draw after draw with other bookings', () => {
    for (const k of [1, 2, 3]) {
      const history = { ...counts, busy: busyOf(k) };
      expect(readable(prepareDrawHistory(history, pool, yunnanGmy2025))).toEqual(
        readable(prepareHistory(history, pool, yunnanGmy2025)),
      );
    }
  });

  it('hashes counters that share one column but differ in another as themselves', () => {
    prepareDrawHistory(counts, pool, yunnanGmy2025);
    const other = { ...counts, n: counts.n.map((n) => n + 1) };
    expect(prepareDrawHistory(other, pool, yunnanGmy2025).digest).toBe(
      prepareHistory(other, pool, yunnanGmy2025).digest,
    );
  });
});

describe('the counters digest kept per block of experts (#17)', () => {
  const big = preparePool(generatePool({ size: 2_000, seed: 'digest-blocks', now: NOW }));
  const many = generateHistoryCounts({ experts: big.experts, seed: 'digest-blocks', now: NOW });
  const whole = (history: typeof many) =>
    createHash('sha256').update(canonicalJson(history)).digest('hex');
  // Another count for the expert at `k` (same experts, same kinds): the columns a patch makes.
  const bumped = (k: number) => {
    const start = many.rows.slice(0, k).reduce((sum, rows) => sum + rows, 0);
    const n = many.n.map((count, r) => (r === start ? count + 1 : count));
    return { ...many, day: [...many.day], n, busy: busyOf(2) };
  };

  it('rewrites the changed experts’ blocks and hashes as the canonical JSON of the whole', () => {
    expect(countsDigest(many, undefined)).toBe(whole(many));
    for (const k of [0, 511, 512, 1_300, many.experts.length - 1]) {
      const next = bumped(k);
      const patch = { previous: many, changed: [many.experts[k] as string] };
      expect(countsDigest(next, patch)).toBe(whole(next));
    }
  });

  it('takes the other blocks over as they were, so the patch must name every changed expert', () => {
    countsDigest(many, undefined);
    const next = bumped(1_300);
    const untold = { previous: many, changed: [many.experts[3] as string] };
    expect(countsDigest(next, untold)).not.toBe(whole(next));
  });
});
