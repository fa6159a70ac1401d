import { describe, expect, it } from 'vitest';
import { makeExpert } from '../fixtures.test-helpers.js';
import { yunnanGmy2025 as ruleSet } from '../rule-set/yunnan-gmy-2025.js';
import { ageLimitExceededOn } from './age-limit-date.js';
import { evaluateConduct } from './evaluate-conduct.js';
import { isProfileStale } from './is-profile-stale.js';
import { termStanding } from './term-standing.js';

describe('isProfileStale (第八条（一）)', () => {
  it.each([
    ['is current exactly 12 months after the update', '2026-03-01T23:00:00+08:00', false],
    ['is stale the day after 12 months', '2026-03-02T00:00:00+08:00', true],
    ['is current a day after the update', '2025-03-02T09:00:00+08:00', false],
  ])('%s', (_name, now, stale) => {
    expect(isProfileStale({ profileUpdatedAt: '2025-03-01T10:00:00+08:00' }, now, ruleSet)).toBe(
      stale,
    );
  });
});

describe('termStanding (第十一条)', () => {
  const expert = makeExpert({
    appointment: { from: '2024-01-01', to: '2026-12-31', sealed: true },
  });
  it.each([
    ['is in force 91 days before the end', '2026-10-01T09:00:00+08:00', 'in_force'],
    ['is due for renewal 90 days before the end', '2026-10-02T09:00:00+08:00', 'renewal_due'],
    ['is due for renewal on the last day', '2026-12-31T23:59:00+08:00', 'renewal_due'],
    ['has lapsed the day after the end', '2027-01-01T00:00:00+08:00', 'lapsed'],
    ['has not started before the first day', '2023-12-31T09:00:00+08:00', 'not_started'],
  ])('%s', (_name, now, state) => {
    expect(termStanding(expert, now, ruleSet).state).toBe(state);
  });

  it('has no standing without an appointment', () => {
    expect(
      termStanding(makeExpert({ appointment: null }), '2026-01-01T00:00:00Z', ruleSet),
    ).toEqual({ state: 'none' });
  });
});

describe('ageLimitExceededOn (第九条（五）)', () => {
  it.each([
    [
      'is the 66th birthday for most experts',
      { outstanding: false, ageWaiver: false },
      '2027-03-01',
    ],
    [
      'is the 71st birthday for an outstanding expert',
      { outstanding: true, ageWaiver: false },
      '2032-03-01',
    ],
    [
      'is the day after an approved waiver’s last date',
      {
        outstanding: false,
        ageWaiver: true,
        ageWaiverApproval: {
          lastDate: '2028-06-30',
          document: '云应急函〔2026〕12号',
          approvedBy: '省应急管理厅',
          approvedOn: '2026-01-10',
        },
      },
      '2028-07-01',
    ],
    [
      'is the 73rd birthday under a waiver approved up to 72',
      {
        outstanding: true,
        ageWaiver: true,
        ageWaiverApproval: {
          maxAge: 72,
          document: '云应急函〔2026〕12号',
          approvedBy: '省应急管理厅',
          approvedOn: '2026-01-10',
        },
      },
      '2034-03-01',
    ],
    [
      'never comes under a waiver stored without a limit',
      { outstanding: false, ageWaiver: true },
      null,
    ],
  ])('%s', (_name, flags, date) => {
    expect(ageLimitExceededOn({ birthDate: '1961-03-01', ...flags }, ruleSet)).toBe(date);
  });
});

describe('evaluateConduct', () => {
  it('collects every flag with its article and evidence', () => {
    const expert = makeExpert({
      profileUpdatedAt: '2025-01-01T10:00:00+08:00',
      appointment: { from: '2024-01-01', to: '2026-12-31', sealed: true },
    });
    const records = [
      {
        expertId: 'e-1',
        taskId: 't-a',
        at: '2026-05-01T10:00:00+08:00',
        outcome: 'timed_out' as const,
      },
      {
        expertId: 'e-1',
        taskId: 't-b',
        at: '2026-09-01T10:00:00+08:00',
        outcome: 'declined' as const,
        reason: 'unjustified' as const,
      },
    ];
    const flags = evaluateConduct(expert, records, '2026-11-29T09:00:00+08:00', ruleSet);
    expect(flags.map((f) => [f.flag, f.article])).toEqual([
      ['decline_warning', '第二十三条（一）'],
      ['stale_profile', '第八条（一）'],
      ['renewal_due', '第十一条'],
    ]);
    expect(flags[0]?.evidence.map((r) => r.taskId)).toEqual(['t-a', 't-b']);
  });

  it('raises nothing for an expert in good order', () => {
    expect(evaluateConduct(makeExpert(), [], '2026-11-29T09:00:00+08:00', ruleSet)).toEqual([]);
  });
});
