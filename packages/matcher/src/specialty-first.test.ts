import { type RuleSet, yunnanGmy2025 } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { makeExpert, makeExperts, makeTask, NOW } from './fixtures.test-helpers.js';
import { preparePool } from './prepare-pool.js';
import { selectPanel } from './select-panel.js';
import type { Policy } from './select-panel-types.js';
import { verifyDraw } from './verify-draw.js';

const holder = makeExpert('holder', { specialties: ['dust_explosion'] });
const experts = [holder, ...makeExperts(40)];
const task = makeTask({ specialties: ['dust_explosion'], panelSize: 1, alternates: 0 });
const { selectionVersion: _version, ...before } = yunnanGmy2025;
const selection1: RuleSet = before;

describe('specialty first (第十四条) under every policy', () => {
  const pool = preparePool(experts);
  it.each<[Policy, RuleSet, number]>([
    ['lottery', yunnanGmy2025, 300],
    ['best', yunnanGmy2025, 300],
    ['capped', yunnanGmy2025, 300],
  ])(
    'seats the only holder in 300 of 300 seeds, panel of 1, under %s',
    (policy, ruleSet, expected) => {
      let seated = 0;
      for (let n = 0; n < 300; n++) {
        const result = selectPanel({
          task,
          experts: pool,
          now: NOW,
          seed: `seed-${n}`,
          policy,
          cap: 1,
          ruleSet,
        });
        if (result.ok && result.members[0]?.expertId === 'holder') seated++;
      }
      expect(seated).toBe(expected);
    },
  );

  it('draws made under selection 1 replay as they were: the holder was not always seated', () => {
    let seated = 0;
    for (let n = 0; n < 300; n++) {
      const result = selectPanel({
        task,
        experts: pool,
        now: NOW,
        seed: `seed-${n}`,
        ruleSet: selection1,
      });
      if (result.ok && result.members[0]?.expertId === 'holder') seated++;
      if (result.ok) expect('specialtyCoverage' in result).toBe(false);
    }
    expect(seated).toBeLessThan(300);
  });

  it('records how each specialty was met, and replays', () => {
    const twoSpecialties = makeTask({
      specialties: ['dust_explosion', 'rare_skill'],
      panelSize: 3,
    });
    const input = { task: twoSpecialties, experts, now: NOW, seed: 'cover' };
    const result = selectPanel(input);
    expect(result.ok && result.specialtyCoverage).toEqual([
      { specialty: 'dust_explosion', how: 'specialty-first', expertId: 'holder' },
      { specialty: 'rare_skill', how: 'none-eligible', expertId: null },
    ]);
    expect(result.ok && verifyDraw(input, result).ok).toBe(true);
  });

  it('names a fixed leader who holds the specialty as how it was met', () => {
    const input = {
      task: makeTask({ specialties: ['dust_explosion'], leaderId: 'holder' }),
      experts,
      now: NOW,
      seed: 'fixed',
    };
    const result = selectPanel(input);
    expect(result.ok && result.specialtyCoverage).toEqual([
      { specialty: 'dust_explosion', how: 'fixed', expertId: 'holder' },
    ]);
  });
});
