import { z } from '@hono/zod-openapi';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { draws, experts, panelSeats, tasks } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { Principal } from '../http/app-env.js';

const seatViewSchema = z.object({
  expertId: z.string(),
  name: z.string(),
  role: z.enum(['leader', 'member', 'alternate', 'shadow']),
  rank: z.number().int(),
  state: z.string(),
  declineReason: z.string().nullable(),
  invitedAt: z.string().nullable(),
  replyDeadline: z.string().nullable(),
  repliedAt: z.string().nullable(),
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

/** The views of task rows, with two queries for all of them. */
export async function toTaskViews(
  db: Executor,
  rows: readonly (typeof tasks.$inferSelect)[],
): Promise<TaskView[]> {
  const drawIds = rows.flatMap((row) => (row.currentDrawId === null ? [] : [row.currentDrawId]));
  const drawRows =
    drawIds.length === 0 ? [] : await db.select().from(draws).where(inArray(draws.id, drawIds));
  const seatRows =
    drawIds.length === 0
      ? []
      : await db
          .select({ seat: panelSeats, name: experts.name })
          .from(panelSeats)
          .innerJoin(experts, eq(experts.id, panelSeats.expertId))
          .where(and(inArray(panelSeats.drawId, drawIds)))
          .orderBy(asc(panelSeats.id));
  return rows.map((row) => {
    const draw = drawRows.find((d) => d.id === row.currentDrawId);
    const result = (draw?.result ?? {}) as { eligible?: number; gaps?: unknown; leader?: unknown };
    return {
      id: row.id,
      authorityId: row.authorityId,
      status: row.status as TaskView['status'],
      task: row.body as Record<string, unknown>,
      draw:
        draw === undefined
          ? null
          : {
              id: draw.id,
              sequence: draw.sequence,
              seed: draw.seed,
              policy: (draw.policy as { policy: string }).policy,
              seedSource:
                (draw.policy as { seedSource?: 'service' | 'caller' }).seedSource ?? 'service',
              ruleSet: { id: draw.ruleSetId, version: draw.ruleSetVersion },
              digest: draw.inputDigest,
              poolDigest: draw.poolSnapshotDigest,
              eligible: result.eligible ?? 0,
              gaps: result.gaps ?? null,
              leader: result.leader ?? null,
              createdAt: draw.createdAt.toISOString(),
            },
      panel: seatRows
        .filter(({ seat }) => seat.drawId === row.currentDrawId)
        .map(({ seat, name }) => ({
          expertId: seat.expertId,
          name,
          role: seat.role as TaskView['panel'][number]['role'],
          rank: seat.rank,
          state: seat.state,
          declineReason: seat.declineReason,
          invitedAt: seat.invitedAt?.toISOString() ?? null,
          replyDeadline: seat.replyDeadline?.toISOString() ?? null,
          repliedAt: seat.repliedAt?.toISOString() ?? null,
        })),
      cancelReason: row.cancelReason,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  });
}
