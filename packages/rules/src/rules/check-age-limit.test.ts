import { describe, expect, it } from 'vitest';
import { makeExpert, makeTask } from '../fixtures.test-helpers.js';
import { yunnanGmy2025 as ruleSet } from '../rule-set/yunnan-gmy-2025.js';
import { checkAgeLimit } from './check-age-limit.js';

// The default task starts on 2026-03-02 (Asia/Shanghai).
const approval = (limit: { maxAge: number } | { lastDate: string }) => ({
  ...limit,
  document: '云应急函〔2026〕12号',
  approvedBy: '省应急管理厅',
  approvedOn: '2026-01-10',
});
const at = (from: string, to = '2026-03-10T18:00:00+08:00') => makeTask({ window: { from, to } });

describe('checkAgeLimit (第九条（五）)', () => {
  it.each([
    ['passes an expert who turns 65 on the task’s first day', '1961-03-02', {}, true],
    ['excludes an expert aged 65 who turns 66 during the task', '1960-03-03', {}, false],
    ['passes an expert who turns 66 the day after the task ends', '1960-03-11', {}, true],
    ['excludes an expert who turns 66 on the task’s first day', '1960-03-02', {}, false],
    ['excludes an expert over 65 on the task date', '1955-01-01', {}, false],
    ['passes an outstanding expert aged 70 throughout', '1956-03-11', { outstanding: true }, true],
    ['excludes an outstanding expert aged 71', '1955-03-02', { outstanding: true }, false],
    [
      'passes an expert of 75 under a waiver approved up to 76',
      '1951-01-01',
      { ageWaiver: true, ageWaiverApproval: approval({ maxAge: 76 }) },
      true,
    ],
    [
      'excludes an expert of 75 under a waiver approved up to 72 (适当放宽 is not “no limit”)',
      '1951-01-01',
      { ageWaiver: true, ageWaiverApproval: approval({ maxAge: 72 }) },
      false,
    ],
    [
      'passes an expert of 75 under a waiver approved until the task’s last day',
      '1951-01-01',
      { ageWaiver: true, ageWaiverApproval: approval({ lastDate: '2026-03-10' }) },
      true,
    ],
    [
      'excludes an expert of 75 under a waiver approved until the day before the task ends',
      '1951-01-01',
      { ageWaiver: true, ageWaiverApproval: approval({ lastDate: '2026-03-09' }) },
      false,
    ],
    [
      'passes an expert of 75 under a waiver stored without a limit (old draw inputs replay unchanged)',
      '1951-01-01',
      { ageWaiver: true },
      true,
    ],
  ])('%s', (_name, birthDate, flags, ok) => {
    const outcome = checkAgeLimit(
      makeExpert({ birthDate, ...flags }),
      at('2026-03-02T08:30:00+08:00'),
      {
        ruleSet,
      },
    );
    expect(outcome).toMatchObject({ ruleId: 'age-limit', article: '第九条（五）', ok });
  });

  it.each([
    [
      '2026-03-02T09:00:00+08:00',
      '2026-03-03T18:00:00+08:00',
      false,
      'turning 66 on the task’s second day',
    ],
    [
      '2026-03-02T09:00:00+08:00',
      '2026-03-02T18:00:00+08:00',
      true,
      'a one-day task the day before',
    ],
    [
      '2026-03-03T09:00:00+08:00',
      '2026-03-03T18:00:00+08:00',
      false,
      'a one-day task on the birthday',
    ],
  ])('judges every day of the task (第九条（五）): %s to %s passes %s (%s)', (from, to, ok) => {
    const expert = makeExpert({ birthDate: '1960-03-03' });
    expect(checkAgeLimit(expert, at(from, to), { ruleSet }).ok).toBe(ok);
  });

  it.each([
    ['1961-03-03', true, 'turns 65 on day two: 65周岁 is within 不超过65周岁'],
    ['1960-03-04', true, 'turns 66 the day after the task'],
    ['1960-03-03', false, 'turns 66 on day two'],
    ['1955-03-03', false, 'an outstanding expert turning 71 on day two', true],
    ['1955-03-04', true, 'an outstanding expert of 70 throughout', true],
  ] as [string, boolean, string, boolean?][])(
    'born %s, passes a task of 2 and 3 March 2026: %s (%s, 第九条（五）)',
    (birthDate, ok, _why, outstanding = false) => {
      const expert = makeExpert({ birthDate, outstanding });
      const task = at('2026-03-02T09:00:00+08:00', '2026-03-03T18:00:00+08:00');
      expect(checkAgeLimit(expert, task, { ruleSet }).ok).toBe(ok);
    },
  );

  it('names in Chinese the day the expert passes the limit during the task', () => {
    const expert = makeExpert({ birthDate: '1960-03-03' });
    const outcome = checkAgeLimit(
      expert,
      at('2026-03-02T09:00:00+08:00', '2026-03-04T18:00:00+08:00'),
      { ruleSet },
    );
    expect(outcome.message.zh).toBe(
      '任务期间（2026年3月2日至3月4日）于2026年3月3日超过65周岁上限（当日66周岁）',
    );
  });

  it('judges the first day only under a rule set stored before every day was checked (replay)', () => {
    const stored = { ...ruleSet, age: { limit: 65, outstandingLimit: 70 } };
    const expert = makeExpert({ birthDate: '1960-03-03' });
    const task = at('2026-03-02T09:00:00+08:00', '2026-03-03T18:00:00+08:00');
    expect(checkAgeLimit(expert, task, { ruleSet: stored }).ok).toBe(true);
  });

  it('evaluates age at the task’s date, not at the time of the draw', () => {
    const expert = makeExpert({ birthDate: '1961-06-01' });
    const oneDay = (day: string) => at(`${day}T09:00:00+08:00`, `${day}T18:00:00+08:00`);
    expect(checkAgeLimit(expert, oneDay('2027-05-31'), { ruleSet }).ok).toBe(true);
    expect(checkAgeLimit(expert, oneDay('2027-06-01'), { ruleSet }).ok).toBe(false);
  });

  it('reads the first day in Asia/Shanghai when the window is given in UTC', () => {
    // 2026-03-01T16:30Z is already 2026-03-02 00:30 in Kunming: the 66th birthday.
    const expert = makeExpert({ birthDate: '1960-03-02' });
    expect(
      checkAgeLimit(expert, at('2026-03-01T16:30:00Z', '2026-03-01T17:30:00Z'), { ruleSet }).ok,
    ).toBe(false);
    expect(
      checkAgeLimit(expert, at('2026-03-01T14:30:00Z', '2026-03-01T15:30:00Z'), { ruleSet }).ok,
    ).toBe(true);
  });

  it('treats a 29 February birthday as reached on 28 February in a common year', () => {
    const expert = makeExpert({ birthDate: '1960-02-29' });
    const oneDay = (day: string) => at(`${day}T09:00:00+08:00`, `${day}T18:00:00+08:00`);
    expect(checkAgeLimit(expert, oneDay('2026-02-27'), { ruleSet }).ok).toBe(true);
    expect(checkAgeLimit(expert, oneDay('2026-02-28'), { ruleSet }).ok).toBe(false);
  });

  it('explains the failure in Chinese and English', () => {
    const outcome = checkAgeLimit(makeExpert({ birthDate: '1955-01-01' }), makeTask(), { ruleSet });
    expect(outcome.message.zh).toContain('71周岁');
    expect(outcome.message.en).toContain('aged 71');
  });
});
