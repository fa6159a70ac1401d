import { describe, expect, it } from 'vitest';
import { evaluateAdmission } from '../admission/evaluate-admission.js';
import { evaluateExpert } from '../evaluate-expert.js';
import { makeExpert, makeTask } from '../fixtures.test-helpers.js';
import { deriveRuleSet, type RuleSetOverrides } from './derive-rule-set.js';
import { isHigherTier, ruleSetForExpert } from './own-pool-rule-set.js';
import type { RuleSet } from './rule-set.js';
import { yunnanGmy2025 as base } from './yunnan-gmy-2025.js';

const derive = (overrides: Omit<RuleSetOverrides, 'id' | 'version'>) => {
  const result = deriveRuleSet(base, { id: 'wuhua-gmy', version: '1.0.0', ...overrides });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
};
const countyTask = makeTask({
  window: { from: '2026-12-10T08:30:00+08:00', to: '2026-12-11T18:00:00+08:00' },
  requestedBy: { authorityId: 'wh', tier: 'county', region: '530102' },
});
const expired = { appointment: { from: '2023-11-03', to: '2026-11-02', sealed: true } };

describe('tiers: a local set’s loosenings are its own pool’s (第二十六条)', () => {
  it('keeps appointment-in-force when a county drops it, and marks the waiver for its own pool', () => {
    const { ruleSet, loosenings } = derive({ removeDispatchRules: ['appointment-in-force'] });
    expect(ruleSet.dispatchRules).toContain('appointment-in-force');
    expect(ruleSet.ownPoolOnly).toEqual({ waivedRules: ['appointment-in-force'] });
    expect(loosenings).toMatchObject([
      { path: 'removeDispatchRules', article: '第十一条', appliesTo: 'own-pool' },
    ]);
  });

  it.each<[string, 'province' | 'city' | 'county', boolean, string[]]>([
    [
      'refuses the provincial expert whose term ended 2026-11-02 in a county draw',
      'province',
      false,
      ['第十一条'],
    ],
    ['refuses the city expert whose term ended in a county draw', 'city', false, ['第十一条']],
    ['lets the county’s own expert through under the county’s waiver', 'county', true, []],
  ])('%s (第十一条)', (_name, tier, ok, articles) => {
    const { ruleSet } = derive({ removeDispatchRules: ['appointment-in-force'] });
    const evaluation = evaluateExpert(
      makeExpert({ ...expired, tier }),
      countyTask,
      { busy: [] },
      ruleSet,
    );
    expect(evaluation.ok).toBe(ok);
    expect(evaluation.reasons.map((r) => r.article)).toEqual(articles);
  });

  it.each<[string, 'province' | 'city' | 'county', boolean]>([
    ['refuses a provincial expert of 67', 'province', false],
    ['refuses a city expert of 67', 'city', false],
    ['lets the county’s own expert of 67 through', 'county', true],
  ])('a county that drops age-limit (第九条（五）, 第二十六条) %s', (_name, tier, ok) => {
    const { ruleSet, loosenings } = derive({ removeDispatchRules: ['age-limit'] });
    expect(ruleSet.dispatchRules).toContain('age-limit');
    expect(loosenings.map((l) => l.article)).toEqual(['第九条（五）']);
    const evaluation = evaluateExpert(
      makeExpert({ birthDate: '1959-06-01', tier }),
      countyTask,
      { busy: [] },
      ruleSet,
    );
    expect(evaluation.ok).toBe(ok);
    expect(evaluation.reasons.map((r) => r.article)).toEqual(ok ? [] : ['第九条（五）']);
  });

  it('applies the stricter age limits to a provincial expert and the county’s own to its pool (第九条（五）)', () => {
    const { ruleSet, loosenings } = derive({ parameters: { age: { limit: 68 } } });
    expect(ruleSet.age).toEqual({
      limit: 65,
      outstandingLimit: 70,
      checkedThrough: 'every-task-day',
    });
    expect(ruleSet.ownPoolOnly?.age).toEqual({
      limit: 68,
      outstandingLimit: 70,
      checkedThrough: 'every-task-day',
    });
    expect(loosenings.map((l) => l.article)).toEqual(['第九条（五）']);
    const sixtySix = { birthDate: '1960-01-01' };
    const province = evaluateExpert(
      makeExpert({ ...sixtySix, tier: 'province' }),
      countyTask,
      { busy: [] },
      ruleSet,
    );
    const county = evaluateExpert(
      makeExpert({ ...sixtySix, tier: 'county' }),
      countyTask,
      { busy: [] },
      ruleSet,
    );
    expect(province.reasons.map((r) => r.article)).toEqual(['第九条（五）']);
    expect(county.ok).toBe(true);
  });

  it('admits to the county’s own pool under its own raised age limit (第九条（五）, 第二十六条)', () => {
    const { ruleSet } = derive({ parameters: { age: { limit: 68 } } });
    const applicant = makeExpert({ birthDate: '1960-01-01', tier: 'county' });
    expect(evaluateAdmission(applicant, '2026-12-01', ruleSet).ok).toBe(true);
    expect(evaluateAdmission(applicant, '2026-12-01', base).ok).toBe(false);
  });

  it('a stricter local age limit applies to every expert, provincial ones included', () => {
    const { ruleSet, loosenings } = derive({ parameters: { age: { limit: 60 } } });
    expect(loosenings).toEqual([]);
    expect(ruleSet.ownPoolOnly).toBeUndefined();
    const sixtyTwo = makeExpert({ birthDate: '1964-01-01', tier: 'province' });
    expect(evaluateExpert(sixtyTwo, countyTask, { busy: [] }, ruleSet).ok).toBe(false);
  });

  describe('a county that shortens the re-admission bar (第九条（六）, 第十六条（三）, 第二十六条)', () => {
    const shorter = {
      disqualificationBarYears: 2,
      readmissionBar: { titleMisuse: 2, qualificationFraud: 2 },
    };
    // Disqualified for misuse of the title on 2022-01-01, appointed again from 2024-06-01: inside
    // the measures' five years, outside the county's two.
    const reappointed = {
      disqualifiedOn: '2022-01-01',
      disqualifiedUnder: '第十六条（三）' as const,
      appointment: { from: '2024-06-01', to: '2027-05-31', sealed: true },
    };
    it.each<[string, 'province' | 'county', boolean]>([
      ['keeps the provincial expert out of a county draw (the longer bar)', 'province', false],
      ['lets the county’s own expert through under its own bar', 'county', true],
    ])('%s', (_name, tier, ok) => {
      const { ruleSet } = derive({ parameters: shorter });
      const evaluation = evaluateExpert(
        makeExpert({ ...reappointed, tier }),
        countyTask,
        { busy: [] },
        ruleSet,
      );
      expect(evaluation.ok).toBe(ok);
      if (!ok) expect(evaluation.reasons.map((r) => r.ruleId)).toEqual(['good-standing']);
    });

    it('keeps the longer bar in the set, the shorter one for the own pool, and says so', () => {
      const { ruleSet, loosenings } = derive({ parameters: shorter });
      expect(ruleSet.readmissionBar).toEqual({ titleMisuse: 5, qualificationFraud: null });
      expect(ruleSet.disqualificationBarYears).toBe(5);
      expect(ruleSet.ownPoolOnly).toEqual({
        waivedRules: [],
        disqualificationBarYears: 2,
        readmissionBar: { titleMisuse: 2, qualificationFraud: 2 },
      });
      expect(loosenings).toMatchObject([{ article: '第九条（六）', appliesTo: 'own-pool' }]);
    });

    it('admits to the county’s own pool after its own bar (第二十六条)', () => {
      const { ruleSet } = derive({ parameters: shorter });
      const applicant = makeExpert({ ...reappointed, tier: 'county', status: 'applied' });
      expect(evaluateAdmission(applicant, '2024-06-01', ruleSet).ok).toBe(true);
      expect(evaluateAdmission(applicant, '2024-06-01', base).ok).toBe(false);
    });

    it.each<[string, Record<string, unknown>]>([
      ['a longer bar for title misuse', { readmissionBar: { titleMisuse: 10 } }],
      ['never again for every cause', { disqualificationBarYears: null }],
      [
        'a shorter entry that the general five years still outlasts',
        { readmissionBar: { titleMisuse: 2, qualificationFraud: null } },
      ],
    ])('is no loosening: %s applies to every tier', (_name, parameters) => {
      const { ruleSet, loosenings } = derive({ parameters });
      expect(loosenings).toEqual([]);
      expect(ruleSet.ownPoolOnly).toBeUndefined();
    });
  });

  it.each<[number, boolean]>([
    [1, false],
    [3, true],
    [5, true],
  ])(
    'a local engagement look-back of %i years derives: %s (第十六条（一）, provincial experts keep 3)',
    (years, ok) => {
      const result = deriveRuleSet(base, {
        id: 'wuhua-gmy',
        version: '1.0.0',
        parameters: { engagementLookbackYears: years },
      });
      expect(result.ok).toBe(ok);
      if (!result.ok) {
        expect(result.errors.map((e) => e.path)).toEqual(['parameters.engagementLookbackYears']);
      }
    },
  );

  it.each<[number, boolean]>([
    [1, false],
    [2, true],
  ])('a local selection version %i derives: %s (第十四条 holds in every draw)', (version, ok) => {
    const result = deriveRuleSet(base, {
      id: 'wuhua-gmy',
      version: '1.0.0',
      parameters: { selectionVersion: version },
    });
    expect(result.ok).toBe(ok);
    if (!result.ok)
      expect(result.errors.map((e) => e.path)).toEqual(['parameters.selectionVersion']);
  });

  it('refuses an ownPoolOnly written by hand', () => {
    const result = deriveRuleSet(base, {
      id: 'x-1',
      version: '1.0.0',
      parameters: { ownPoolOnly: { waivedRules: ['age-limit'] } } as never,
    });
    expect(!result.ok && result.errors.map((e) => e.path)).toContain('parameters.ownPoolOnly');
  });

  it.each<[string, 'province' | 'city' | 'county', 'province' | 'city' | 'county', boolean]>([
    ['province over county', 'province', 'county', true],
    ['province over city', 'province', 'city', true],
    ['city over county', 'city', 'county', true],
    ['county in a county draw', 'county', 'county', false],
    ['county in a provincial draw', 'county', 'province', false],
  ])('isHigherTier: %s', (_name, expertTier, requester, higher) => {
    expect(isHigherTier(expertTier, requester)).toBe(higher);
  });

  it('a set without loosenings screens every tier alike', () => {
    const plain: RuleSet = base;
    expect(ruleSetForExpert(plain, 'county', 'county')).toBe(plain);
  });
});
