import { z } from '@hono/zod-openapi';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { deliveries, draws, experts, panelSeats, tasks } from '../db/schema.js';
import { SEAT_STATES, type SeatState } from '../dispatch/seats/seat-transitions.js';
import { ProblemError } from '../errors.js';
import type { Principal } from '../http/app-env.js';

/** The notification of an invitation (第十五条): delivery state and attempts, no contact data. */
const notificationViewSchema = z
  .object({
    state: z.enum(['pending', 'sending', 'sent', 'failed', 'cancelled']),
    attempts: z.number().int(),
    channel: z.string().nullable(),
    lastError: z.string().nullable(),
    sentAt: z.string().nullable(),
    failedAt: z.string().nullable(),
  })
  .openapi('InvitationNotification');

type NotificationView = z.infer<typeof notificationViewSchema>;
type DeliveryRow = typeof deliveries.$inferSelect;

const seatViewSchema = z.object({
  /** The invitation's id (one per seat), as replies and the SMS reply code name it. */
  invitationId: z.string(),
  expertId: z.string(),
  name: z.string(),
  role: z.enum(['leader', 'member', 'alternate', 'shadow']),
  rank: z.number().int(),
  /** `timed_out` after a delivered notification, `undeliverable` when none reached. */
  state: z.enum(SEAT_STATES),
  /** The reason the expert claimed (正当 or not is the department's decision). */
  declineReason: z.string().nullable(),
  /** 说明情况 (第十五条): the expert's own words, ≤ 500 chars. */
  declineNote: z.string().nullable(),
  /** `link`, `sms`, `phone` or `api`. */
  replyChannel: z.string().nullable(),
  /** `expert`, or the key id of the dispatcher who recorded the answer. */
  repliedBy: z.string().nullable(),
  /** The first channel receipt of the notification. */
  deliveredAt: z.string().nullable(),
  invitedAt: z.string().nullable(),
  replyDeadline: z.string().nullable(),
  repliedAt: z.string().nullable(),
  notification: notificationViewSchema.nullable(),
});

