import {
  classifyDecline,
  type DeclineReason,
  declineReasons,
  declineStandings,
  type ReviewDecision,
  type RuleSet,
  reviewDecisions,
} from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { and, asc, eq, gt, inArray, isNotNull, isNull, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { declineReviews, deliveries, experts, panelSeats, tasks } from '../db/schema.js';

const labelSchema = z.object({ zh: z.string(), en: z.string() });

/**
 * Seats whose claimed reason the department may have to judge: a decline, and a withdrawal after
 * acceptance (第十五条), which keeps its reason and is read as a decline by draws and lists.
 */
export const DECLINE_STATES = ['declined', 'withdrawn'] as const;

/** One delivery of the invitation's notification, with its channel receipt (`sentAt`). */
export const deliveryEvidenceSchema = z.object({
  id: z.string(),
  state: z.string(),
  channel: z.string().nullable(),
  attempts: z.number().int(),
  /** The channel's receipt: when the notification reached the expert; null if none did. */
  sentAt: z.string().nullable(),
  failedAt: z.string().nullable(),
});

/**
 * A decline with the evidence the department decides on (第二十三条（一）, 第十五条): the
 * invitation, the deliveries with their receipts, the reply (claimed reason and the expert's own
 * words), who recorded it and through which channel, and the decision once made.
 */
export const declineItemSchema = z
  .object({
    invitationId: z.string(),
    standing: z.enum(['justified', 'unjustified', 'pending']),
    standingLabel: labelSchema,
    expert: z.object({ id: z.string(), name: z.string() }),
    invitation: z.object({
      taskId: z.string(),
      taskType: z.string(),
      role: z.string(),
      state: z.string(),
      invitedAt: z.string().nullable(),
      replyDeadline: z.string().nullable(),
      /** The first channel receipt. */
      deliveredAt: z.string().nullable(),
    }),
    deliveries: z.array(deliveryEvidenceSchema),
    reply: z.object({
      reason: z.string().nullable(),
      reasonLabel: labelSchema.nullable(),
      /** 说明情况: the expert's own words (≤ 500 chars). */
      note: z.string().nullable(),
      /** `link`, `sms`, `phone` (recorded by a dispatcher) or `api`. */
      channel: z.string().nullable(),
      /** `expert`, or the key id of the dispatcher who recorded a phone answer. */
      recordedBy: z.string().nullable(),
      repliedAt: z.string().nullable(),
    }),
    review: z
      .object({
        decision: reviewDecisions.schema,
        decisionLabel: labelSchema,
        note: z.string(),
        decidedBy: z.string(),
        decidedAt: z.string(),
      })
      .nullable(),
  })
  .openapi('DeclineReviewItem');
export type DeclineItem = z.infer<typeof declineItemSchema>;

export type ReviewFilter = 'pending' | 'decided';

/**
 * The declines of the authority's own tasks that `filter` selects, oldest first after the seat
 * id `after`: `pending` — awaiting the department's decision under `ruleSet` (a claimed reason
 * not justified on the word, not a claimed 无正当理由, no decision yet); `decided` — decided.
 * Pass `seatId` to read one invitation whatever its standing.
 *
 * @example
 * const items = await loadDeclineItems(db, 'yn-yjt', ruleSet, { filter: 'pending', limit: 50 });
 */
export async function loadDeclineItems(
  db: Executor,
  authorityId: string,
  ruleSet: RuleSet,
  options: {
    readonly filter?: ReviewFilter;
    readonly after?: number;
    readonly limit?: number;
    readonly seatId?: number;
  },
): Promise<DeclineItem[]> {
  const conditions: SQL[] = [
    eq(tasks.authorityId, authorityId),
    inArray(panelSeats.state, [...DECLINE_STATES]),
  ];
  if (options.seatId !== undefined) conditions.push(eq(panelSeats.id, options.seatId));
  if (options.after !== undefined) conditions.push(gt(panelSeats.id, options.after));
  if (options.filter === 'decided') conditions.push(isNotNull(declineReviews.seatId));
  if (options.filter === 'pending') {
    const awaiting = awaitingReasons(ruleSet);
    if (awaiting === null) return [];
    conditions.push(isNull(declineReviews.seatId));
    const claimed = or(
      isNull(panelSeats.declineReason),
      inArray(panelSeats.declineReason, [...awaiting]),
    );
    if (claimed !== undefined) conditions.push(claimed);
  }
  const query = db
    .select({
      seatId: panelSeats.id,
      taskId: panelSeats.taskId,
      taskType: tasks.type,
      role: panelSeats.role,
      state: panelSeats.state,
      invitedAt: panelSeats.invitedAt,
      replyDeadline: panelSeats.replyDeadline,
      deliveredAt: panelSeats.deliveredAt,
      declineReason: panelSeats.declineReason,
      declineNote: panelSeats.declineNote,
      replyChannel: panelSeats.replyChannel,
      repliedBy: panelSeats.repliedBy,
      repliedAt: panelSeats.repliedAt,
      expertId: experts.id,
      expertName: experts.name,
      decision: declineReviews.decision,
      reviewNote: declineReviews.note,
      decidedBy: declineReviews.decidedBy,
      decidedAt: declineReviews.decidedAt,
    })
    .from(panelSeats)
    .innerJoin(tasks, eq(tasks.id, panelSeats.taskId))
    .innerJoin(experts, eq(experts.id, panelSeats.expertId))
    .leftJoin(declineReviews, eq(declineReviews.seatId, panelSeats.id))
    .where(and(...conditions))
    .orderBy(asc(panelSeats.id));
  const rows = await (options.limit === undefined ? query : query.limit(options.limit));
  const sent = rows.length
    ? await db
        .select()
        .from(deliveries)
        .where(
          inArray(
            deliveries.seatId,
            rows.map((row) => row.seatId),
          ),
        )
        .orderBy(asc(deliveries.createdAt))
    : [];
  return rows.map((row) => {
    const reason = declineReasons.is(row.declineReason) ? row.declineReason : undefined;
    const decision = reviewDecisions.is(row.decision) ? row.decision : null;
    const standing = classifyDecline(ruleSet, reason === undefined ? {} : { reason }, decision);
    return {
      invitationId: String(row.seatId),
      standing,
      standingLabel: declineStandings.labels[standing],
      expert: { id: row.expertId, name: row.expertName },
      invitation: {
        taskId: row.taskId,
        taskType: row.taskType,
        role: row.role,
        state: row.state,
        invitedAt: iso(row.invitedAt),
        replyDeadline: iso(row.replyDeadline),
        deliveredAt: iso(row.deliveredAt),
      },
      deliveries: sent
        .filter((delivery) => delivery.seatId === row.seatId)
        .map((delivery) => ({
          id: delivery.id,
          state: delivery.state,
          channel: delivery.channel,
          attempts: delivery.attempts,
          sentAt: iso(delivery.sentAt),
          failedAt: iso(delivery.failedAt),
        })),
      reply: {
        reason: row.declineReason,
        reasonLabel: reason === undefined ? null : declineReasons.labels[reason],
        note: row.declineNote,
        channel: row.replyChannel,
        recordedBy: row.repliedBy,
        repliedAt: iso(row.repliedAt),
      },
      review:
        decision === null
          ? null
          : {
              decision,
              decisionLabel: reviewDecisions.labels[decision],
              note: row.reviewNote ?? '',
              decidedBy: row.decidedBy ?? '',
              decidedAt: iso(row.decidedAt) ?? '',
            },
    };
  });
}

/**
 * The claimed reasons that wait for a decision under `ruleSet`, or null when the rule set
 * predates the on-word list (every claimed reason was then taken on the word).
 *
 * @example
 * awaitingReasons(yunnanGmy2025); // ['illness', 'schedule_conflict', 'approved_other']
 */
export function awaitingReasons(ruleSet: RuleSet): readonly DeclineReason[] | null {
  const onWord = ruleSet.declineReasonsJustifiedOnWord;
  if (onWord === undefined) return null;
  return declineReasons.values.filter(
    (reason) => reason !== 'unjustified' && !onWord.includes(reason),
  );
}

/**
 * True when a decline with this claimed reason and decision waits for the department.
 *
 * @example
 * isAwaitingDecision(yunnanGmy2025, 'approved_other', null); // true
 */
export function isAwaitingDecision(
  ruleSet: RuleSet,
  reason: string | null,
  decision: ReviewDecision | null,
): boolean {
  const claimed = declineReasons.is(reason) ? reason : undefined;
  return (
    classifyDecline(ruleSet, claimed === undefined ? {} : { reason: claimed }, decision) ===
    'pending'
  );
}

function iso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}
