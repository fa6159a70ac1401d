import { type RuleSet, yunnanGmy2025 } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { makeExpert, makeExperts, makeTask, NOW } from './fixtures.test-helpers.js';
import { preparePool } from './prepare-pool.js';
import { selectPanel } from './select-panel.js';
import type { Policy } from './select-panel-types.js';

const DRAWS = 2000;
// Hoeffding with a union bound over every expert: |frequency − p| exceeds this with
// probability below FAILURE for a fixed expert set; the seeds are fixed, so the test is
// deterministic and this is the margin it allows.
const FAILURE = 1e-6;
const bound = (experts: number, sides: number) =>
  Math.sqrt(Math.log((sides * experts) / FAILURE) / (2 * DRAWS));

function frequencies(
  pool: ReturnType<typeof preparePool>,
  task: ReturnType<typeof makeTask>,
  policy: Policy,
  options: { cap?: number; ruleSet?: RuleSet } = {},
): Map<string, number> {
  const counts = new Map<string, number>();
  for (let k = 0; k < DRAWS; k++) {
    const result = selectPanel({
      task,
      experts: pool,
      now: NOW,
      seed: `stat-${k}`,
      policy,
      ...options,
    });
    if (!result.ok) throw new Error('expected a panel');
    for (const member of result.members) {
      counts.set(member.expertId, (counts.get(member.expertId) ?? 0) + 1);
    }
  }
  return new Map([...counts].map(([id, count]) => [id, count / DRAWS]));
}

describe('policies, statistically', () => {
  it('lottery chooses every expert of a symmetric pool equally often (随机抽取)', () => {
    const experts = makeExperts(20);
    const task = makeTask({ panelSize: 5, alternates: 0 });
    const observed = frequencies(preparePool(experts), task, 'lottery');
    const expected = task.panelSize / experts.length;
    const margin = bound(experts.length, 2);
    for (const expert of experts) {
      expect(Math.abs((observed.get(expert.id) ?? 0) - expected)).toBeLessThan(margin);
    }
  });

  // Three specialists score 10, the rest 0: the lottery almost always takes them; the cap holds
  // them to 0.3 each, their unused weight spread over the others.
  const skewed: RuleSet = {
    ...yunnanGmy2025,
    scoring: {
      ...yunnanGmy2025.scoring,
      weights: { specialty: 10, directIndustry: 0, reliability: 0, quality: 0, fairShare: 0 },
      penalties: { staleProfile: 0, warning: 0 },
    },
  };
  const experts = [
    ...makeExperts(17, { specialties: ['fire'] }),
    ...['s1', 's2', 's3'].map((id) => makeExpert(id, { specialties: ['gas'] })),
  ];
  const task = makeTask({ panelSize: 4, alternates: 0, specialties: ['gas'] });
  const pool = preparePool(experts);
  const cap = 0.3;

  it('capped keeps every expert’s chance of selection at most cap (Jecmen et al., 2020)', () => {
    const observed = frequencies(pool, task, 'capped', { cap, ruleSet: skewed });
    const margin = bound(experts.length, 1);
    for (const expert of experts) {
      expect(observed.get(expert.id) ?? 0).toBeLessThan(cap + margin);
    }
    // The cap binds: the specialists are chosen about as often as the cap allows.
    for (const id of ['s1', 's2', 's3'])
      expect(observed.get(id) ?? 0).toBeGreaterThan(cap - margin);
  });

  it('lottery, uncapped, lets the same specialists exceed that cap', () => {
    const observed = frequencies(pool, task, 'lottery', { ruleSet: skewed });
    const margin = bound(experts.length, 1);
    for (const id of ['s1', 's2', 's3'])
      expect(observed.get(id) ?? 0).toBeGreaterThan(cap + margin);
  });
});
