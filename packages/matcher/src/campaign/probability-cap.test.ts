import { describe, expect, it } from 'vitest';
import { makeExpert, makeTask, NOW } from '../fixtures.test-helpers.js';
import { preparePool } from '../prepare-pool.js';
import { binomialCeiling } from './binomial-bound.test-helpers.js';
import type { PlanCampaignInput } from './campaign-types.js';
import { planCampaign } from './plan-campaign.js';

const STALE = '2023-01-10T10:00:00+08:00';
const WEEK2 = { from: '2026-03-17T09:00:00+08:00', to: '2026-03-18T18:00:00+08:00' };

/**
 * Runs a randomized campaign over `runs` seeds and counts, per (task, expert) pair, the runs that
 * seat the pair. The tolerance is the exact binomial tail: if the pair's true probability were at
 * most q, a count of `ceiling` or more would happen with probability ≤ 1e-6 / pairs (so a false
 * alarm anywhere in the test has probability ≤ 1e-6).
 */
function frequencies(input: Omit<PlanCampaignInput, 'seed'>, runs: number) {
  const counts = new Map<string, number>();
  let repaired = 0;
  let infeasible = 0;
  for (let k = 0; k < runs; k++) {
    const plan = planCampaign({ ...input, seed: `seed-${k}` });
    if (!plan.ok) {
      if (plan.code !== 'infeasible') throw new Error(JSON.stringify(plan));
      infeasible++;
      continue;
    }
    if (plan.solver.repairs > 0) repaired++;
    for (const p of plan.plans) {
      for (const m of p.members) {
        const key = `${p.taskId}/${m.expertId}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  return { counts, repaired, infeasible };
}

describe('planCampaign, randomized (Jecmen et al. 2020)', () => {
  it('keeps every expert-task probability at or under the cap over many seeds, even for the best-fitting expert', () => {
    // `star` outscores the rest (their profiles are stale, 第八条（一）); `optimal` would always
    // seat them. Everyone holds the named specialty, so no completion swap is needed.
    const experts = preparePool([
      makeExpert('star', { specialties: ['gas', 'dust'] }),
      ...['a', 'b', 'c', 'd', 'e'].map((id) =>
        makeExpert(id, { specialties: ['gas', 'dust'], profileUpdatedAt: STALE }),
      ),
    ]);
    const tasks = [
      makeTask({ id: 't1', panelSize: 2, alternates: 0, specialties: ['gas'] }),
      makeTask({ id: 't2', panelSize: 2, alternates: 0, specialties: ['dust'], window: WEEK2 }),
    ];
    const q = 0.4;
    const runs = 400;
    const input = { tasks, experts, now: NOW, policy: 'randomized' as const, loadCap: 2 };
    const { counts, infeasible } = frequencies({ ...input, probabilityCap: q }, runs);
    expect(infeasible).toBe(0);
    const ceiling = binomialCeiling(runs, q, 1e-6 / (2 * 6));
    for (const [, count] of counts) expect(count).toBeLessThan(ceiling);
    // The cap binds for the best-fitting expert: seated with probability q, not 1 (two-sided).
    const floor = runs - binomialCeiling(runs, 1 - q, 1e-6);
    for (const key of ['t1/star', 't2/star']) {
      expect(counts.get(key) ?? 0).toBeGreaterThan(floor);
    }
  });

  it('keeps the cap on panels that need completion swaps (a leader title, an industry) after the rounding', () => {
    // The best-fitting experts hold no leader title and only metallurgy; each task also needs
    // a senior (leader title, local policy) and a nonferrous member (第十四条). Every rounded
    // panel misses both, so every run swaps. Without the headroom lottery the swaps would
    // always bring in the best-scored `senior-0` and `nonferrous-0` (probability 1, not q).
    const specialties = ['gas'];
    const experts = preparePool([
      ...Array.from({ length: 6 }, (_, k) =>
        makeExpert(`top-${k}`, { title: 'intermediate', specialties }),
      ),
      ...Array.from({ length: 10 }, (_, k) =>
        makeExpert(`senior-${k}`, {
          specialties: k === 0 ? specialties : [],
          profileUpdatedAt: STALE,
        }),
      ),
      ...Array.from({ length: 10 }, (_, k) =>
        makeExpert(`nonferrous-${k}`, {
          title: 'intermediate',
          industries: ['nonferrous'],
          specialties: k === 0 ? specialties : [],
          profileUpdatedAt: STALE,
        }),
      ),
    ]);
    const industries = ['metallurgy', 'nonferrous'] as const;
    const tasks = [
      makeTask({ id: 't1', panelSize: 3, alternates: 0, industries: [...industries], specialties }),
      makeTask({
        id: 't2',
        panelSize: 3,
        alternates: 0,
        industries: [...industries],
        specialties,
        window: WEEK2,
      }),
    ];
    const q = 0.5;
    const runs = 600;
    const input = { tasks, experts, now: NOW, policy: 'randomized' as const, loadCap: 2 };
    const { counts, repaired, infeasible } = frequencies({ ...input, probabilityCap: q }, runs);
    // Every run swapped. Ten candidates of headroom 1/2 per requirement, four steps at most
    // (two industries, the title, one specialty): 10 × (1/2) / 4 ≥ 1, so a draw never misses.
    expect(infeasible).toBe(0);
    expect(repaired).toBe(runs);
    const ceiling = binomialCeiling(runs, q, 1e-6 / (2 * 26));
    for (const [key, count] of counts) {
      expect(count, key).toBeLessThan(ceiling);
    }
    // The swaps spread: more than one senior and one nonferrous expert come in.
    const seniors = [...counts.keys()].filter((key) => key.startsWith('t1/senior-'));
    expect(seniors.length).toBeGreaterThan(2);
  });

  it('reports the task infeasible when the headroom cannot pay for the swap, instead of breaking the cap', () => {
    // One leader-titled expert for a panel that needs one: seating them every time would be
    // probability 1. The fractional flow gives the two seats to four better-scored untitled
    // experts (1/2 each), so the senior's flow is 0 and headroom 1/2, spread over two steps
    // (the industry, the title): a swap in 1/4 of the runs, the rest reported as the
    // campaign's capacity (the probability cap named).
    const experts = preparePool([
      ...['a', 'b', 'c', 'd', 'e'].map((id) => makeExpert(id, { title: 'intermediate' })),
      makeExpert('senior', { profileUpdatedAt: STALE }),
    ]);
    const tasks = [makeTask({ id: 't1', panelSize: 2, alternates: 0 })];
    const runs = 300;
    const q = 0.5;
    let seated = 0;
    for (let k = 0; k < runs; k++) {
      const plan = planCampaign({
        tasks,
        experts,
        now: NOW,
        policy: 'randomized',
        probabilityCap: q,
        loadCap: 1,
        seed: `seed-${k}`,
      });
      if (plan.ok) {
        expect(plan.plans[0]?.members.map((m) => m.expertId)).toContain('senior');
        seated++;
      } else {
        if (plan.code !== 'infeasible') throw new Error(JSON.stringify(plan));
        expect(plan.unmet[0]?.reasons[0]).toMatchObject({ constraint: 'campaign-capacity' });
        expect(plan.unmet[0]?.reasons[0]?.message.en).toContain('probability cap');
      }
    }
    // P(seated) = 1/4 exactly: within the binomial bounds on both sides.
    expect(seated).toBeLessThan(binomialCeiling(runs, 0.25, 1e-6));
    expect(seated).toBeGreaterThan(runs - binomialCeiling(runs, 0.75, 1e-6));
  });

  it('seats the best-fitting expert every time under the optimal policy (the contrast)', () => {
    const experts = preparePool([
      makeExpert('star'),
      ...['a', 'b', 'c'].map((id) => makeExpert(id, { profileUpdatedAt: STALE })),
    ]);
    const tasks = [makeTask({ id: 't1', panelSize: 2, alternates: 0, specialties: ['gas'] })];
    for (const seed of ['s1', 's2', 's3']) {
      const plan = planCampaign({ tasks, experts, now: NOW, policy: 'optimal', loadCap: 1, seed });
      expect(plan.ok && plan.plans[0]?.members.map((m) => m.expertId)).toContain('star');
    }
  });
});
