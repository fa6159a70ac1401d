import { z } from 'zod';
import { yearlyEvaluationSchema } from '../evaluation/yearly-evaluation-policy.js';
import { declineReasons } from '../vocabulary/invitation-outcome.js';
import { titles } from '../vocabulary/title.js';
import { admissionRuleIdSchema, dispatchRuleIdSchema } from './rule-ids.js';
import { wideningSchema } from './widening.js';

const labelSchema = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
const weight = z.number().min(0).max(10);
const unique = <T>(list: readonly T[]) => new Set(list).size === list.length;

/** Weights and smoothing for the matcher's score (第十四条, 第十五条, 第二十条（二）). */
export const scoringSchema = z.strictObject({
  weights: z.strictObject({
    specialty: weight,
    directIndustry: weight,
    reliability: weight,
    quality: weight,
    fairShare: weight,
  }),
  penalties: z.strictObject({ staleProfile: weight, warning: weight }),
  /** Years of history that reliability reads (第十五条). */
  reliabilityLookbackYears: z.number().int().min(1).max(10),
  /** Pseudo-observations that pull a short record toward the prior, so newcomers are not punished. */
  reliabilityPrior: z.strictObject({ rate: z.number().min(0).max(1), weight: z.number().min(0) }),
  qualityPrior: z.strictObject({ mean: z.number().min(1).max(5), weight: z.number().min(0) }),
  /** Days of past assignments that the fair-share component counts. */
  fairShareLookbackDays: z.number().int().min(1).max(3650),
});

/** 第九条（五）: the age limits and the days of a task they are checked on. */
const ageSchema = z
  .strictObject({
    limit: z.number().int().min(18).max(100),
    outstandingLimit: z.number().int().min(18).max(100),
    /**
     * Which days of a task the limit is checked on: every one (第九条（五）: an expert turning
     * 66 on the second day is over it). Optional so that rule sets stored before it replay
     * unchanged; absent means the first day only, as they were drawn.
     */
    checkedThrough: z.enum(['first-day', 'every-task-day']).optional(),
  })
  .refine((age) => age.outstandingLimit >= age.limit, {
    message: 'the limit for outstanding experts cannot be below the general limit',
    path: ['outstandingLimit'],
  });

/** Dispatch rules a local set may waive for its own pool only (第二十六条, 第九条, 第十一条). */
export const OWN_POOL_WAIVABLE_RULES = ['appointment-in-force', 'age-limit'] as const;

/**
 * 第二十六条: what a derived set loosens for its own pool only. The set's own rules and age are
 * the stricter ones (the measures' protections, plus whatever the local set adds), applied to
 * experts of a higher tier than the requesting authority; experts of its own tier or below are
 * screened without `waivedRules` and with `age` when given.
 */
export const ownPoolOnlySchema = z.strictObject({
  waivedRules: z.array(z.enum(OWN_POOL_WAIVABLE_RULES)).refine(unique, 'rules must not repeat'),
  age: ageSchema.optional(),
  /** The own pool's shorter re-admission bar (第九条（六）, 第十六条（三）); see `readmissionBar`. */
  disqualificationBarYears: z.number().int().min(1).max(100).nullable().optional(),
  readmissionBar: z
    .strictObject({
      titleMisuse: z.number().int().min(1).max(100).nullable(),
      qualificationFraud: z.number().int().min(1).max(100).nullable(),
    })
    .optional(),
});

/**
 * A named, versioned set of rules and parameters (规则集). Every number the measures fix is
 * here, so that a city or county can derive its own set (第二十六条).
 */
