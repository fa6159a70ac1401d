import { describe, expect, it } from 'vitest';
import { makeExpert, makeTask } from '../fixtures.test-helpers.js';
import { yunnanGmy2025 as ruleSet } from '../rule-set/yunnan-gmy-2025.js';
import { checkAgeLimit } from './check-age-limit.js';

// The default task starts on 2026-03-02 (Asia/Shanghai).
const at = (from: string, to = '2026-03-10T18:00:00+08:00') => makeTask({ window: { from, to } });

describe('checkAgeLimit (第九条（五）)', () => {
  it.each([
    ['passes an expert who turns 65 on the task’s first day', '1961-03-02', {}, true],
    ['passes an expert aged 65 the day before turning 66', '1960-03-03', {}, true],
    ['excludes an expert who turns 66 on the task’s first day', '1960-03-02', {}, false],
    ['excludes an expert over 65 on the task date', '1955-01-01', {}, false],
    ['passes an outstanding expert aged 70', '1956-03-03', { outstanding: true }, true],
    ['excludes an outstanding expert aged 71', '1955-03-02', { outstanding: true }, false],
    [
      'passes an expert of 75 with the department’s waiver',
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

  it('evaluates age at the task’s date, not at the time of the draw', () => {
    const expert = makeExpert({ birthDate: '1961-06-01' });
    expect(checkAgeLimit(expert, at('2027-05-31T09:00:00+08:00'), { ruleSet }).ok).toBe(true);
    expect(checkAgeLimit(expert, at('2027-06-01T09:00:00+08:00'), { ruleSet }).ok).toBe(false);
  });

  it('reads the first day in Asia/Shanghai when the window is given in UTC', () => {
    // 2026-03-01T16:30Z is already 2026-03-02 00:30 in Kunming: the 66th birthday.
    const expert = makeExpert({ birthDate: '1960-03-02' });
    expect(checkAgeLimit(expert, at('2026-03-01T16:30:00Z'), { ruleSet }).ok).toBe(false);
    expect(checkAgeLimit(expert, at('2026-03-01T15:30:00Z'), { ruleSet }).ok).toBe(true);
  });

  it('treats a 29 February birthday as reached on 28 February in a common year', () => {
    const expert = makeExpert({ birthDate: '1960-02-29' });
    expect(checkAgeLimit(expert, at('2026-02-27T09:00:00+08:00'), { ruleSet }).ok).toBe(true);
    expect(checkAgeLimit(expert, at('2026-02-28T09:00:00+08:00'), { ruleSet }).ok).toBe(false);
  });

  it('explains the failure in Chinese and English', () => {
    const outcome = checkAgeLimit(makeExpert({ birthDate: '1955-01-01' }), makeTask(), { ruleSet });
    expect(outcome.message.zh).toContain('71 周岁');
    expect(outcome.message.en).toContain('aged 71');
  });
});
