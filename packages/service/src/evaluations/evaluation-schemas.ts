import { evaluationGrades, titles } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { periodSchema, reportScopeSchema } from '../reports/report-schemas.js';

// The JSON shapes of the yearly evaluation (年度评价, 第二十条). No field for phone, ID number or
// birth date: an evaluation never carries them.

const labelSchema = z.object({ zh: z.string(), en: z.string() });
const gradeSchema = z.enum(evaluationGrades.values).openapi({
  description: 'excellent 优秀, competent 称职, basically_competent 基本称职, incompetent 不称职',
});

/** One input of an expert's evaluation, with its count, points and article. */
export const evaluationEvidenceSchema = z.object({
  item: z.enum([
    'tasks_served',
    'no_shows',
    'refusals_justified',
    'refusals_unjustified',
    'refusals_pending',
    'silences',
    'ratings',
    'quality_notes',
    'warnings',
  ]),
  label: labelSchema,
  count: z.number().int(),
  value: z.number().nullable(),
  points: z.number(),
  counted: z.boolean(),
  article: z.string(),
  note: labelSchema,
});

/** The expert's record at the end of the evaluated period, and where it was read. */
export const yearEndBasisSchema = z.object({
  asOf: z.string(),
  source: z.enum(['audit', 'current']).openapi({
    description:
      'audit: the last audit entry of the expert up to the end of the period; current: the record as it is now (a running year, or a record never written through the audited paths)',
  }),
  auditSeq: z.number().int().nullable(),
  title: titles.schema,
  status: z.string(),
  appointment: z.object({ from: z.string(), to: z.string() }).nullable(),
});

export const evaluationResultSchema = z
  .object({
    expertId: z.string(),
    expertUrl: z.string(),
    name: z.string(),
    group: z.string(),
    score: z.number(),
    computedGrade: gradeSchema,
    /** The grade that stands: the adjustment's when there is one. */
    grade: gradeSchema,
    gradeLabel: labelSchema,
    averageRating: z.number().nullable(),
    adjustment: z
      .object({
        grade: gradeSchema,
        reason: z.string(),
        adjustedBy: z.string(),
        adjustedAt: z.string(),
      })
      .nullable(),
    evidence: z.array(evaluationEvidenceSchema),
    basis: yearEndBasisSchema,
    ruleSet: z.object({ id: z.string(), version: z.string() }),
    computedAt: z.string(),
  })
  .openapi('EvaluationResult');
export type EvaluationResult = z.infer<typeof evaluationResultSchema>;

const listEntrySchema = z.object({
  expertId: z.string(),
  name: z.string(),
  title: titles.schema,
  grade: gradeSchema,
  score: z.number(),
  averageRating: z.number().nullable(),
  article: z.string(),
  message: labelSchema,
});
export type EvaluationListEntry = z.infer<typeof listEntrySchema>;

export const yearlyEvaluationViewSchema = z
  .object({
    year: z.number().int(),
    period: periodSchema,
    scope: reportScopeSchema,
    generatedAt: z.string(),
    /** The weights are local policy (本厅规定); the yearly evaluation itself is 第二十条. */
    policy: z.object({ article: z.string(), source: labelSchema }),
    results: z.array(evaluationResultSchema),
    /** 第二十条（一）: excellent results, to be reported to the employer and commended. */
    commendations: z.array(listEntrySchema),
    /** 第二十条（三）: 正高级 experts with good results and ratings, for the 职称评审 reserve. */
    titleReviewReserve: z.array(listEntrySchema),
  })
  .openapi('YearlyEvaluation');
export type YearlyEvaluation = z.infer<typeof yearlyEvaluationViewSchema>;

export const adjustmentBodySchema = z
  .object({
    grade: gradeSchema,
    /** Why the department sets another grade: kept as evidence and in the audit trail. */
    reason: z.string().trim().min(1).max(500),
  })
  .strict()
  .openapi('EvaluationAdjustment');
