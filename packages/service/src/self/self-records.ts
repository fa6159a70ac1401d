import {
  invitationOutcomes,
  isCountedRefusal,
  type Label,
  type RuleSet,
  reviewDecisions,
  warningSchema,
} from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { declineReviews, deliveries, panelSeats, ratings, tasks } from '../db/schema.js';
import { CLAIMED_REASON_LABELS } from '../dispatch/claimed-reasons.js';
import { rowToExpert } from '../experts/expert-row.js';
import { OUTCOME_LABELS } from '../reports/report-labels.js';
import { classifySeat, type ReportSeat, refusalOf } from '../reports/report-records.js';
import { SEAT_OUTCOMES } from '../reports/report-schemas.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import { loadOwnRow } from './self-profile-routes.js';

/** At most this many invitations and ratings are listed, newest first. */
export const SELF_RECORD_LIMIT = 500;

const iso = z.string().nullable();
const labelSchema = z.object({ zh: z.string(), en: z.string() });

/** How an answer came in, as the expert reads it. */
const REPLY_CHANNEL_LABELS: Readonly<Record<string, Label>> = {
  link: { zh: '答复链接', en: 'reply link' },
  sms: { zh: '短信', en: 'SMS' },
  phone: { zh: '电话（由主管部门登记）', en: 'phone (recorded by the department)' },
  api: { zh: '主管部门系统登记', en: "recorded through the department's system" },
};

export const selfRecordsSchema = z
  .object({
    invitations: z.array(
      z.object({
        invitationId: z.string(),
        taskId: z.string(),
        role: z.string(),
        state: z.string(),
        /**
         * What became of the invitation, as the department's lists and reports count it:
         * accepted, declined (justified, unjustified or 待认定), no reply after a delivery that
         * reached the expert, undeliverable (never counted), withdrawn after accepting, open.
         */
        outcome: z.enum(SEAT_OUTCOMES),
        outcomeLabel: labelSchema,
        /** True when it counts toward 第二十三条（一） under the requesting authority's rules. */
        countsTowardRefusals: z.boolean(),
        window: z.object({ from: z.string(), to: z.string() }),
        invitedAt: iso,
        /** The first channel receipt: when the notification reached the expert; null if never. */
        deliveredAt: iso,
        delivery: z
          .object({
            state: z.string(),
            channel: z.string().nullable(),
            attempts: z.number().int(),
            sentAt: iso,
            failedAt: iso,
          })
          .nullable(),
        replyDeadline: iso,
        repliedAt: iso,
        /** `link`, `sms`, `phone` or `api`, with its Chinese name. */
        replyChannel: z.string().nullable(),
        replyChannelLabel: labelSchema.nullable(),
        /** `expert` (the expert's own answer) or `department` (a dispatcher recorded it). */
        recordedBy: z.enum(['expert', 'department']).nullable(),
        /** The reason the expert claimed, and its Chinese name. */
        declineReason: z.string().nullable(),
        declineReasonLabel: labelSchema.nullable(),
        /** 说明情况 (第十五条): the expert's own words. */
        declineNote: z.string().nullable(),
        /** The department's decision on the claimed reason (正当理由认定). */
        review: z
          .object({
            decision: z.enum(['justified', 'unjustified']),
            decisionLabel: labelSchema,
            note: z.string(),
            decidedAt: z.string(),
          })
          .nullable(),
        attendance: z.enum(['attended', 'no_show']).nullable(),
        attendanceLabel: labelSchema.nullable(),
      }),
    ),
    ratings: z.array(
      z.object({
        taskId: z.string(),
        score: z.number().int(),
        comment: z.string().nullable(),
        ratedAt: z.string(),
      }),
    ),
    warnings: z.array(warningSchema),
  })
  .openapi('SelfRecords');

export type SelfRecords = z.infer<typeof selfRecordsSchema>;
type SelfInvitation = SelfRecords['invitations'][number];

const isoOf = (at: Date | null) => (at === null ? null : at.toISOString());

/**
 * What the system holds about one expert's work, only their own rows: each invitation with its
 * outcome told apart as the department's lists count it (classified under the requesting
 * authority's rule set), the evidence (delivery and receipt, reply, channel, who recorded it,
 * the department's decision), reasons and attendance by their Chinese names (第十五条,
 * 第二十三条（一）); ratings (第二十条); warnings (第二十三条).
 *
 * @example
 * const records = await loadSelfRecords(db, 'e-001', services.ruleSet);
 */
