import { z } from '@hono/zod-openapi';
import { calendarWarningSchema } from '../calendar/calendar-warning.js';

// The JSON shapes of the yearly evaluation (第二十条) and of the lists the department acts on.
// No shape here has a field for phone, ID number or birth date: the reports never carry them.

const labelSchema = z.object({ zh: z.string(), en: z.string() });
const dateSchema = z.string().openapi({ example: '2026-03-02', description: 'Asia/Shanghai date' });

/** What became of one invitation, as the report counts it (第十五条). */
export const SEAT_OUTCOMES = [
  'accepted',
  'declined_justified',
  'declined_unjustified',
  /** Declined for a reason awaiting the department's decision (待认定, 第二十三条（一）). */
  'declined_pending',
  /** No reply after a delivery that reached the expert. */
  'timed_out',
  /** No channel reached the expert: never counted against them. */
  'undeliverable',
  /** Accepted, then could no longer attend (第十五条). */
  'acceptance_withdrawn',
  'pending',
  'withdrawn',
] as const;
export type SeatOutcome = (typeof SEAT_OUTCOMES)[number];

export const periodSchema = z.object({ from: dateSchema, to: dateSchema });
export type ReportPeriod = z.infer<typeof periodSchema>;

/** One invitation behind a list entry, with the task to look it up by (`GET /v1/tasks/{id}`). */
export const evidenceSchema = z
  .object({
    invitationId: z.string(),
    /** Null when the task belongs to an authority whose tasks the caller may not see. */
    taskId: z.string().nullable(),
    taskUrl: z.string().nullable(),
    role: z.enum(['leader', 'member', 'alternate', 'shadow']),
    invitedAt: z.string(),
    /** The Asia/Shanghai date the refusal counts on: the reply, or the reply deadline. */
    refusedOn: dateSchema,
    outcome: z.enum(SEAT_OUTCOMES),
    /** The reason the expert claimed. */
    reason: z.string().nullable(),
    reasonLabel: labelSchema.nullable(),
    /** 说明情况: the expert's own words with the decline (第十五条). */
    note: z.string().nullable(),
    /** Through which channel the reply came (`link`, `sms`, `phone`, `api`) … */
    replyChannel: z.string().nullable(),
    /** … and who recorded it: `expert`, or the key id of the dispatcher who took a phone answer. */
    recordedBy: z.string().nullable(),
    repliedAt: z.string().nullable(),
    /** The first channel receipt: when the invitation reached the expert. */
    deliveredAt: z.string().nullable(),
    delivery: z
      .object({
        state: z.string(),
        channel: z.string().nullable(),
        attempts: z.number().int(),
        sentAt: z.string().nullable(),
        failedAt: z.string().nullable(),
      })
      .nullable(),
    /** The department's decision on the claimed reason (正当理由认定); null when none. */
    review: z
      .object({
        decision: z.enum(['justified', 'unjustified']),
        note: z.string(),
        decidedBy: z.string(),
        decidedAt: z.string(),
      })
      .nullable(),
    attendance: z.enum(['attended', 'no_show']).nullable(),
  })
  .openapi('ReportEvidence');
export type Evidence = z.infer<typeof evidenceSchema>;

const entryBase = {
  expertId: z.string(),
  name: z.string(),
  expertUrl: z.string(),
  /** False for an expert of another pool who appears only through the caller's own tasks. */
  ownPool: z.boolean(),
  article: z.string(),
  message: labelSchema,
};

/** A 通报 (第二十三条): who was told of a warning, interview or dismissal, and when. */
export const conductNotificationSchema = z
  .object({
    action: z.string(),
    article: z.string(),
    recipient: z.enum(['employer', 'recommending_unit']),
    recipientName: z.string(),
    queuedAt: z.string(),
    /** `pending`, `sending`, `sent` or `failed`. */
    state: z.string(),
    sentAt: z.string().nullable(),
  })
  .openapi('ConductNotification');
export type ConductNotification = z.infer<typeof conductNotificationSchema>;

export const declineWarningEntrySchema = z
  .object({
    ...entryBase,
    refusals: z.number().int(),
    firstDate: dateSchema,
    lastDate: dateSchema,
    evidence: z.array(evidenceSchema),
    /** The 通报 of the expert's warnings, interviews and dismissals so far. */
    notifications: z.array(conductNotificationSchema),
  })
  .openapi('DeclineWarningEntry');

/** Declines whose claimed reason awaits the department's decision (待认定): never counted yet. */
export const pendingDeclineEntrySchema = z
  .object({ ...entryBase, declines: z.number().int(), evidence: z.array(evidenceSchema) })
  .openapi('PendingDeclineEntry');

/** Accepted and then absent (未到岗): attendance data (第十五条), not a refusal. */
export const noShowEntrySchema = z
  .object({ ...entryBase, noShows: z.number().int(), evidence: z.array(evidenceSchema) })
  .openapi('NoShowEntry');

export const staleProfileEntrySchema = z
  .object({ ...entryBase, profileUpdatedOn: dateSchema, staleSince: dateSchema })
  .openapi('StaleProfileEntry');

