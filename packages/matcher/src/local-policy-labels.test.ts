import { deriveRuleSet, type RuleSet, yunnanGmy2025 } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { makeExpert, makeExperts, makeTask, NOW } from './fixtures.test-helpers.js';
import { selectPanel } from './select-panel.js';

const derive = (base: RuleSet) => {
  const result = deriveRuleSet(base, {
    id: 'wuhua-gmy',
    version: '1.0.0',
    addDispatchRules: ['outside-enterprise-county'],
  });
  if (!result.ok) throw new Error('derivation failed');
  return result.ruleSet;
};
const { selectionVersion: _v, ...selection1 } = yunnanGmy2025;
const experts = [
  makeExpert('local', { region: '530302' }),
  ...makeExperts(5, { region: '530102' }),
];

describe('same-region avoidance is local policy in the exclusion record', () => {
  it.each<[string, RuleSet, string | null, string]>([
    [
      'carries no article and says 本厅规定 under selection 2',
      derive(yunnanGmy2025),
      null,
      '本厅规定',
    ],
    [
      'keeps the article draws made before recorded (replay)',
      derive(selection1),
      '第二十六条',
      '县',
    ],
  ])('%s', (_name, ruleSet, article, text) => {
    const result = selectPanel({ task: makeTask(), experts, now: NOW, seed: 's', ruleSet });
    if (!('exclusionReasons' in result)) throw new Error('the draw must screen the pool');
    const reason = result.exclusionReasons['outside-enterprise-county'];
    expect(reason?.article ?? null).toBe(article);
    expect(reason?.message.zh).toContain(text);
  });
});
