import { describe, expect, it } from 'vitest';
import { makeExpert, makeTask } from '../fixtures.test-helpers.js';
import { checkOutsideEnterpriseCounty } from '../rules/check-outside-enterprise-area.js';
import { deriveRuleSet } from './derive-rule-set.js';
import { localPolicies } from './local-policy.js';
import { yunnanGmy2025 } from './yunnan-gmy-2025.js';

describe('local policy is labelled, never cited to an article', () => {
  it.each([
    ['panel.maxMembersPerEmployer', 1],
    ['panel.leaderTitles', ['senior_full', 'senior_associate']],
    ['replyDeadlineMinutes', { urgent: 30, routine: 1440 }],
    ['urgentOverInvite', 2],
    ['publicNoticeBackdateWorkingDays', 1],
    ['engagementLookbackYears', 3],
    ['appointment.renewalNoticeDays', 90],
    ['certificateNumbering', { pattern: '云应急专家〔{year}〕第{seq}号', digits: 4 }],
    ['dispatchRules.outside-enterprise-county', false],
    ['dispatchRules.outside-enterprise-city', false],
  ])('lists %s as 本厅规定 / local policy with its value and no article', (parameter, value) => {
    const entry = localPolicies(yunnanGmy2025).find((p) => p.parameter === parameter);
    expect(entry).toMatchObject({
      value,
      article: null,
      source: { zh: '本厅规定', en: 'local policy' },
    });
  });

  it('shows a derived set’s own values, same-region avoidance switched on', () => {
    const derived = deriveRuleSet(yunnanGmy2025, {
      id: 'wuhua-gmy',
      version: '1.0.0',
      addDispatchRules: ['outside-enterprise-county'],
      parameters: { panel: { maxMembersPerEmployer: 2 } },
    });
    if (!derived.ok) throw new Error('derivation failed');
    const values = Object.fromEntries(
      localPolicies(derived.ruleSet).map((p) => [p.parameter, p.value]),
    );
    expect(values['panel.maxMembersPerEmployer']).toBe(2);
    expect(values['dispatchRules.outside-enterprise-county']).toBe(true);
  });

  it('the same-county avoidance outcome carries no article and says 本厅规定', () => {
    const outcome = checkOutsideEnterpriseCounty(makeExpert({ region: '530111' }), makeTask());
    expect(outcome.article).toBeNull();
    expect(outcome.message.zh).toContain('本厅规定');
  });
});
