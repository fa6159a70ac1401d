import { addDays, historyCountsSchema, toShanghaiDate } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { countHistory } from '../count-history.js';
import { generateHistory } from './generate-history.js';
import { generateHistoryCounts } from './generate-history-counts.js';
import { generatePool } from './generate-pool.js';

const now = '2026-03-01T09:00:00+08:00';

describe('generateHistoryCounts', () => {
  const experts = generatePool({ size: 300, seed: 'g', now });

  it.each([
    { days: 365, invitationsPerExpert: 3 },
    { days: 3 * 365, invitationsPerExpert: 1 },
  ])(
    'counts what generateHistory records ($days days, $invitationsPerExpert per expert)',
    (options) => {
      const counts = generateHistoryCounts({ experts, seed: 'g', now, ...options });
      expect(historyCountsSchema.safeParse(counts).success).toBe(true);
      expect(counts.experts.length).toBeGreaterThan(200);
      const from = addDays(toShanghaiDate(now), -options.days);
      expect(counts).toEqual(
        countHistory(generateHistory({ experts, seed: 'g', now, ...options }), from),
      );
    },
  );
});
