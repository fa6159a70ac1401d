import {
  generateHistoryCounts,
  generatePool,
  type PreparedHistory,
  prepareHistory,
  preparePool,
} from '@expert-dispatch/matcher';
import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
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