export const ruleSetSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'expected a lowercase kebab-case id'),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'expected a semantic version such as 1.0.0'),
  name: labelSchema,
  basedOn: z.strictObject({ id: z.string(), version: z.string() }).optional(),
  dispatchRules: z.array(dispatchRuleIdSchema).min(1).refine(unique, 'rules must not repeat'),
  admissionRules: z.array(admissionRuleIdSchema).refine(unique, 'rules must not repeat'),
  age: ageSchema,
  qualification: z.strictObject({
    seniorTitles: z.array(titles.schema).min(1).refine(unique, 'titles must not repeat'),
    minPracticeYears: z.number().int().min(0).max(50),
  }),
  appointment: z.strictObject({
    termYears: z.number().int().min(1).max(10),
    renewalNoticeDays: z.number().int().min(0).max(365),
  }),
  publicNoticeWorkingDays: z.number().int().min(1).max(60),
  /**
   * How appointment certificates (聘书, 第十一条) are numbered: `{year}` (the term's first year)
   * and `{seq}` zero-padded to `digits`. Local policy (本厅规定): the measures fix no scheme.
   * Optional so that rule sets stored before it read unchanged; absent means
   * 云应急专家〔{year}〕第{seq}号 with 4 digits.
   */
  certificateNumbering: z
    .strictObject({
      pattern: z
        .string()
        .min(1)
        .max(100)
        .refine(
          (p) =>
            p.split('{year}').length === 2 &&
            p.split('{seq}').length === 2 &&
            p.indexOf('{year}') < p.indexOf('{seq}'),
          'the pattern holds {year} once, then {seq} once',
        ),
      digits: z.number().int().min(1).max(9),
    })
    .optional(),
  /**
   * How many working days in the past a public notice may be recorded as started (a notice put
   * up yesterday and entered today). Local policy (本厅规定): the measures say nothing of it.
   * Optional so that rule sets stored before it read unchanged; absent means 1.
   */
  publicNoticeBackdateWorkingDays: z.number().int().min(0).max(10).optional(),
  /** Years a disqualified person is barred from re-appointment; null bars them for good (第九条（六）). */
  disqualificationBarYears: z.number().int().min(1).max(100).nullable(),
  /**
   * The re-admission bar per cause of disqualification — the two articles that pull apart:
   * 第九条（六） (曾被取消专家资格的人员不予推荐: never) and 第十六条（三） (五年内不再聘用). For each
   * cause, years barred (the 第十六条（三） reading) or null (never, the 第九条（六） reading):
   * `titleMisuse` for 借用省级专家名义谋取不正当利益 (第十六条（三）), `qualificationFraud` for a
   * dismissal for 弄虚作假骗取专家资格 (第二十三条（六）). Optional so that rule sets stored before
   * it read unchanged; absent means `disqualificationBarYears` for every cause. Each cause is
   * barred for the stricter of its own entry and `disqualificationBarYears`.
   */
  readmissionBar: z
    .strictObject({
      titleMisuse: z.number().int().min(1).max(100).nullable(),
      qualificationFraud: z.number().int().min(1).max(100).nullable(),
    })
    .optional(),
  /**
   * 第二十三条（一） “1年内2次及以上”: `count` counted refusals within one window, given in calendar
   * months (`windowMonths`, back to the same calendar date) or, in rule sets stored before it
   * existed, in days (`windowDays`). Exactly one of the two.
   */
  declineWarning: z
    .strictObject({
      count: z.number().int().min(1).max(100),
      windowDays: z.number().int().min(1).max(3650).optional(),
      windowMonths: z.number().int().min(1).max(120).optional(),
    })
    .refine(
      (warning) => (warning.windowDays === undefined) !== (warning.windowMonths === undefined),
      {
        message: 'give the window in windowMonths or in windowDays, exactly one of them',
        path: ['windowMonths'],
      },
    ),
  /**
   * Claimed decline reasons that are justified on the expert's word (第八条（四）: a conflict of
   * interest must be declared); every other claimed reason waits for the department's decision
   * (待认定). Optional so that rule sets stored before it read and replay unchanged; absent means
   * the old reading: every claimed reason but `unjustified` is justified, a missing one is not.
   */
  declineReasonsJustifiedOnWord: z
    .array(declineReasons.schema)
    .refine(unique, 'reasons must not repeat')
    .refine((reasons) => !reasons.includes('unjustified'), 'unjustified is never justified')
    .optional(),
  /**
   * Whether no reply by the deadline after a delivery that reached the expert (a channel receipt)
   * counts toward 第二十三条（一） (“超时未响应”: a rule-set choice). Absent means true.
   */
  countsSilenceAfterDelivery: z.boolean().optional(),
  /**
   * 第八条（五）（七）: before the task's window starts, drawn names are shown only to dispatchers
   * of the requesting authority and to auditors; other roles see counts and states. Absent means
   * not sealed (rule sets stored before it).
   */
  sealedPanelList: z.boolean().optional(),
  profileStaleMonths: z.number().int().min(1).max(120),
  /**
   * 第十六条（一）: years back from a task's first day in which a recorded engagement (design,
   * safety evaluation, testing, standardisation review, consulting) of an agency with the served
   * enterprise makes the agency related to the work. Absent means 3 (rule sets stored before it).
   */
  engagementLookbackYears: z.number().int().min(1).max(20).optional(),
  panel: z.strictObject({
    maxMembersPerEmployer: z.number().int().min(1).max(30),
    leaderTitles: z.array(titles.schema).min(1).refine(unique, 'titles must not repeat'),
  }),
  replyDeadlineMinutes: z.strictObject({
    urgent: z.number().int().min(1).max(10_080),
    routine: z.number().int().min(1).max(43_200),
  }),
  /**
   * How many alternates an urgent task (事故救援, 第六条（四）) invites at once beside the panel,
   * unless the request says otherwise: the first acceptances fill the panel (第十五条). Optional
   * so that rule sets stored before it existed still read and replay unchanged; absent means 0.
   */
  urgentOverInvite: z.number().int().min(0).max(20).optional(),
  scoring: scoringSchema,
  /**
   * 第二十条: how the yearly evaluation weighs a year's records and grades it (本厅规定 / local
   * policy: the measures fix the evaluation, not its weights). Optional so that rule sets stored
   * before it read unchanged; absent means `DEFAULT_YEARLY_EVALUATION`.
   */
  yearlyEvaluation: yearlyEvaluationSchema.optional(),
  /**
   * Set by `deriveRuleSet` when a local set loosens a protection of the measures (第九条,
   * 第十一条): the loosening applies to the authority's own pool only. Absent: none.
   */
  ownPoolOnly: ownPoolOnlySchema.optional(),
  /**
   * Which selection the matcher runs, so that every stored draw replays with its own: 1 (absent,
   * draws made before it) seats specialty holders only where seats remain after the industry
   * and leader requirements; 2 seats, for each specialty the task names, a holder before any
   * lottery among the rest, under every policy (第十四条), and records how each was met.
   */
  selectionVersion: z.number().int().min(1).max(2).optional(),
  /**
   * The widening ladder (异地抽取), local policy: absent, a draw never widens and an infeasible
   * one is refused as it was before the ladder existed.
   */
  widening: wideningSchema.optional(),
});

export type RuleSet = z.infer<typeof ruleSetSchema>;
export type OwnPoolOnly = z.infer<typeof ownPoolOnlySchema>;
export type Scoring = z.infer<typeof scoringSchema>;
