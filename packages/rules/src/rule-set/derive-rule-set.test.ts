import { describe, expect, it } from 'vitest';
import { deriveRuleSet, type RuleSetOverrides } from './derive-rule-set.js';
import { ruleSetSchema } from './rule-set.js';
import { yunnanGmy2025 as base } from './yunnan-gmy-2025.js';

describe('yunnanGmy2025', () => {
  it('is a valid rule set whose numbers are those of the measures', () => {
    expect(ruleSetSchema.parse(base)).toEqual(base);
    expect(base.age).toEqual({ limit: 65, outstandingLimit: 70, checkedThrough: 'every-task-day' }); // 第九条（五）
    expect(base.readmissionBar).toEqual({ titleMisuse: 5, qualificationFraud: null }); // 第十六条（三）, 第九条（六）
    expect(base.appointment.termYears).toBe(3); // 第十一条
    expect(base.publicNoticeWorkingDays).toBe(5); // 第十条（四）
    expect(base.disqualificationBarYears).toBe(5); // 第十六条（三）
    expect(base.declineWarning).toEqual({ count: 2, windowMonths: 12 }); // 第二十三条（一） 1年内
    expect(base.declineReasonsJustifiedOnWord).toEqual(['conflict_of_interest']); // 第八条（四）
    expect(base.countsSilenceAfterDelivery).toBe(true); // 第二十三条（一） 超时未响应
    expect(base.sealedPanelList).toBe(true); // 第八条（五）（七）
    expect(base.urgentOverInvite).toBe(2); // 第六条（四）, 第十五条
  });

  it('still reads a rule set stored before urgentOverInvite existed, unchanged (replayable)', () => {
    const { urgentOverInvite: _urgentOverInvite, ...older } = base;
    expect(ruleSetSchema.parse(older)).toEqual(older);
  });

  it('still reads a rule set stored before the 第二十三条（一） parameters, unchanged (replayable)', () => {
    const {
      declineReasonsJustifiedOnWord: _onWord,
      countsSilenceAfterDelivery: _silence,
      sealedPanelList: _sealed,
      urgentOverInvite: _urgentOverInvite,
      ...rest
    } = base;
    const older = { ...rest, declineWarning: { count: 2, windowDays: 365 } };
    expect(ruleSetSchema.parse(older)).toEqual(older);
  });

  it('refuses a window given both in months and in days', () => {
    const both = { ...base, declineWarning: { count: 2, windowDays: 365, windowMonths: 12 } };
    expect(ruleSetSchema.safeParse(both).success).toBe(false);
  });

  it('derives a county set that takes illness on the word and does not count silence', () => {
    const result = deriveRuleSet(base, {
      id: 'kunming-guandu-gmy',
      version: '1.0.0',
      parameters: {
        declineReasonsJustifiedOnWord: ['conflict_of_interest', 'illness'],
        countsSilenceAfterDelivery: false,
      },
    });
    expect(result.ok && result.ruleSet.declineReasonsJustifiedOnWord).toEqual([
      'conflict_of_interest',
      'illness',
    ]);
    expect(result.ok && result.ruleSet.countsSilenceAfterDelivery).toBe(false);
  });

  it('cannot be changed in place', () => {
    expect(Object.isFrozen(base.age)).toBe(true);
    expect(() => {
      (base.age as { limit: number }).limit = 80;
    }).toThrow();
  });
});

describe('deriveRuleSet (第二十六条)', () => {
  it('builds a county set that also avoids experts from the enterprise’s county', () => {
    const result = deriveRuleSet(base, {
      id: 'kunming-guandu-gmy',
      version: '1.0.0',
      name: { zh: '官渡区工贸专家规则', en: 'Guandu district rules' },
      addDispatchRules: ['outside-enterprise-county'],
      parameters: { replyDeadlineMinutes: { routine: 720 }, age: { limit: 60 } },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ruleSet.dispatchRules.at(-1)).toBe('outside-enterprise-county');
    expect(result.ruleSet.replyDeadlineMinutes).toEqual({ urgent: 30, routine: 720 });
    expect(result.ruleSet.age).toEqual({
      limit: 60,
      outstandingLimit: 70,
      checkedThrough: 'every-task-day',
    });
    expect(result.ruleSet.basedOn).toEqual({ id: 'yunnan-gmy-2025', version: '2.0.0' });
    expect(base.age.limit).toBe(65);
  });

  it('lets a local set change how many alternates urgent work invites at once (第二十六条)', () => {
    const result = deriveRuleSet(base, {
      id: 'x-urgent',
      version: '1.0.0',
      parameters: { urgentOverInvite: 4 },
    });
    expect(result.ok && result.ruleSet.urgentOverInvite).toBe(4);
  });

  it('removes a rule and does not repeat one added twice', () => {
    const result = deriveRuleSet(base, {
      id: 'x-1',
      version: '1.0.0',
      addDispatchRules: ['outside-enterprise-city', 'outside-enterprise-city'],
      removeDispatchRules: ['availability'],
    });
    expect(
      result.ok && result.ruleSet.dispatchRules.filter((r) => r === 'outside-enterprise-city'),
    ).toHaveLength(1);
    expect(result.ok && result.ruleSet.dispatchRules.includes('availability')).toBe(false);
  });

  it.each<[string, RuleSetOverrides, string]>([
    [
      'an unknown parameter',
      { id: 'x-1', version: '1.0.0', parameters: { ageLimt: 60 } as never },
      'parameters.ageLimt',
    ],
    [
      'a misspelt nested parameter',
      { id: 'x-1', version: '1.0.0', parameters: { age: { limt: 60 } } as never },
      'parameters.age.limt',
    ],
    [
      'an outstanding limit below the general one',
      { id: 'x-1', version: '1.0.0', parameters: { age: { outstandingLimit: 60 } } },
      'parameters.age.outstandingLimit',
    ],
    [
      'a negative panel cap',
      { id: 'x-1', version: '1.0.0', parameters: { panel: { maxMembersPerEmployer: 0 } } },
      'parameters.panel.maxMembersPerEmployer',
    ],
    [
      'an urgent over-invitation above 20',
      { id: 'x-1', version: '1.0.0', parameters: { urgentOverInvite: 21 } },
      'parameters.urgentOverInvite',
    ],
    [
      'a negative urgent over-invitation',
      { id: 'x-1', version: '1.0.0', parameters: { urgentOverInvite: -1 } },
      'parameters.urgentOverInvite',
    ],
    ['a bad id', { id: 'Bad Id', version: '1.0.0' }, 'id'],
    ['a bad version', { id: 'x-1', version: 'v1' }, 'version'],
    ['the base’s own id and version', { id: 'yunnan-gmy-2025', version: '2.0.0' }, 'version'],
    ['the base’s id under an older version', { id: 'yunnan-gmy-2025', version: '1.0.0' }, 'id'],
    [
      'an unknown rule',
      { id: 'x-1', version: '1.0.0', addDispatchRules: ['no-such-rule'] as never },
      'addDispatchRules.0',
    ],
  ])('refuses %s with the path of the bad field', (_name, overrides, path) => {
    const result = deriveRuleSet(base, overrides);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toContain(path);
    expect(result.errors.every((e) => e.message.length > 0)).toBe(true);
  });

  it('refuses to remove every rule', () => {
    const result = deriveRuleSet(base, {
      id: 'x-1',
      version: '1.0.0',
      removeDispatchRules: [...base.dispatchRules],
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]?.path).toBe('dispatchRules');
  });
});
