import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { canReuseCountRows, type PreparedHistory, prepareHistory } from './prepare-history.js';
import { preparePool } from './prepare-pool.js';
import { generateHistoryCounts } from './synthetic/generate-history-counts.js';
import { generatePool } from './synthetic/generate-pool.js';

const NOW = '2026-03-02T09:00:00+08:00';
const experts = generatePool({ size: 300, seed: 'reuse', now: NOW });
const pool = preparePool(experts);
const counts = generateHistoryCounts({ experts: pool.experts, seed: 'reuse', now: NOW });
const BUSY = [
  {
    expertId: pool.ids[3] as string,
    taskId: 't-busy',
    from: '2026-03-05T00:30:00.000Z',
    to: '2026-03-05T10:00:00.000Z',
  },
];

/** Everything a draw reads of a preparation (the memo aside). */
function readable(prepared: PreparedHistory) {
  const { standingMemo: _memo, pool: _pool, history: _history, ...rest } = prepared;
  return rest;
}

describe('prepareHistory reusing an earlier preparation (#17)', () => {
  it('takes over the counter rows for the same counters with other bookings, equal to a fresh preparation', () => {
    const earlier = prepareHistory(counts, pool, yunnanGmy2025);
    const later = { ...counts, busy: BUSY };
    expect(canReuseCountRows(earlier, later, pool, yunnanGmy2025)).toBe(true);
    const reused = prepareHistory(later, pool, yunnanGmy2025, { reuse: earlier });
    expect(reused.invitationDay).toBe(earlier.invitationDay);
    expect(readable(reused)).toEqual(readable(prepareHistory(later, pool, yunnanGmy2025)));
    expect(reused.busyExpert.length).toBe(1);
  });

  it('takes them over for a pool whose profiles changed but whose records did not', () => {
    const earlier = prepareHistory(counts, pool, yunnanGmy2025);
    const changed = preparePool(
      experts.map((expert, k) => (k === 5 ? { ...expert, name: `${expert.name}·` } : expert)),
    );
    const reused = prepareHistory(counts, changed, yunnanGmy2025, { reuse: earlier });
    expect(reused.invitationStart).toBe(earlier.invitationStart);
    expect(readable(reused)).toEqual(readable(prepareHistory(counts, changed, yunnanGmy2025)));
  });

  it('prepares anew for other records, other counter arrays or another rule set', () => {
    const earlier = prepareHistory(counts, pool, yunnanGmy2025);
    const smaller = preparePool(experts.slice(1));
    expect(canReuseCountRows(earlier, counts, smaller, yunnanGmy2025)).toBe(false);
    const fresh = prepareHistory(counts, smaller, yunnanGmy2025, { reuse: earlier });
    expect(readable(fresh)).toEqual(readable(prepareHistory(counts, smaller, yunnanGmy2025)));
    expect(fresh.invitationStart.length).toBe(smaller.size + 1);
    const copied = { ...counts, day: [...counts.day] };
    expect(canReuseCountRows(earlier, copied, pool, yunnanGmy2025)).toBe(false);
    const silent = { ...yunnanGmy2025, countsSilenceAfterDelivery: false };
    expect(canReuseCountRows(earlier, counts, pool, silent)).toBe(false);
  });

  it('takes a digest the caller keeps instead of hashing the history', () => {
    const own = prepareHistory(counts, pool, yunnanGmy2025);
    expect(prepareHistory(counts, pool, yunnanGmy2025, { digest: own.digest }).digest).toBe(
      own.digest,
    );
    expect(prepareHistory(counts, pool, yunnanGmy2025, { digest: 'given' }).digest).toBe('given');
  });
});
