import { describe, expect, it } from 'vitest';
import { makeExpert } from '../fixtures.test-helpers.js';
import { deriveRuleSet } from '../rule-set/derive-rule-set.js';
import { yunnanGmy2025 as ruleSet } from '../rule-set/yunnan-gmy-2025.js';
import type { Expert } from '../schemas/expert.js';
import { checkDisqualificationBar } from './check-disqualification-bar.js';
import { checkQualification } from './check-qualification.js';
import { evaluateAdmission } from './evaluate-admission.js';

const applicant = (overrides: Partial<Expert>) =>
  makeExpert({ status: 'under_review', appointment: null, ...overrides });

describe('checkQualification (第九条（四）)', () => {
  it.each<[string, Partial<Expert>, boolean]>([
    ['admits a senior (full) title', { title: 'senior_full' }, true],
    ['admits an associate senior title (副高级)', { title: 'senior_associate' }, true],
    [
      'admits an intermediate registered safety engineer with 5 years of practice',
      { title: 'intermediate', safetyEngineer: 'intermediate', practiceYears: 5 },
      true,
    ],
    [
      'refuses an intermediate registered safety engineer with 4 years of practice',
      { title: 'intermediate', safetyEngineer: 'intermediate', practiceYears: 4 },
      false,
    ],
    [
      'admits a senior registered safety engineer with 5 years of practice',
      { title: 'none', safetyEngineer: 'senior', practiceYears: 5 },
      true,
    ],
    [
      'refuses an assistant safety engineer however long their practice',
      { title: 'intermediate', safetyEngineer: 'assistant', practiceYears: 30 },
      false,
    ],
    [
      'refuses an intermediate title alone',
      { title: 'intermediate', safetyEngineer: null, practiceYears: 30 },
      false,
    ],
  ])('%s', (_name, overrides, ok) => {
    expect(checkQualification(applicant(overrides), ruleSet)).toMatchObject({
      ruleId: 'qualification',
      article: '第九条（四）',
      ok,
    });
  });
});

describe('checkDisqualificationBar (第十六条（三）, 第九条（六）)', () => {
  it.each([
    ['refuses re-admission the day before the 5-year bar ends', '2021-06-01', '2026-05-31', false],
    ['allows re-admission on the day the 5-year bar ends', '2021-06-01', '2026-06-01', true],
    ['refuses re-admission within the bar', '2024-01-01', '2026-06-01', false],
  ])('%s', (_name, disqualifiedOn, date, ok) => {
    expect(checkDisqualificationBar(applicant({ disqualifiedOn }), date, ruleSet).ok).toBe(ok);
  });

  it('passes someone never disqualified', () => {
    expect(checkDisqualificationBar(applicant({}), '2026-06-01', ruleSet).ok).toBe(true);
  });

  it('refuses for good under a rule set without a bar (第九条（六）)', () => {
    const strict = deriveRuleSet(ruleSet, {
      id: 'strict',
      version: '1.0.0',
      parameters: { disqualificationBarYears: null },
    });
    if (!strict.ok) throw new Error('derivation failed');
    const outcome = checkDisqualificationBar(
      applicant({ disqualifiedOn: '2001-01-01' }),
      '2026-06-01',
      strict.ruleSet,
    );
    expect(outcome).toMatchObject({ ok: false, article: '第九条（六）' });
  });
});

describe('evaluateAdmission', () => {
  it('lists every admission failure with its article', () => {
    const evaluation = evaluateAdmission(
      applicant({ title: 'intermediate', birthDate: '1958-01-01', disqualifiedOn: '2024-01-01' }),
      '2026-06-01',
      ruleSet,
    );
    expect(evaluation.ok).toBe(false);
    expect(evaluation.reasons.map((r) => r.article)).toEqual([
      '第九条（四）',
      '第九条（五）',
      '第十六条（三）',
    ]);
  });

  it('admits a qualified applicant of 65 on the review date', () => {
    expect(
      evaluateAdmission(applicant({ birthDate: '1961-06-01' }), '2026-06-01', ruleSet).ok,
    ).toBe(true);
    expect(
      evaluateAdmission(applicant({ birthDate: '1960-06-01' }), '2026-06-01', ruleSet).ok,
    ).toBe(false);
  });
});
