import { describe, expect, it } from 'vitest';
import { makeExpert, makeTask } from '../fixtures.test-helpers.js';
import type { Expert } from '../schemas/expert.js';
import type { Industry } from '../vocabulary/industry.js';
import { checkIndustryExpertise, industriesServed } from './check-industry-expertise.js';

describe('checkIndustryExpertise (第五条, 第十四条)', () => {
  it.each<[string, Partial<Expert>, Industry[], boolean]>([
    [
      'passes an expert listing the task’s industry',
      { industries: ['metallurgy'] },
      ['metallurgy'],
      true,
    ],
    [
      'passes an expert covering one of two industries',
      { industries: ['machinery'] },
      ['metallurgy', 'machinery'],
      true,
    ],
    [
      'excludes an expert of another industry',
      { industries: ['nonferrous'] },
      ['metallurgy'],
      false,
    ],
    [
      'excludes an expert whose group covers the industry but who does not list it',
      { group: 'metallurgy_nonferrous_machinery', industries: ['nonferrous'] },
      ['machinery'],
      false,
    ],
    [
      'passes a comprehensive-group expert for any industry',
      { group: 'comprehensive', industries: [] },
      ['tobacco'],
      true,
    ],
  ])('%s', (_name, overrides, taskIndustries, ok) => {
    const outcome = checkIndustryExpertise(
      makeExpert(overrides),
      makeTask({ industries: taskIndustries }),
    );
    expect(outcome).toMatchObject({ ruleId: 'industry-expertise', article: '第十四条', ok });
  });

  it('says when an expert serves through the comprehensive group', () => {
    const outcome = checkIndustryExpertise(
      makeExpert({ group: 'comprehensive', industries: ['commerce'] }),
      makeTask({ industries: ['tobacco'] }),
    );
    expect(outcome.message.zh).toContain('综合组');
  });

  it('lists the industries served', () => {
    expect(
      industriesServed({ group: 'comprehensive', industries: [] }, ['tobacco', 'textiles']),
    ).toEqual(['tobacco', 'textiles']);
    expect(
      industriesServed({ group: 'metallurgy_nonferrous_machinery', industries: ['machinery'] }, [
        'metallurgy',
        'machinery',
      ]),
    ).toEqual(['machinery']);
  });
});
