import { type DrawExpert, type RuleSet, yunnanGmy2025 } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { explainExclusion } from './explain-exclusion.js';
import { makeExpert, makeExperts, makeTask, NOW } from './fixtures.test-helpers.js';
import { preparePool } from './prepare-pool.js';
import { drawDigest } from './resolve-draw.js';
import { selectPanel } from './select-panel.js';
import { generateHistory } from './synthetic/generate-history.js';
import { generatePool } from './synthetic/generate-pool.js';
import { generateTask } from './synthetic/generate-task.js';
import { verifyDraw } from './verify-draw.js';

const experts = [
  ...makeExperts(8),
  makeExpert('old', { birthDate: '1950-01-01', status: 'suspended' }),
];
const input = { task: makeTask(), experts, now: NOW, seed: 'replay' };

describe('replaying and explaining a draw', () => {
  it('verifies a recorded draw and detects a changed one', () => {
    const recorded = selectPanel(input);
    expect(verifyDraw(input, recorded)).toMatchObject({
      ok: true,
      digestMatches: true,
      resultMatches: true,
    });
    const tampered = { ...recorded, seed: 'other' };
    expect(verifyDraw(input, tampered).ok).toBe(false);
    expect(verifyDraw({ ...input, seed: 'other' }, recorded).digestMatches).toBe(false);
  });

  it('hashes the rule set by content, also when an unfrozen one is edited in place', () => {
    const derived = structuredClone(yunnanGmy2025);
    const before = drawDigest({ ...input, ruleSet: derived });
    expect(before).toBe(drawDigest(input)); // same content, same digest
    derived.age.limit = 60;
    expect(drawDigest({ ...input, ruleSet: derived })).not.toBe(before);
  });

  it('computes the same digest from a raw or a prepared pool', () => {
    expect(drawDigest({ ...input, experts: preparePool(experts) })).toBe(drawDigest(input));
  });

  it('explains an exclusion with the rules package’s own messages (第九条（五）, 第十二条)', () => {
    const explanation = explainExclusion(input, 'old');
    expect(explanation.inPool).toBe(true);
    expect(explanation.evaluation?.reasons.map((r) => r.article)).toEqual([
      '第十二条',
      '第九条（五）',
    ]);
    expect(explanation.evaluation?.reasons[1]?.message.zh).toContain('周岁');
    expect(explainExclusion(input, 'nobody')).toMatchObject({ inPool: false, evaluation: null });
  });

  it('lists each excluded expert once with every reason, resolvable in the dictionary', () => {
    const result = selectPanel(input);
    if (!result.ok) throw new Error('expected a panel');
    expect(result.excluded).toEqual([
      {
        reasons: ['good-standing.suspended', 'age-limit'],
        expertIds: ['old'],
      },
    ]);
    expect(Object.keys(result.exclusionReasons)).toEqual(['good-standing.suspended', 'age-limit']);
    expect(result.exclusionReasons['good-standing.suspended']?.article).toBe('第十二条');
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

/** The provincial rule set as draws stored it before the 第二十三条（一） parameters existed. */
const {
  declineReasonsJustifiedOnWord: _onWord,
  countsSilenceAfterDelivery: _silence,
  sealedPanelList: _sealed,
  readmissionBar: _readmissionBar,
  publicNoticeBackdateWorkingDays: _backdate,
  engagementLookbackYears: _engagementLookback,
  selectionVersion: _selectionVersion,
  widening: _widening,
  yearlyEvaluation: _yearlyEvaluation,
  certificateNumbering: _certificateNumbering,
  ...storedParameters
} = yunnanGmy2025;
const storedRuleSet: RuleSet = {
  ...storedParameters,
  // The version those draws stored (the set is 2.0.0 since, see packages/rules/CHANGELOG.md).
  version: '1.0.0',
  // Before 第九条（五） was checked over every day of the task.
  age: { limit: 65, outstandingLimit: 70 },
  declineWarning: { count: 2, windowDays: 365 },
};

describe('draws recorded before person ids', () => {
  // Digests of the canonical results recorded by the matcher before records had a person id,
  // replayed with the rule set those draws stored (365 days, every claimed reason justified).
  it.each([
    ['lottery', '48bc0b9f8d5c144d184722070351865a8cdabb77fe764f149d61e45b65cbc50e'],
    ['best', '0198fc11d2606851f39fbcc6a79b61bda536dbb03036ac2fd4dbafc9f8736cab'],
    ['capped', '198f46f9d26a3195afd809b672e0dca591746347cb81bd0a0dbbea7c2a8bf60c'],
  ] as const)('replay a %s draw to the very same result', (policy, recorded) => {
    const experts = generatePool({ size: 300, seed: 'golden', now: NOW });
    const history = generateHistory({ experts, seed: 'golden', now: NOW });
    const task = generateTask({ seed: 'golden', now: NOW, experts, shadows: 1, alternates: 3 });
    const result = selectPanel({
      task,
      experts,
      history,
      now: NOW,
      seed: 'golden-1',
      policy,
      cap: 0.5,
      exclude: [(experts[0] as DrawExpert).id],
      ruleSet: storedRuleSet,
    });
    expect(result.ok && 'samePerson' in result.funnel).toBe(false);
    expect(sha256Hex(canonicalJson(result))).toBe(recorded);
  });
});