export const termEntrySchema = z
  .object({
    ...entryBase,
    standing: z.enum(['renewal_due', 'lapsed']),
    termFrom: dateSchema,
    termTo: dateSchema,
    daysLeft: z.number().int().nullable(),
    daysSince: z.number().int().nullable(),
    /** The latest yearly evaluation, the basis for renewal (第二十条); null when none. */
    lastEvaluation: z
      .object({
        year: z.number().int(),
        grade: z.enum(['excellent', 'competent', 'basically_competent', 'incompetent']),
        gradeLabel: labelSchema,
        score: z.number(),
        adjusted: z.boolean(),
      })
      .nullable(),
  })
  .openapi('TermEntry');

export const ageLimitEntrySchema = z
  .object({
    ...entryBase,
    /**
     * The month (YYYY-MM) in which the expert passes the age limit. Deliberately not the day:
     * the day and the limit give away the birth date. Admins and auditors read it on the expert.
     */
    limitMonth: z.string().openapi({ example: '2027-03' }),
    within: z.enum(['passed', 'current_term', 'next_term']),
  })
  .openapi('AgeLimitEntry');

export const neverInvitedEntrySchema = z
  .object({
    ...entryBase,
    group: z.string(),
    industries: z.array(z.string()),
  })
  .openapi('NeverInvitedEntry');

/** The lists the department acts on, on `asOf`, with the invitations of `period`. */
export const actionListsSchema = z
  .object({
    period: periodSchema,
    asOf: dateSchema,
    declineWarnings: z.array(declineWarningEntrySchema),
    pendingDeclines: z.array(pendingDeclineEntrySchema),
    noShows: z.array(noShowEntrySchema),
    staleProfiles: z.array(staleProfileEntrySchema),
    terms: z.array(termEntrySchema),
    ageLimits: z.array(ageLimitEntrySchema),
    neverInvited: z.array(neverInvitedEntrySchema),
  })
  .openapi('ActionLists');
export type ActionLists = z.infer<typeof actionListsSchema>;

/** Invitation counts of one expert (or of everyone) over the year. */
export const countsSchema = z.object({
  invitations: z.number().int(),
  accepted: z.number().int(),
  declined: z.number().int(),
  declinedJustified: z.number().int(),
  declinedUnjustified: z.number().int(),
  /** Declines awaiting the department's decision (待认定). */
  declinedPending: z.number().int(),
  timedOut: z.number().int(),
  /** Invitations no channel delivered: the system's failure, never the expert's. */
  undeliverable: z.number().int(),
  /** Accepted, then withdrawn by the expert (第十五条). */
  acceptanceWithdrawn: z.number().int(),
  pending: z.number().int(),
  withdrawn: z.number().int(),
  attended: z.number().int(),
  noShow: z.number().int(),
  ratings: z.number().int(),
  averageRating: z.number().nullable(),
  tasksLed: z.number().int(),
  tasksServed: z.number().int(),
});
export type Counts = z.infer<typeof countsSchema>;

export const expertYearSchema = countsSchema
  .extend({
    expertId: z.string(),
    name: z.string(),
    group: z.string(),
    status: z.string(),
    ownPool: z.boolean(),
  })
  .openapi('ExpertYear');
export type ExpertYear = z.infer<typeof expertYearSchema>;

export const workloadSliceSchema = z
  .object({
    dimension: z.enum(['all', 'group', 'industry']),
    key: z.string(),
    label: labelSchema,
    experts: z.number().int(),
    /** Seats served: a task with three of these experts counts three times. */
    assignments: z.number().int(),
    mean: z.number(),
    max: z.number().int(),
    /** 0 = evenly spread, towards 1 = carried by a few; null without experts. */
    gini: z.number().nullable(),
    top: z.array(z.object({ expertId: z.string(), name: z.string(), tasks: z.number().int() })),
  })
  .openapi('WorkloadSlice');
export type WorkloadSlice = z.infer<typeof workloadSliceSchema>;

export const workloadSchema = z
  .object({
    overall: workloadSliceSchema,
    byGroup: z.array(workloadSliceSchema),
    byIndustry: z.array(workloadSliceSchema),
  })
  .openapi('Workload');
export type Workload = z.infer<typeof workloadSchema>;

export const reportScopeSchema = z.object({
  authorityId: z.string(),
  authorityName: z.string(),
  tier: z.enum(['province', 'city', 'county']),
  description: labelSchema,
});
export type ReportScope = z.infer<typeof reportScopeSchema>;

export const annualReportSchema = z
  .object({
    year: z.number().int(),
    period: periodSchema,
    asOf: dateSchema,
    generatedAt: z.string(),
    scope: reportScopeSchema,
    ruleSet: z.object({ id: z.string(), version: z.string() }),
    totals: countsSchema,
    experts: z.array(expertYearSchema),
    lists: actionListsSchema,
    workload: workloadSchema,
  })
  .openapi('AnnualReport');
export type AnnualReport = z.infer<typeof annualReportSchema>;

export const listsReportSchema = z
  .object({
    on: dateSchema,
    generatedAt: z.string(),
    scope: reportScopeSchema,
    ruleSet: z.object({ id: z.string(), version: z.string() }),
    lists: actionListsSchema,
    /** From 1 November: next year missing from the working-day calendar (第十条（四）). */
    calendarWarnings: z.array(calendarWarningSchema),
  })
  .openapi('ListsReport');
export type ListsReport = z.infer<typeof listsReportSchema>;
