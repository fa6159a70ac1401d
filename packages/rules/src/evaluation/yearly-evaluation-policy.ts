import { z } from 'zod';
import { defineVocabulary, type VocabularyValue } from '../vocabulary/define-vocabulary.js';

/**
 * The grades of the yearly evaluation (年度评价, 第二十条), best first. The measures fix that the
 * department evaluates every year, not the scale: the four grades are the usual ones of a
 * Chinese yearly assessment (优秀/称职/基本称职/不称职), local policy.
 */
export const evaluationGrades = defineVocabulary({
  excellent: { zh: '优秀', en: 'Excellent' },
  competent: { zh: '称职', en: 'Competent' },
  basically_competent: { zh: '基本称职', en: 'Basically competent' },
  incompetent: { zh: '不称职', en: 'Incompetent' },
});

export type EvaluationGrade = VocabularyValue<typeof evaluationGrades>;

const points = z.number().min(0).max(100);

/**
 * How the yearly evaluation turns a year's records into a score and a grade. 本厅规定 / local
 * policy: 第二十条 says the department evaluates every expert yearly from their everyday
 * performance, the quality of the work and the served units' ratings, not how they weigh.
 * Deductions are given as positive numbers and subtracted.
 */
export const yearlyEvaluationSchema = z
  .strictObject({
    /** The score of a year with nothing for or against the expert. */
    baseScore: points,
    /** Points per task served (第十五条 attendance), up to `tasksServedCap` points in all. */
    perTaskServed: points,
    tasksServedCap: points,
    /** The served units' mean rating (1–5) against `ratingNeutral`, points per rating point. */
    ratingNeutral: z.number().min(1).max(5),
    perRatingPoint: points,
    /** Deducted per refusal that stands unjustified (claimed so, or decided so). */
    perUnjustifiedRefusal: points,
    /** Deducted per silence after a delivery, when the rule set counts silence. */
    perCountedSilence: points,
    /** Deducted per no-show after accepting (第十五条). */
    perNoShow: points,
    /** Deducted per warning or interview given in the year (第二十三条). */
    perWarning: points,
    /** Lowest score of each grade; below `basicallyCompetent` is 不称职. */
    grades: z.strictObject({ excellent: points, competent: points, basicallyCompetent: points }),
    /** 优秀 also needs this many tasks served in the year: no excellence without work. */
    excellentMinTasksServed: z.number().int().min(0).max(100),
    /**
     * 第二十条（三） “业绩好、评价好”: the grades that count as good results, and the served
     * units' mean rating that counts as a good rating (the 正高级 title is the article's own).
     */
    titleReviewReserve: z.strictObject({
      grades: z.array(evaluationGrades.schema).min(1),
      minAverageRating: z.number().min(1).max(5),
    }),
  })
  .refine(
    (policy) =>
      policy.grades.excellent >= policy.grades.competent &&
      policy.grades.competent >= policy.grades.basicallyCompetent,
    { message: 'grade thresholds must not rise from excellent down', path: ['grades'] },
  );

export type YearlyEvaluationPolicy = z.infer<typeof yearlyEvaluationSchema>;

/**
 * The policy of rule sets that carry none (stored before it existed): the provincial one.
 *
 * @example
 * DEFAULT_YEARLY_EVALUATION.grades.excellent; // 90
 */
export const DEFAULT_YEARLY_EVALUATION: YearlyEvaluationPolicy = {
  baseScore: 80,
  perTaskServed: 2,
  tasksServedCap: 10,
  ratingNeutral: 3,
  perRatingPoint: 5,
  perUnjustifiedRefusal: 8,
  perCountedSilence: 8,
  perNoShow: 10,
  perWarning: 15,
  grades: { excellent: 90, competent: 75, basicallyCompetent: 60 },
  excellentMinTasksServed: 3,
  titleReviewReserve: { grades: ['excellent', 'competent'], minAverageRating: 4 },
};
