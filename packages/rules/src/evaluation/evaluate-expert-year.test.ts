import { describe, expect, it } from 'vitest';
import { deriveRuleSet } from '../rule-set/derive-rule-set.js';
import { localPolicies } from '../rule-set/local-policy.js';
import { yunnanGmy2025 } from '../rule-set/yunnan-gmy-2025.js';
import { type ExpertYearRecord, evaluateExpertYear } from './evaluate-expert-year.js';
import { isCommendable, isTitleReviewCandidate } from './evaluation-lists.js';

const QUIET: ExpertYearRecord = {
  tasksServed: 0,
  noShows: 0,
  refusals: { justified: 0, unjustified: 0, pending: 0 },
  silences: 0,
  ratings: [],
  qualityNotes: 0,
  warnings: [],
};

const year = (overrides: Partial<ExpertYearRecord>): ExpertYearRecord => ({
  ...QUIET,
  ...overrides,
});

describe('evaluateExpertYear (第二十条; weights 本厅规定)', () => {
  it.each([
    ['a quiet year stays at the base score', QUIET, 80, 'competent'],
    [
      'five tasks rated 5 and 4 is excellent',
      year({ tasksServed: 5, ratings: [5, 4] }),
      97.5,
      'excellent',
    ],
    ['tasks count up to the cap only', year({ tasksServed: 9, ratings: [4] }), 95, 'excellent'],
    [
      'a high score with fewer tasks than excellence needs stays competent',
      year({ tasksServed: 2, ratings: [5, 5] }),
      94,
      'competent',
    ],
    [
      'justified refusals cost nothing (第七条（六）)',
      year({
        tasksServed: 3,
        refusals: { justified: 4, unjustified: 0, pending: 0 },
        ratings: [5],
      }),
      96,
      'excellent',
    ],
    [
      'refusals awaiting the department’s decision are not counted (第十五条)',
      year({ refusals: { justified: 0, unjustified: 0, pending: 3 } }),
      80,
      'competent',
    ],
    [
      'two unjustified refusals and a silence after delivery cost 24 (第十五条)',
      year({ tasksServed: 1, refusals: { justified: 0, unjustified: 2, pending: 0 }, silences: 1 }),
      58,
      'incompetent',
    ],
    [
      'a no-show costs 10 (第十五条)',
      year({ tasksServed: 2, noShows: 1, ratings: [3] }),
      74,
      'basically_competent',
    ],
    [
      'a warning costs 15 (第二十三条（一）)',
      year({ tasksServed: 2, warnings: [{ on: '2026-05-01', article: '第二十三条（一）' }] }),
      69,
      'basically_competent',
    ],
    [
      'poor ratings pull the score down (第二十条)',
      year({ tasksServed: 1, ratings: [1, 2] }),
      74.5,
      'basically_competent',
    ],
    ['the score never falls below 0', year({ noShows: 12 }), 0, 'incompetent'],
  ] as const)('%s', (_name, record, score, grade) => {
    const result = evaluateExpertYear(record, yunnanGmy2025);
    expect(result.score).toBe(score);
    expect(result.grade).toBe(grade);
    expect(result.article).toBe('第二十条');
  });

  it('lists every input with its count and article, counted or not', () => {
    const result = evaluateExpertYear(
      year({
        tasksServed: 4,
        noShows: 1,
        refusals: { justified: 2, unjustified: 1, pending: 1 },
        silences: 1,
        ratings: [5, 4, 4],
        qualityNotes: 2,
        warnings: [{ on: '2026-03-01', article: '第二十三条（一）' }],
      }),
      yunnanGmy2025,
    );
    const byItem = Object.fromEntries(result.evidence.map((line) => [line.item, line]));
    expect(byItem.tasks_served).toMatchObject({ count: 4, points: 8, article: '第十五条' });
    expect(byItem.ratings).toMatchObject({
      count: 3,
      value: 4.33,
      points: 6.65,
      article: '第二十条',
    });
    expect(byItem.quality_notes).toMatchObject({ count: 2, points: 0, counted: false });
    expect(byItem.refusals_justified).toMatchObject({
      count: 2,
      points: 0,
      article: '第七条（六）',
    });
    expect(byItem.refusals_unjustified).toMatchObject({ count: 1, points: -8, counted: true });
    expect(byItem.refusals_pending).toMatchObject({ count: 1, points: 0, counted: false });
    expect(byItem.silences).toMatchObject({ count: 1, points: -8 });
    expect(byItem.no_shows).toMatchObject({ count: 1, points: -10 });
    expect(byItem.warnings).toMatchObject({ count: 1, points: -15, article: '第二十三条（一）' });
    // 80 + 8 + 6.65 − 8 − 8 − 10 − 15 = 53.65
    expect(result.score).toBe(53.7);
    expect(result.grade).toBe('incompetent');
  });

  it('does not count silence where the rule set does not (countsSilenceAfterDelivery)', () => {
    const derived = deriveRuleSet(yunnanGmy2025, {
      id: 'silence-free',
      version: '1.0.0',
      parameters: { countsSilenceAfterDelivery: false },
    });
    if (!derived.ok) throw new Error('derivation failed');
    const result = evaluateExpertYear(year({ silences: 2 }), derived.ruleSet);
    expect(result.score).toBe(80);
    expect(result.evidence.find((line) => line.item === 'silences')).toMatchObject({
      count: 2,
      points: 0,
      counted: false,
    });
  });

  it('follows a derived set’s own thresholds', () => {
    const derived = deriveRuleSet(yunnanGmy2025, {
      id: 'strict-eval',
      version: '1.0.0',
      parameters: { yearlyEvaluation: { grades: { competent: 85 } } },
    });
    if (!derived.ok) throw new Error('derivation failed');
    expect(evaluateExpertYear(QUIET, derived.ruleSet).grade).toBe('basically_competent');
  });

  it('shows the weights as 本厅规定 / local policy with no article', () => {
    const entry = localPolicies(yunnanGmy2025).find((p) => p.parameter === 'yearlyEvaluation');
    expect(entry).toMatchObject({ article: null, source: { zh: '本厅规定' } });
    expect(entry?.value).toMatchObject({ grades: { excellent: 90 } });
  });
});

describe('the lists fed by the evaluation', () => {
  it.each([
    ['excellent', true],
    ['competent', false],
    ['basically_competent', false],
    ['incompetent', false],
  ] as const)('commends a %s result: %s (第二十条（一）)', (grade, commended) => {
    expect(isCommendable(grade)).toBe(commended);
  });

  it.each([
    ['正高级, excellent, rated 4.5', 'senior_full', 'excellent', 4.5, true],
    ['正高级, competent, rated 4', 'senior_full', 'competent', 4, true],
    ['正高级, competent, rated 3.9', 'senior_full', 'competent', 3.9, false],
    ['正高级, excellent, never rated', 'senior_full', 'excellent', null, false],
    ['正高级, basically competent', 'senior_full', 'basically_competent', 5, false],
    ['副高级, excellent', 'senior_associate', 'excellent', 5, false],
  ] as const)(
    'the 职称评审 reserve: %s → %s (第二十条（三）)',
    (_name, title, grade, rating, ok) => {
      expect(isTitleReviewCandidate({ title, grade, averageRating: rating }, yunnanGmy2025)).toBe(
        ok,
      );
    },
  );
});
