import {
  type EvaluationGrade,
  evaluationGrades,
  isCommendable,
  isTitleReviewCandidate,
  LOCAL_POLICY,
  type RuleSet,
  type Title,
} from '@expert-dispatch/rules';
import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { experts, yearlyEvaluations } from '../db/schema.js';
import type { ReportPeriod, ReportScope } from '../reports/report-schemas.js';
import type {
  EvaluationListEntry,
  EvaluationResult,
  YearlyEvaluation,
} from './evaluation-schemas.js';

/**
 * The stored evaluation of `year` for the caller's authority, with the lists it feeds:
 * commendation (第二十条（一）) and the 职称评审 reserve (第二十条（三）), both on the grade that
 * stands (an adjustment's when made) and the title at the year's end. Null when the year was
 * never evaluated.
 *
 * @example
 * const view = await loadYearlyEvaluation(db, 'yn-yjt', 2025, { period, scope, ruleSet, generatedAt });
 */
export async function loadYearlyEvaluation(
  db: Executor,
  authorityId: string,
  year: number,
  args: {
    readonly period: ReportPeriod;
    readonly scope: ReportScope;
    readonly ruleSet: RuleSet;
    readonly generatedAt: Date;
  },
): Promise<YearlyEvaluation | null> {
  const rows = await db
    .select({
      row: yearlyEvaluations,
      name: experts.name,
      group: experts.group,
    })
    .from(yearlyEvaluations)
    .innerJoin(experts, eq(experts.id, yearlyEvaluations.expertId))
    .where(and(eq(yearlyEvaluations.authorityId, authorityId), eq(yearlyEvaluations.year, year)))
    .orderBy(asc(yearlyEvaluations.expertId));
  if (rows.length === 0) return null;
  const results = rows.map(({ row, name, group }): EvaluationResult => {
    const computedGrade = row.computedGrade as EvaluationGrade;
    const adjusted = evaluationGrades.is(row.adjustedGrade) ? row.adjustedGrade : null;
    const grade = adjusted ?? computedGrade;
    const evidence = row.evidence as EvaluationResult['evidence'];
    return {
      expertId: row.expertId,
      expertUrl: `/v1/experts/${encodeURIComponent(row.expertId)}`,
      name,
      group,
      score: row.scoreTenths / 10,
      computedGrade,
      grade,
      gradeLabel: evaluationGrades.labels[grade],
      averageRating: evidence.find((line) => line.item === 'ratings')?.value ?? null,
      adjustment:
        adjusted === null
          ? null
          : {
              grade: adjusted,
              reason: row.adjustmentReason ?? '',
              adjustedBy: row.adjustedBy ?? '',
              adjustedAt: (row.adjustedAt ?? row.computedAt).toISOString(),
            },
      evidence,
      basis: row.basis as EvaluationResult['basis'],
      ruleSet: row.ruleSet,
      computedAt: row.computedAt.toISOString(),
    };
  });
  return {
    year,
    period: args.period,
    scope: args.scope,
    generatedAt: args.generatedAt.toISOString(),
    policy: { article: '第二十条', source: LOCAL_POLICY },
    results,
    commendations: results.filter((result) => isCommendable(result.grade)).map(commendation),
    titleReviewReserve: results
      .filter((result) =>
        isTitleReviewCandidate(
          {
            grade: result.grade,
            title: result.basis.title as Title,
            averageRating: result.averageRating,
          },
          args.ruleSet,
        ),
      )
      .map(reserveEntry),
  };
}

function entry(result: EvaluationResult) {
  return {
    expertId: result.expertId,
    name: result.name,
    title: result.basis.title,
    grade: result.grade,
    score: result.score,
    averageRating: result.averageRating,
  };
}

function commendation(result: EvaluationResult): EvaluationListEntry {
  return {
    ...entry(result),
    article: '第二十条（一）',
    message: {
      zh: '年度评价优秀，向所在单位反馈并给予通报表扬',
      en: 'excellent yearly result: report to the employer and commend',
    },
  };
}

function reserveEntry(result: EvaluationResult): EvaluationListEntry {
  const rating = result.averageRating ?? 0;
  return {
    ...entry(result),
    article: '第二十条（三）',
    message: {
      zh: `正高级职称，年度评价${result.gradeLabel.zh}，服务评价平均 ${rating} 分，可推荐为职称评审专家库备选人员`,
      en: `full senior title, ${result.gradeLabel.en.toLowerCase()} yearly result, mean rating ${rating}: may be recommended for the title-review expert reserve`,
    },
  };
}
