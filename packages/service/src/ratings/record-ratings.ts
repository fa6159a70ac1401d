import { randomBytes } from 'node:crypto';
import { idSchema } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Actor } from '../audit/audit-entry.js';
import type { Transaction } from '../db/open-database.js';
import { ratings, tasks } from '../db/schema.js';
import { type FieldError, ProblemError } from '../errors.js';
import { isPanelSeat, type ServingSeat } from '../tasks/service-record.js';

type TaskRow = typeof tasks.$inferSelect;

/** A comment is optional; blank is none. */
export const ratingCommentSchema = z.string().trim().max(500);

/** One rating of one member (服务评价, 第二十条): 1–5 and an optional comment. */
export const ratingInputSchema = z.strictObject({
  expertId: idSchema,
  score: z.number().int().min(1).max(5),
  comment: ratingCommentSchema.optional(),
});

export type RatingInput = z.input<typeof ratingInputSchema>;

/** The body of `POST /v1/tasks/{id}/ratings`: one or more members' ratings, all or none. */
export const ratingsRequestSchema = z
  .strictObject({ ratings: z.array(ratingInputSchema).min(1).max(30) })
  .openapi('RatingsRequest');

/** Locks a task for rating and checks that its work is done (409 otherwise). */
export async function lockTaskForRating(
  tx: Transaction,
  taskId: string,
): Promise<TaskRow | undefined> {
  const [row] = await tx.select().from(tasks).where(eq(tasks.id, taskId)).for('update');
  return row;
}

/** The 409 of rating a task that is not completed. */
export function notCompleted(row: Pick<TaskRow, 'status'>): ProblemError {
  return new ProblemError(
    'illegal_transition',
    {
      zh: `任务状态为 ${row.status}，办结后才能评价`,
      en: `a ${row.status} task cannot be rated; only a completed one can`,
    },
    { extensions: { from: row.status } },
  );
}

/**
 * Records the served unit's ratings of members who attended a completed task (第二十条), inside
 * the caller's transaction, which holds the task's lock (`lockTaskForRating`): one rating per
 * member per task. Refuses with field paths (422) a rating of anyone who is not an attended
 * leader or member of the task, or a member listed twice; refuses as 409 a member already rated
 * (nothing is written then). Each rating is audited as `rating.recorded`.
 *
 * @example
 * await recordRatings(tx, { task, serving, entries: [{ expertId: 'e-1', score: 5 }], source: 'api', actor, ratedByKeyId: 'k1', now });
 */
export async function recordRatings(
  tx: Transaction,
  args: {
    readonly task: TaskRow;
    readonly serving: readonly ServingSeat[];
    readonly entries: readonly {
      readonly expertId: string;
      readonly score: number;
      readonly comment?: string | null | undefined;
    }[];
    readonly source: 'link' | 'api';
    readonly actor: Actor;
    readonly ratedByKeyId: string | null;
    readonly now: Date;
  },
): Promise<void> {
  const { task, serving, entries, now } = args;
  if (task.status !== 'completed') throw notCompleted(task);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const path = `ratings.${index}.expertId`;
    const served = serving.find(({ seat }) => seat.expertId === entry.expertId);
    if (
      served === undefined ||
      !isPanelSeat(served.seat) ||
      served.seat.attendance !== 'attended'
    ) {
      errors.push({
        path,
        message: `${entry.expertId} did not attend this task as leader or member; only attended members are rated / 仅可评价到岗的组长和组员`,
      });
    } else if (seen.has(entry.expertId)) {
      errors.push({ path, message: `${entry.expertId} is listed twice / 重复评价` });
    }
    seen.add(entry.expertId);
  });
  if (errors.length > 0) {
    throw new ProblemError(
      'validation_failed',
      { zh: '服务评价未通过校验', en: 'the ratings did not pass validation' },
      { errors },
    );
  }
  const rated = entries.filter((entry) =>
    serving.some(({ seat, rating }) => seat.expertId === entry.expertId && rating !== null),
  );
  if (rated.length > 0) {
    throw new ProblemError(
      'already_exists',
      {
        zh: `专家 ${rated.map((e) => e.expertId).join('、')} 已评价，每位专家每项任务只能评价一次`,
        en: `${rated.map((e) => e.expertId).join(', ')} already rated; one rating per member per task`,
      },
      { extensions: { rated: rated.map((e) => e.expertId) } },
    );
  }
  const rows = entries.map((entry) => {
    const served = serving.find(({ seat }) => seat.expertId === entry.expertId) as ServingSeat;
    return {
      id: `rt_${randomBytes(10).toString('hex')}`,
      taskId: task.id,
      seatId: served.seat.id,
      expertId: entry.expertId,
      score: entry.score,
      comment:
        entry.comment === undefined || entry.comment === null || entry.comment === ''
          ? null
          : entry.comment,
      source: args.source,
      ratedByKeyId: args.ratedByKeyId,
      createdAt: now,
    };
  });
  await tx.insert(ratings).values(rows);
  // Last: the audit chain lock is held until commit.
  await appendAudit(
    tx,
    rows.map((row) => ({
      actor: args.actor,
      action: 'rating.recorded',
      entityType: 'task',
      entityId: task.id,
      reason: `via ${args.source}`,
      before: null,
      after: {
        ratingId: row.id,
        seatId: row.seatId,
        expertId: row.expertId,
        score: row.score,
        comment: row.comment,
        source: row.source,
      },
    })),
    now,
  );
}
