import type { RuleSet } from '../rule-set/rule-set.js';
import type { Label } from '../vocabulary/define-vocabulary.js';
import {
  DEFAULT_YEARLY_EVALUATION,
  type EvaluationGrade,
  type YearlyEvaluationPolicy,
} from './yearly-evaluation-policy.js';

/** What the department recorded about one expert in one year (all counts of that year). */
export interface ExpertYearRecord {
  /** Tasks the expert served on (accepted, not a no-show): attendance (第十五条). */
  readonly tasksServed: number;
  /** Accepted and then absent (未到岗): attendance data (第十五条). */
  readonly noShows: number;
  /** Refusals as the department decided them (第十五条, 第二十三条（一）). */
  readonly refusals: {
    /** Justified on the word or so decided: declining is the expert's right (第七条（六）). */
    readonly justified: number;
    /** Claimed 无正当理由, or decided unjustified by the department. */
    readonly unjustified: number;
    /** Awaiting the department's decision (待认定): not counted until decided. */
    readonly pending: number;
  };
  /** No reply by the deadline after a delivery that reached the expert. */
  readonly silences: number;
  /** The served units' ratings of the year (服务评价, 第二十条), 1–5. */
  readonly ratings: readonly number[];
  /** Ratings that came with a written comment on the quality of the work (第二十条). */
  readonly qualityNotes: number;
  /** Warnings and interviews given in the year (第二十三条), with their articles. */
  readonly warnings: readonly { readonly on: string; readonly article: string }[];
}

/** What an evidence line is about. */
export type EvaluationItem =
  | 'tasks_served'
  | 'no_shows'
  | 'refusals_justified'
  | 'refusals_unjustified'
  | 'refusals_pending'
  | 'silences'
  | 'ratings'
  | 'quality_notes'
  | 'warnings';

/** One input of the evaluation: how many, the points it gave under the policy, its article. */
export interface EvaluationEvidence {
  readonly item: EvaluationItem;
  readonly label: Label;
  readonly count: number;
  /** The mean for `ratings` (null without any); null elsewhere. */
  readonly value: number | null;
  /** Points added (positive) or deducted (negative); 0 for what does not count. */
  readonly points: number;
  /** Whether the input weighs in the score. */
  readonly counted: boolean;
  /** The article the record rests on. */
  readonly article: string;
  readonly note: Label;
}

/** The evaluation of one expert's year. */
export interface ExpertYearEvaluation {
  /** 0–100, one decimal. */
  readonly score: number;
  readonly grade: EvaluationGrade;
  /** The fact of the yearly evaluation (第二十条); the weights are local policy. */
  readonly article: '第二十条';
  readonly evidence: readonly EvaluationEvidence[];
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Evaluates one expert's year (第二十条: the department evaluates every expert yearly, as the
 * basis for renewal and commendation) from attendance, the served units' ratings, refusals as
 * the department decided them, no-shows and warnings. The weights and grade thresholds are the
 * rule set's `yearlyEvaluation` (本厅规定 / local policy); every input is listed in the evidence,
 * counted or not, with the article its record rests on.
 *
 * @example
 * const result = evaluateExpertYear(
 *   { tasksServed: 4, noShows: 0, refusals: { justified: 1, unjustified: 0, pending: 0 },
 *     silences: 0, ratings: [5, 4], qualityNotes: 1, warnings: [] },
 *   yunnanGmy2025,
 * );
 * result.grade; // 'excellent' (80 + 8 + 7.5 = 95.5)
 */
