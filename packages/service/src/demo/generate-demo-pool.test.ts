import { evaluateAdmission, expertSchema, yunnanGmy2025 } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { generateDemoPool } from './generate-demo-pool.js';

const now = new Date('2026-03-02T01:00:00Z');

describe('generateDemoPool', () => {
  const pool = generateDemoPool({ size: 300, seed: 7, now });

  it('makes valid experts of the provincial pool with unique ids', () => {
    for (const expert of pool) expect(expertSchema.safeParse(expert).success).toBe(true);
    expect(new Set(pool.map((e) => e.id)).size).toBe(300);
    expect(pool.every((e) => e.tier === 'province' && e.region.startsWith('53'))).toBe(true);
  });

  it('is reproducible from its seed and differs between seeds', () => {
    expect(generateDemoPool({ size: 20, seed: 7, now })).toEqual(pool.slice(0, 20));
    expect(generateDemoPool({ size: 20, seed: 8, now })).not.toEqual(pool.slice(0, 20));
  });

  it('declares a few conflicts with other units of the pool (第八条（四）)', () => {
    const declared = pool.filter((e) => e.conflicts.length > 0);
    expect(declared.length).toBeGreaterThan(5);
    expect(
      declared.every((e) => e.conflicts.every((c) => c.organizationId !== e.employer.id)),
    ).toBe(true);
  });

  it('is mostly active experts who meet the admission rules (第九条)', () => {
    const active = pool.filter((e) => e.status === 'active');
    expect(active.length).toBeGreaterThan(200);
    const admissible = active.filter((e) => evaluateAdmission(e, '2026-03-02', yunnanGmy2025).ok);
    expect(admissible.length).toBeGreaterThan(active.length * 0.9);
  });
});
