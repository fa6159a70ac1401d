import { describe, expect, it } from 'vitest';
import { makeExpert } from '../fixtures.test-helpers.js';
import type { RuleSet } from '../rule-set/rule-set.js';
import { yunnanGmy2025 as ruleSet } from '../rule-set/yunnan-gmy-2025.js';
import type { DisqualificationArticle } from '../schemas/expert.js';
import { checkDisqualificationBar } from './check-disqualification-bar.js';
import { readmissionBarOf } from './readmission-bar.js';

const applicant = (disqualifiedOn: string, disqualifiedUnder?: DisqualificationArticle) =>
  makeExpert({
    status: 'under_review',
    appointment: null,
    disqualifiedOn,
    ...(disqualifiedUnder ? { disqualifiedUnder } : {}),
  });

describe('re-admission bar (第九条（六）, 第十六条（三）, 第二十三条（六）)', () => {
  it.each<[string, DisqualificationArticle | undefined, string, boolean, string]>([
    [
      'refuses a person dismissed for fraud the same day',
      '第二十三条（六）',
      '2026-03-01',
      false,
      '第九条（六）',
    ],
    [
      'refuses a person dismissed for fraud ten years on',
      '第二十三条（六）',
      '2036-03-01',
      false,
      '第九条（六）',
    ],
    [
      'bars misuse of the title for five years',
      '第十六条（三）',
      '2031-02-28',
      false,
      '第十六条（三）',
    ],
    [
      'admits after five years for misuse of the title',
      '第十六条（三）',
      '2031-03-01',
      true,
      '第十六条（三）',
    ],
    [
      'reads a disqualification without a cause as 第十六条（三）',
      undefined,
      '2031-03-01',
      true,
      '第十六条（三）',
    ],
  ])('%s (%s, on %s)', (_name, cause, date, ok, article) => {
    const outcome = checkDisqualificationBar(applicant('2026-03-01', cause), date, ruleSet);
    expect(outcome).toMatchObject({ ruleId: 'disqualification-bar', ok, article });
  });

  it('says in Chinese why a fraud dismissal is refused, with a Chinese date', () => {
    const outcome = checkDisqualificationBar(
      applicant('2026-03-01', '第二十三条（六）'),
      '2026-03-01',
      ruleSet,
    );
    expect(outcome.message.zh).toBe(
      '2026年3月1日因弄虚作假骗取专家资格（第二十三条（六））被取消专家资格，不予推荐',
    );
  });

  it.each<[string, Partial<RuleSet>, number | null, string]>([
    [
      'a set stored before the parameter: the general bar',
      { readmissionBar: undefined },
      5,
      '第十六条（三）',
    ],
    [
      'a set taking the five-year reading for fraud too',
      { readmissionBar: { titleMisuse: 5, qualificationFraud: 5 } },
      5,
      '第十六条（三）',
    ],
    [
      'a set barring every cause for good',
      { disqualificationBarYears: null },
      null,
      '第九条（六）',
    ],
  ])('applies the reading of %s to a fraud dismissal', (_name, change, years, article) => {
    const { readmissionBar: _bar, ...rest } = ruleSet;
    const set = { ...rest, ...change } as RuleSet;
    const bar = readmissionBarOf(
      { disqualifiedOn: '2026-03-01', disqualifiedUnder: '第二十三条（六）' },
      set,
    );
    expect(bar).toMatchObject({ years, article });
  });
});
