import { z } from '@hono/zod-openapi';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { experts, notices, panelSeats, ratings, type tasks } from '../db/schema.js';

type TaskRow = typeof tasks.$inferSelect;
type SeatRow = typeof panelSeats.$inferSelect;
type RatingRow = typeof ratings.$inferSelect;

/** The roles that serve on a task: the panel (leader, members) and the shadows (第二十一条（三）). */
export const SERVING_ROLES = ['leader', 'member', 'shadow'] as const;

const ratingViewSchema = z
  .object({
    score: z.number().int().min(1).max(5),
    comment: z.string().nullable(),
    /** `link`: the served unit's signed link; `api`: a key of the requesting authority. */
    source: z.enum(['link', 'api']),
    createdAt: z.string(),
  })
  .openapi('ServiceRating');

/**
 * What a task left behind once done: who served, whether they came (第十五条), how the served
 * unit rated them (第二十条), and the rating link's notice. Visible like the task itself.
 */
export const serviceRecordSchema = z
  .object({
    taskId: z.string(),
    status: z.enum(['inviting', 'confirmed', 'understaffed', 'cancelled', 'completed']),
    completedAt: z.string().nullable(),
    /** The experts who accepted: leader, members and shadows, with attendance and rating. */
    panel: z.array(
      z.object({
        invitationId: z.string(),
        expertId: z.string(),
        name: z.string(),
        role: z.enum(SERVING_ROLES),
        attendance: z.enum(['attended', 'no_show']).nullable(),
        attendanceRecordedAt: z.string().nullable(),
        rating: ratingViewSchema.nullable(),
      }),
    ),
    /**
     * True when the names are withheld (第八条（五）（七）): before the work starts only the
     * requesting authority's dispatchers and auditors see who serves (`sealedPanelList`).
     */
    panelSealed: z.boolean(),
    /** The served unit's rating link notice (no link: it is a credential); null when none. */
    ratingRequest: z
      .object({ noticeId: z.string(), state: z.string(), sentAt: z.string().nullable() })
      .nullable(),
  })
  .openapi('ServiceRecord');

export type ServiceRecord = z.infer<typeof serviceRecordSchema>;

/** A seat that served (accepted) on a task, with the expert's name and its rating if any. */
export interface ServingSeat {
  readonly seat: SeatRow;
  readonly name: string;
  readonly rating: RatingRow | null;
}

/**
 * The seats of a task's current draw that accepted, in seat order, with names and ratings: the
 * people attendance is recorded for and ratings are given to. One query.
 *
 * @example
 * const serving = await loadServingSeats(tx, taskRow); // [{ seat, name: '专家1', rating: null }, …]
 */
export async function loadServingSeats(
  db: Executor,
  task: Pick<TaskRow, 'id' | 'currentDrawId'>,
): Promise<ServingSeat[]> {
  if (task.currentDrawId === null) return [];
  const rows = await db
    .select({ seat: panelSeats, name: experts.name, rating: ratings })
    .from(panelSeats)
    .innerJoin(experts, eq(experts.id, panelSeats.expertId))
    .leftJoin(ratings, eq(ratings.seatId, panelSeats.id))
    .where(
      and(
        eq(panelSeats.taskId, task.id),
        eq(panelSeats.drawId, task.currentDrawId),
        eq(panelSeats.state, 'accepted'),
        inArray(panelSeats.role, [...SERVING_ROLES]),
      ),
    )
    .orderBy(asc(panelSeats.id));
  return rows;
}

/** True for a leader's or member's seat, which ratings and required attendance cover. */
export function isPanelSeat(seat: Pick<SeatRow, 'role'>): boolean {
  return seat.role === 'leader' || seat.role === 'member';
}

/**
 * The service record of a task row (visibility is the caller's check).
 *
 * @example
 * const record = await loadServiceRecord(db, taskRow);
 */
export async function loadServiceRecord(db: Executor, task: TaskRow): Promise<ServiceRecord> {
  const serving = await loadServingSeats(db, task);
  const [notice] = await db
    .select({ id: notices.id, state: notices.state, sentAt: notices.sentAt })
    .from(notices)
    .where(and(eq(notices.taskId, task.id), eq(notices.kind, 'rating_request')))
    .orderBy(desc(notices.createdAt))
    .limit(1);
  return {
    taskId: task.id,
    status: task.status as ServiceRecord['status'],
    completedAt: task.completedAt?.toISOString() ?? null,
    panelSealed: false,
    panel: serving.map(({ seat, name, rating }) => ({
      invitationId: String(seat.id),
      expertId: seat.expertId,
      name,
      role: seat.role as ServiceRecord['panel'][number]['role'],
      attendance: seat.attendance as ServiceRecord['panel'][number]['attendance'],
      attendanceRecordedAt: seat.attendanceRecordedAt?.toISOString() ?? null,
      rating:
        rating === null
          ? null
          : {
              score: rating.score,
              comment: rating.comment,
              source: rating.source as 'link' | 'api',
              createdAt: rating.createdAt.toISOString(),
            },
    })),
    ratingRequest:
      notice === undefined
        ? null
        : {
            noticeId: notice.id,
            state: notice.state,
            sentAt: notice.sentAt?.toISOString() ?? null,
          },
  };
}