export function evaluateExpertYear(
  record: ExpertYearRecord,
  ruleSet: RuleSet,
): ExpertYearEvaluation {
  const policy = yearlyEvaluationPolicy(ruleSet);
  const silenceCounts = ruleSet.countsSilenceAfterDelivery ?? true;
  const mean =
    record.ratings.length === 0
      ? null
      : round2(record.ratings.reduce((sum, score) => sum + score, 0) / record.ratings.length);
  const warningArticles = [...new Set(record.warnings.map((warning) => warning.article))];
  const lines: EvaluationEvidence[] = [
    {
      item: 'tasks_served',
      label: { zh: '参加任务', en: 'Tasks served' },
      count: record.tasksServed,
      value: null,
      points: Math.min(record.tasksServed * policy.perTaskServed, policy.tasksServedCap),
      counted: true,
      article: '第十五条',
      note: {
        zh: `每项加 ${policy.perTaskServed} 分，最多 ${policy.tasksServedCap} 分`,
        en: `+${policy.perTaskServed} each, at most ${policy.tasksServedCap}`,
      },
    },
    {
      item: 'ratings',
      label: { zh: '服务评价', en: 'Service ratings' },
      count: record.ratings.length,
      value: mean,
      points: mean === null ? 0 : (mean - policy.ratingNeutral) * policy.perRatingPoint,
      counted: mean !== null,
      article: '第二十条',
      note: {
        zh: `平均分与 ${policy.ratingNeutral} 分之差每分计 ${policy.perRatingPoint} 分；无评价不计`,
        en: `${policy.perRatingPoint} per point of the mean above or below ${policy.ratingNeutral}; none: not counted`,
      },
    },
    {
      item: 'quality_notes',
      label: { zh: '服务质量意见', en: 'Quality notes' },
      count: record.qualityNotes,
      value: null,
      points: 0,
      counted: false,
      article: '第二十条',
      note: {
        zh: '附于评价，供人工复核，不计分',
        en: 'kept with the result for review, no points',
      },
    },
    {
      item: 'refusals_justified',
      label: { zh: '有正当理由拒绝', en: 'Justified refusals' },
      count: record.refusals.justified,
      value: null,
      points: 0,
      counted: false,
      article: '第七条（六）',
      note: {
        zh: '拒绝不适宜参加的活动是专家的权利，不扣分',
        en: 'a right of the expert: no deduction',
      },
    },
    {
      item: 'refusals_unjustified',
      label: { zh: '无正当理由拒绝', en: 'Unjustified refusals' },
      count: record.refusals.unjustified,
      value: null,
      points: -record.refusals.unjustified * policy.perUnjustifiedRefusal,
      counted: true,
      article: '第十五条',
      note: {
        zh: `按省应急管理厅认定，每次扣 ${policy.perUnjustifiedRefusal} 分`,
        en: `as decided by the department, −${policy.perUnjustifiedRefusal} each`,
      },
    },
    {
      item: 'refusals_pending',
      label: { zh: '拒绝理由待认定', en: 'Refusals awaiting a decision' },
      count: record.refusals.pending,
      value: null,
      points: 0,
      counted: false,
      article: '第十五条',
      note: { zh: '认定前不计分', en: 'not counted until decided' },
    },
    {
      item: 'silences',
      label: { zh: '送达后超时未响应', en: 'Silence after delivery' },
      count: record.silences,
      value: null,
      points: silenceCounts ? -record.silences * policy.perCountedSilence : 0,
      counted: silenceCounts,
      article: '第十五条',
      note: silenceCounts
        ? {
            zh: `依规则集计入，每次扣 ${policy.perCountedSilence} 分`,
            en: `counted by rule-set choice, −${policy.perCountedSilence} each`,
          }
        : { zh: '规则集不计入', en: 'not counted by the rule set' },
    },
    {
      item: 'no_shows',
      label: { zh: '接受后未到岗', en: 'No-shows' },
      count: record.noShows,
      value: null,
      points: -record.noShows * policy.perNoShow,
      counted: true,
      article: '第十五条',
      note: { zh: `每次扣 ${policy.perNoShow} 分`, en: `−${policy.perNoShow} each` },
    },
    {
      item: 'warnings',
      label: { zh: '约谈、警告', en: 'Interviews and warnings' },
      count: record.warnings.length,
      value: null,
      points: -record.warnings.length * policy.perWarning,
      counted: true,
      article: warningArticles.length === 0 ? '第二十三条' : warningArticles.join('、'),
      note: { zh: `每次扣 ${policy.perWarning} 分`, en: `−${policy.perWarning} each` },
    },
  ];
  // Rounded once, and never −0.
  const evidence = lines.map((line) => ({ ...line, points: round2(line.points) + 0 }));
  const total = evidence.reduce((sum, line) => sum + line.points, policy.baseScore);
  const score = round1(Math.min(100, Math.max(0, total)));
  return {
    score,
    grade: gradeOf(score, record.tasksServed, policy),
    article: '第二十条',
    evidence,
  };
}

/**
 * The rule set's evaluation policy, or the provincial default for sets stored before it.
 *
 * @example
 * yearlyEvaluationPolicy(yunnanGmy2025).baseScore; // 80
 */
export function yearlyEvaluationPolicy(ruleSet: RuleSet): YearlyEvaluationPolicy {
  return ruleSet.yearlyEvaluation ?? DEFAULT_YEARLY_EVALUATION;
}

function gradeOf(
  score: number,
  tasksServed: number,
  policy: YearlyEvaluationPolicy,
): EvaluationGrade {
  if (score >= policy.grades.excellent && tasksServed >= policy.excellentMinTasksServed) {
    return 'excellent';
  }
  if (score >= policy.grades.competent) return 'competent';
  if (score >= policy.grades.basicallyCompetent) return 'basically_competent';
  return 'incompetent';
}
