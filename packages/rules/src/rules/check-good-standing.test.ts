import { describe, expect, it } from 'vitest';
import { makeExpert } from '../fixtures.test-helpers.js';
import type { Expert } from '../schemas/expert.js';
import { checkGoodStanding } from './check-good-standing.js';

describe('checkGoodStanding', () => {
  it.each<[string, Partial<Expert>, boolean, string]>([
    ['passes an active expert with a clean record', {}, true, '第九条（六）'],
    ['excludes a dismissed expert', { status: 'dismissed' }, false, '第二十三条'],
    ['excludes a withdrawn expert', { status: 'withdrawn' }, false, '第二十四条'],
    ['excludes a suspended expert', { status: 'suspended' }, false, '第十二条'],
    [
      'excludes an expert disqualified during the current appointment',
      { disqualifiedOn: '2026-02-01' },
      false,
      '第十六条（三）',
    ],
    [
      'excludes a disqualified expert even if still marked active',
      { disqualifiedOn: '2026-01-01', status: 'active' },
      false,
      '第十六条（三）',
    ],
    [
      'passes an expert re-appointed after the disqualification bar',
      {
        disqualifiedOn: '2019-05-01',
        appointment: { from: '2026-01-01', to: '2028-12-31', sealed: true },
      },
      true,
      '第九条（六）',
    ],
  ])('%s', (_name, overrides, ok, article) => {
    expect(checkGoodStanding(makeExpert(overrides))).toMatchObject({
      ruleId: 'good-standing',
      ok,
      article,
    });
  });
});