/** A task with its current panel, as the requesting authority and auditors see it (第八条（五）). */
export const taskViewSchema = z
  .object({
    id: z.string(),
    authorityId: z.string(),
    status: z.enum(['inviting', 'confirmed', 'understaffed', 'cancelled', 'completed']),
    task: z.record(z.string(), z.unknown()),
    draw: z
      .object({
        id: z.string(),
        sequence: z.number().int(),
        seed: z.string(),
        /** `caller` when the requester chose the seed, which auditors should weigh. */
        seedSource: z.enum(['service', 'caller']),
        policy: z.string(),
        ruleSet: z.object({ id: z.string(), version: z.string() }),
        digest: z.string(),
        poolDigest: z.string(),
        eligible: z.number().int(),
        gaps: z.unknown(),
        leader: z.unknown(),
        createdAt: z.string(),
      })
      .nullable(),
    panel: z.array(seatViewSchema),
    /**
     * True when the names are withheld (第八条（五）（七）): before the work starts only the
     * requesting authority's dispatchers and auditors see who was drawn; others see the places,
     * roles and states (`sealedPanelList` in the rule set).
     */
    panelSealed: z.boolean(),
    cancelReason: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Task');

export type TaskView = z.infer<typeof taskViewSchema>;

/** True when the caller may see a task: its own authority's, or any for a provincial auditor. */
export function canSeeTask(task: { authorityId: string }, principal: Principal): boolean {
  return (
    task.authorityId === principal.authorityId ||
    (principal.tier === 'province' && principal.role === 'auditor')
  );
}

/** The 404 of a task the caller cannot see, whether or not it exists elsewhere. */
export function taskNotFound(id: string): ProblemError {
  return new ProblemError('not_found', { zh: `任务 ${id} 不存在`, en: `no task ${id}` });
}

/**
 * Loads a task with its current draw and seats for the caller (404 when not visible).
 *
 * @example
 * const view = await loadTaskView(db, principal, 't_01');
 */
export async function loadTaskView(
  db: Executor,
  principal: Principal,
  id: string,
): Promise<TaskView> {
  const [row] = await db.select().from(tasks).where(eq(tasks.id, id));
  if (row === undefined || !canSeeTask(row, principal)) throw taskNotFound(id);
  const [views] = await toTaskViews(db, [row]);
  if (views === undefined) throw taskNotFound(id);
  return views;
}

type TaskRow = typeof tasks.$inferSelect;
type DrawRow = typeof draws.$inferSelect;
type SeatRow = typeof panelSeats.$inferSelect;

/** The draw as a task view shows it. */
export type DrawSummary = NonNullable<TaskView['draw']>;

/** The summary of a stored draw. */
export function summarizeDraw(draw: DrawRow): DrawSummary {
  const result = draw.result as { gaps?: unknown; leader?: unknown };
  const { eligible } = draw.exclusions as { eligible?: number };
  const policy = draw.policy as { policy: string; seedSource?: 'service' | 'caller' };
  return {
    id: draw.id,
    sequence: draw.sequence,
    seed: draw.seed,
    seedSource: policy.seedSource ?? 'service',
    policy: policy.policy,
    ruleSet: { id: draw.ruleSetId, version: draw.ruleSetVersion },
    digest: draw.inputDigest,
    poolDigest: draw.poolSnapshotDigest,
    eligible: eligible ?? 0,
    gaps: result.gaps ?? null,
    leader: result.leader ?? null,
    createdAt: draw.createdAt.toISOString(),
  };
}

/**
 * A task's view from its row, its current draw and that draw's seats with the experts' names;
 * used on reads and to answer a request from what it has just written.
 */
export function assembleTaskView(
  row: TaskRow,
  draw: DrawSummary | null,
  seats: readonly {
    readonly seat: SeatRow;
    readonly name: string;
    readonly delivery: Pick<
      DeliveryRow,
      'state' | 'attempts' | 'channel' | 'lastError' | 'sentAt' | 'failedAt'
    > | null;
  }[],
): TaskView {
  return {
    id: row.id,
    authorityId: row.authorityId,
    status: row.status as TaskView['status'],
    task: row.body as Record<string, unknown>,
    draw,
    panel: seats.map(({ seat, name, delivery }) => ({
      invitationId: String(seat.id),
      expertId: seat.expertId,
      name,
      role: seat.role as TaskView['panel'][number]['role'],
      rank: seat.rank,
      state: seat.state as SeatState,
      declineReason: seat.declineReason,
      declineNote: seat.declineNote,
      replyChannel: seat.replyChannel,
      repliedBy: seat.repliedBy,
      deliveredAt: seat.deliveredAt?.toISOString() ?? null,
      invitedAt: seat.invitedAt?.toISOString() ?? null,
      replyDeadline: seat.replyDeadline?.toISOString() ?? null,
      repliedAt: seat.repliedAt?.toISOString() ?? null,
      notification: delivery === null ? null : notificationView(delivery),
    })),
    panelSealed: false,
    cancelReason: row.cancelReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The views of task rows, with two queries for all of them. */
export async function toTaskViews(db: Executor, rows: readonly TaskRow[]): Promise<TaskView[]> {
  const drawIds = rows.flatMap((row) => (row.currentDrawId === null ? [] : [row.currentDrawId]));
  const drawRows =
    drawIds.length === 0 ? [] : await db.select().from(draws).where(inArray(draws.id, drawIds));
  const seatRows =
    drawIds.length === 0
      ? []
      : await db
          .select({ seat: panelSeats, name: experts.name, delivery: deliveries })
          .from(panelSeats)
          .innerJoin(experts, eq(experts.id, panelSeats.expertId))
          .leftJoin(deliveries, eq(deliveries.seatId, panelSeats.id))
          .where(inArray(panelSeats.drawId, drawIds))
          .orderBy(asc(panelSeats.id));
  return rows.map((row) => {
    const draw = drawRows.find((d) => d.id === row.currentDrawId);
    return assembleTaskView(
      row,
      draw === undefined ? null : summarizeDraw(draw),
      seatRows.filter(({ seat }) => seat.drawId === row.currentDrawId),
    );
  });
}

/** A delivery as the task view shows it: state and attempts, never the contact used. */
function notificationView(
  delivery: Pick<
    DeliveryRow,
    'state' | 'attempts' | 'channel' | 'lastError' | 'sentAt' | 'failedAt'
  >,
): NotificationView {
  return {
    state: delivery.state as NotificationView['state'],
    attempts: delivery.attempts,
    channel: delivery.channel,
    lastError: delivery.lastError,
    sentAt: delivery.sentAt?.toISOString() ?? null,
    failedAt: delivery.failedAt?.toISOString() ?? null,
  };
}

/** The delivery of an invitation written a moment ago (pending, not tried yet). */
export const PENDING_DELIVERY = {
  state: 'pending',
  attempts: 0,
  channel: null,
  lastError: null,
  sentAt: null,
  failedAt: null,
} as const;
