import { describe, expect, it } from 'vitest';
import { makeExpert, makeTask } from '../fixtures.test-helpers.js';
import { checkEmployerRecusal } from '../rules/check-employer-recusal.js';
import { type Engagement, relatedByEngagement } from './related-by-engagement.js';

const task = makeTask({
  window: { from: '2026-12-10T09:00:00+08:00', to: '2026-12-12T00:00:00+08:00' },
  relatedOrganizations: [{ id: 'org-named', role: 'designer' }],
});
const engagement = (overrides: Partial<Engagement>): Engagement => ({
  id: 'eg-1',
  agencyId: 'org-eval',
  enterpriseId: task.enterprise.id,
  kind: 'safety_evaluation',
  from: '2025-01-01',
  to: '2025-03-31',
  ...overrides,
});

describe('relatedByEngagement (第十六条（一）)', () => {
  it.each<[string, Partial<Engagement>, boolean]>([
    ['relates an agency that evaluated the enterprise within 3 years', {}, true],
    [
      'relates an agency whose engagement ended on the first day of the look-back',
      { to: '2023-12-10' },
      true,
    ],
    [
      'does not relate an agency whose engagement ended the day before the look-back',
      { to: '2023-12-09', from: '2023-01-01' },
      false,
    ],
    [
      'relates an agency whose engagement is still running',
      { from: '2026-06-01', to: '2027-06-01' },
      true,
    ],
    [
      'does not relate an engagement that starts after the task',
      { from: '2026-12-12', to: '2027-01-01' },
      false,
    ],
    ['does not relate an engagement with another enterprise', { enterpriseId: 'org-other' }, false],
    [
      'keeps the dispatcher-named entry for an agency already named',
      { agencyId: 'org-named' },
      false,
    ],
  ])('%s', (_name, overrides, related) => {
    const result = relatedByEngagement(task, [engagement(overrides)], 3);
    expect(result.length).toBe(related ? 1 : 0);
  });

  it('maps each kind to its role and keeps the latest engagement per agency', () => {
    const result = relatedByEngagement(task, [
      engagement({ id: 'eg-old', kind: 'design', to: '2024-02-01', from: '2024-01-01' }),
      engagement({ id: 'eg-new', kind: 'testing' }),
      engagement({ id: 'eg-c', agencyId: 'org-consult', kind: 'consulting' }),
    ]);
    expect(result).toEqual([
      {
        id: 'org-consult',
        role: 'business_partner',
        engagement: { id: 'eg-c', kind: 'consulting', from: '2025-01-01', to: '2025-03-31' },
      },
      {
        id: 'org-eval',
        role: 'testing_agency',
        engagement: { id: 'eg-new', kind: 'testing', from: '2025-01-01', to: '2025-03-31' },
      },
    ]);
  });

  it('a shorter look-back leaves an older engagement out', () => {
    expect(relatedByEngagement(task, [engagement({})], 1)).toEqual([]);
  });

  it('the recusal names the engagement and cites 第十六条（一）', () => {
    const relatedOrganizations = relatedByEngagement(task, [engagement({})]);
    const expert = makeExpert({
      employer: { id: 'org-eval', name: '某评价公司', kind: 'evaluation_agency' },
    });
    const outcome = checkEmployerRecusal(expert, { ...task, relatedOrganizations });
    expect(outcome.ok).toBe(false);
    expect(outcome.article).toBe('第十六条（一）');
    expect(outcome.message.zh).toBe(
      '所在单位“某评价公司”2025年1月1日至3月31日为服务对象承担安全评价业务（往来记录 eg-1），应当回避',
    );
  });
});
