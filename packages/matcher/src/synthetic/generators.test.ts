import { expertSchema, historySchema, taskSchema } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { generateHistory } from './generate-history.js';
import { generatePool } from './generate-pool.js';
import { generateTask } from './generate-task.js';

const now = '2026-03-01T09:00:00+08:00';

describe('synthetic generators', () => {
  const experts = generatePool({ size: 300, seed: 'g', now });

  it('makes valid experts, tasks and histories by the rules package’s schemas', () => {
    for (const expert of experts) expect(expertSchema.safeParse(expert).success).toBe(true);
    expect(taskSchema.safeParse(generateTask({ seed: 'g', now, experts })).success).toBe(true);
    expect(historySchema.safeParse(generateHistory({ experts, seed: 'g', now })).success).toBe(
      true,
    );
  });

  it('gives the same data for the same seed and different data for another', () => {
    expect(generatePool({ size: 300, seed: 'g', now })).toEqual(experts);
    expect(generatePool({ size: 300, seed: 'h', now })).not.toEqual(experts);
    expect(generateHistory({ experts, seed: 'g', now })).toEqual(
      generateHistory({ experts, seed: 'g', now }),
    );
  });

  it('uses every employer kind and group, and Yunnan region codes', () => {
    expect(new Set(experts.map((e) => e.employer.kind)).size).toBe(7);
    expect(new Set(experts.map((e) => e.group)).size).toBe(3);
    expect(experts.every((e) => e.region.startsWith('53'))).toBe(true);
  });
});
