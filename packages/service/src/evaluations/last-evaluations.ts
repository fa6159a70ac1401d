import { type EvaluationGrade, evaluationGrades, type Label } from '@expert-dispatch/rules';
import { and, desc, inArray, lte } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { yearlyEvaluations } from '../db/schema.js';

const CHUNK = 1000;

/** An expert's latest yearly evaluation (第二十条), as the renewal list shows it (第十一条). */
export interface LastEvaluation {
  readonly year: number;
  /** The grade that stands: the adjustment's when one was made. */
  readonly grade: EvaluationGrade;
  readonly gradeLabel: Label;
  readonly score: number;
  readonly adjusted: boolean;
}

/**
 * The last year whose evaluation is complete on `asOf`: the year before, or the year itself on
 * 31 December. A running year's evaluation is provisional and not shown for renewal.
 *
 * @example
 * lastEvaluatedYear('2026-03-02'); // 2025
 */
export function lastEvaluatedYear(asOf: string): number {
  const year = Number(asOf.slice(0, 4));
  return asOf.endsWith('-12-31') ? year : year - 1;
}

/**
 * The latest yearly evaluation of each of these experts up to `year`, by expert id: the basis
 * for renewal that 第二十条 makes of it.
 *
 * @example
 * (await loadLastEvaluations(db, ['e-1'], 2026)).get('e-1')?.grade; // 'competent'
 */
export async function loadLastEvaluations(
  db: Executor,
  expertIds: readonly string[],
  year: number,
): Promise<Map<string, LastEvaluation>> {
  const byExpert = new Map<string, LastEvaluation>();
  for (let index = 0; index < expertIds.length; index += CHUNK) {
    const rows = await db
      .selectDistinctOn([yearlyEvaluations.expertId], {
        expertId: yearlyEvaluations.expertId,
        year: yearlyEvaluations.year,
        scoreTenths: yearlyEvaluations.scoreTenths,
        computedGrade: yearlyEvaluations.computedGrade,
        adjustedGrade: yearlyEvaluations.adjustedGrade,
      })
      .from(yearlyEvaluations)
      .where(
        and(
          inArray(yearlyEvaluations.expertId, expertIds.slice(index, index + CHUNK)),
          lte(yearlyEvaluations.year, year),
        ),
      )
      .orderBy(yearlyEvaluations.expertId, desc(yearlyEvaluations.year));
    for (const row of rows) {
      const adjusted = evaluationGrades.is(row.adjustedGrade) ? row.adjustedGrade : null;
      const grade = adjusted ?? (evaluationGrades.is(row.computedGrade) ? row.computedGrade : null);
      if (grade === null) continue;
      byExpert.set(row.expertId, {
        year: row.year,
        grade,
        gradeLabel: evaluationGrades.labels[grade],
        score: row.scoreTenths / 10,
        adjusted: adjusted !== null,
      });
    }
  }
  return byExpert;
}
