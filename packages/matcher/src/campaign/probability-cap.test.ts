import { describe, expect, it } from 'vitest';
import { makeExpert, makeTask, NOW } from '../fixtures.test-helpers.js';
import { preparePool } from '../prepare-pool.js';
import { planCampaign } from './plan-campaign.js';

const STALE = '2023-01-10T10:00:00+08:00';
const WEEK2 = { from: '2026-03-17T09:00:00+08:00', to: '2026-03-18T18:00:00+08:00' };

describe('planCampaign, randomized (Jecmen et al. 2020)', () => {
  it('keeps every expert-task probability at or under the cap over many seeds, even for the best-fitting expert', () => {
    // `star` outscores the rest (their profiles are stale, 第八条（一）); `optimal` would always
    // seat them. Everyone holds the named specialty, so no completion swap forces anyone in.
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
    const counts = new Map<string, number>();
    for (let k = 0; k < runs; k++) {
      const plan = planCampaign({
        tasks,
        experts,
        now: NOW,
        policy: 'randomized',
        probabilityCap: q,
        loadCap: 2,
        seed: `seed-${k}`,
      });
      if (!plan.ok) throw new Error(JSON.stringify(plan));
      for (const p of plan.plans) {
        expect(p.members).toHaveLength(2);
        for (const m of p.members) {
          const key = `${p.taskId}/${m.expertId}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
    }
    // Standard error at q = 0.4 over 400 runs is 0.0245: four of them is the tolerance.
    for (const [, count] of counts) expect(count / runs).toBeLessThanOrEqual(q + 0.1);
    // The cap binds for the best-fitting expert: seated with probability q, not 1.
    expect(Math.abs((counts.get('t1/star') ?? 0) / runs - q)).toBeLessThan(0.1);
    expect(Math.abs((counts.get('t2/star') ?? 0) / runs - q)).toBeLessThan(0.1);
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