export async function loadSelfRecords(
  db: Executor,
  expertId: string,
  base: RuleSet,
): Promise<SelfRecords> {
  const [row, seats, rated] = await Promise.all([
    loadOwnRow(db, expertId, false),
    db
      .select({ seat: panelSeats, authorityId: tasks.authorityId, review: declineReviews })
      .from(panelSeats)
      .innerJoin(tasks, eq(tasks.id, panelSeats.taskId))
      .leftJoin(declineReviews, eq(declineReviews.seatId, panelSeats.id))
      // Reserves never invited are not the expert's business yet.
      .where(and(eq(panelSeats.expertId, expertId), isNotNull(panelSeats.invitedAt)))
      .orderBy(desc(panelSeats.windowFrom), desc(panelSeats.id))
      .limit(SELF_RECORD_LIMIT),
    db
      .select()
      .from(ratings)
      .where(eq(ratings.expertId, expertId))
      .orderBy(desc(ratings.createdAt))
      .limit(SELF_RECORD_LIMIT),
  ]);
  const seatIds = seats.map(({ seat }) => seat.id);
  const deliveryRows =
    seatIds.length === 0
      ? []
      : await db
          .select()
          .from(deliveries)
          .where(inArray(deliveries.seatId, seatIds))
          .orderBy(desc(deliveries.createdAt));
  const deliveryOf = new Map<number, (typeof deliveryRows)[number]>();
  for (const delivery of deliveryRows) {
    if (!deliveryOf.has(delivery.seatId)) deliveryOf.set(delivery.seatId, delivery);
  }
  const ruleSets = new Map<string, RuleSet>();
  const invitations: SelfInvitation[] = [];
  for (const { seat, authorityId, review } of seats) {
    let ruleSet = ruleSets.get(authorityId);
    if (ruleSet === undefined) {
      ruleSet = await resolveRuleSet(db, authorityId, base);
      ruleSets.set(authorityId, ruleSet);
    }
    const delivery = deliveryOf.get(seat.id);
    invitations.push(
      toSelfInvitation(seat, review, delivery === undefined ? null : delivery, ruleSet),
    );
  }
  return {
    invitations,
    ratings: rated.map((rating) => ({
      taskId: rating.taskId,
      score: rating.score,
      comment: rating.comment,
      ratedAt: rating.createdAt.toISOString(),
    })),
    warnings: rowToExpert(row).warnings ?? [],
  };
}

function toSelfInvitation(
  seat: typeof panelSeats.$inferSelect,
  review: typeof declineReviews.$inferSelect | null,
  delivery: typeof deliveries.$inferSelect | null,
  ruleSet: RuleSet,
): SelfInvitation {
  const decision = review?.decision === 'justified' ? 'justified' : 'unjustified';
  const reportSeat: ReportSeat = {
    seatId: seat.id,
    taskId: seat.taskId,
    taskVisible: true,
    taskIndustries: [],
    expertId: seat.expertId,
    role: seat.role as ReportSeat['role'],
    state: seat.state,
    declineReason: seat.declineReason,
    invitedAt: seat.invitedAt ?? seat.updatedAt,
    repliedAt: seat.repliedAt,
    replyDeadline: seat.replyDeadline,
    updatedAt: seat.updatedAt,
    attendance: seat.attendance as ReportSeat['attendance'],
    review:
      review === null
        ? null
        : { decision, note: review.note, decidedBy: review.decidedBy, decidedAt: review.decidedAt },
  };
  const outcome = classifySeat(reportSeat, ruleSet);
  const refusal = refusalOf(reportSeat, ruleSet);
  const reason = seat.declineReason;
  const attendance = seat.attendance as 'attended' | 'no_show' | null;
  return {
    invitationId: String(seat.id),
    taskId: seat.taskId,
    role: seat.role,
    state: seat.state,
    outcome,
    outcomeLabel: OUTCOME_LABELS[outcome],
    countsTowardRefusals: refusal !== null && isCountedRefusal(refusal, ruleSet),
    window: { from: seat.windowFrom.toISOString(), to: seat.windowTo.toISOString() },
    invitedAt: isoOf(seat.invitedAt),
    deliveredAt: isoOf(seat.deliveredAt),
    delivery:
      delivery === null
        ? null
        : {
            state: delivery.state,
            channel: delivery.channel,
            attempts: delivery.attempts,
            sentAt: isoOf(delivery.sentAt),
            failedAt: isoOf(delivery.failedAt),
          },
    replyDeadline: isoOf(seat.replyDeadline),
    repliedAt: isoOf(seat.repliedAt),
    replyChannel: seat.replyChannel,
    replyChannelLabel:
      seat.replyChannel === null ? null : (REPLY_CHANNEL_LABELS[seat.replyChannel] ?? null),
    recordedBy:
      seat.repliedBy === null ? null : seat.repliedBy === 'expert' ? 'expert' : 'department',
    declineReason: reason,
    declineReasonLabel:
      reason === null
        ? null
        : (CLAIMED_REASON_LABELS[reason as keyof typeof CLAIMED_REASON_LABELS] ?? null),
    declineNote: seat.declineNote,
    review:
      review === null
        ? null
        : {
            decision,
            decisionLabel: reviewDecisions.labels[decision],
            note: review.note,
            decidedAt: review.decidedAt.toISOString(),
          },
    attendance,
    attendanceLabel: attendance === null ? null : invitationOutcomes.labels[attendance],
  };
}
