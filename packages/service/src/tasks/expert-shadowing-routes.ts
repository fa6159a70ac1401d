import { idSchema, taskTypes } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, count, eq, gt, notInArray, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import { requireRole } from '../access/authenticate.js';
import { panelSeats, tasks } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { loadVisibleExpert } from '../experts/pool-scope.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { BEARER_SECURITY, json, problems } from '../http/openapi-helpers.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import { isPanelSealedFor } from './sealed-panel.js';

const shadowingSchema = z
  .object({
    expertId: z.string(),
    /** Over every task, not just this page. */
    summary: z.object({
      joined: z.number().int(),
      attended: z.number().int(),
      noShow: z.number().int(),
    }),
    items: z.array(
      z.object({
        taskId: z.string(),
        /** The requesting authority. */
        authorityId: z.string(),
        type: taskTypes.schema,
        window: z.object({ from: z.string(), to: z.string() }),
        taskStatus: z.string(),
        completedAt: z.string().nullable(),
        attendance: z.enum(['attended', 'no_show']).nullable(),
        attendanceRecordedAt: z.string().nullable(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('ShadowingRecord');

const getShadowingRoute = createRoute({
  method: 'get',
  path: '/v1/experts/{id}/shadowing',
  operationId: 'getExpertShadowing',
  tags: ['Records 服务记录'],
  summary:
    'The tasks an expert joined as a shadow, with attendance (第二十一条（三）) / 跟班学习记录',
  description:
    'Visible like the expert (the provincial pool to everyone, a local pool to its owner). Lists ' +
    'the task, its type, window and attendance — never the enterprise or the panel (第八条（五）).',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'dispatcher', 'auditor', 'viewer')] as const,
  request: {
    params: z.object({ id: idSchema }),
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().max(512).optional(),
    }),
  },
  responses: { 200: json(shadowingSchema, 'The shadowing record'), ...problems(401, 404, 422) },
});

/** Shadow records (跟班学习, 第二十一条（三）): the tasks a local expert joined to learn. */
export const expertShadowingRoutes = createRouter();

expertShadowingRoutes.openapi(getShadowingRoute, async (c) => {
  const { id } = c.req.valid('param');
  const query = c.req.valid('query');
  await loadVisibleExpert(c.var.db, c.var.principal, id);
  const accepted = and(
    eq(panelSeats.expertId, id),
    eq(panelSeats.role, 'shadow'),
    eq(panelSeats.state, 'accepted'),
  );
  // A shadow of a panel still sealed for the caller is not shown yet (第八条（五）（七）).
  const sealed = await sealedShadowSeats(c, accepted);
  const joined = sealed.length === 0 ? accepted : and(accepted, notInArray(panelSeats.id, sealed));
  const after = query.cursor === undefined ? undefined : cursorSeat(query.cursor);
  const rows = await c.var.db
    .select({ seat: panelSeats, task: tasks })
    .from(panelSeats)
    .innerJoin(tasks, eq(tasks.id, panelSeats.taskId))
    .where(and(joined, after === undefined ? undefined : gt(panelSeats.id, after)))
    .orderBy(asc(panelSeats.id))
    .limit(query.limit + 1);
  const totals = await c.var.db
    .select({ attendance: panelSeats.attendance, n: count() })
    .from(panelSeats)
    .where(joined)
    .groupBy(panelSeats.attendance);
  const countOf = (value: string | null) =>
    Number(totals.find((row) => row.attendance === value)?.n ?? 0);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return c.json(
    {
      expertId: id,
      summary: {
        joined: totals.reduce((sum, row) => sum + Number(row.n), 0),
        attended: countOf('attended'),
        noShow: countOf('no_show'),
      },
      items: page.map(({ seat, task }) => ({
        taskId: task.id,
        authorityId: task.authorityId,
        type: task.type as z.infer<typeof taskTypes.schema>,
        window: { from: task.windowFrom.toISOString(), to: task.windowTo.toISOString() },
        taskStatus: task.status,
        completedAt: task.completedAt?.toISOString() ?? null,
        attendance: seat.attendance as 'attended' | 'no_show' | null,
        attendanceRecordedAt: seat.attendanceRecordedAt?.toISOString() ?? null,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor(String(last.seat.id)) : null,
    },
    200,
  );
});

/** The accepted shadow seats of tasks not yet started whose panel is sealed for the caller. */
async function sealedShadowSeats(c: Context<AppEnv>, accepted: SQL | undefined): Promise<number[]> {
  const now = c.var.services.now();
  const upcoming = await c.var.db
    .select({ id: panelSeats.id, authorityId: tasks.authorityId, windowFrom: tasks.windowFrom })
    .from(panelSeats)
    .innerJoin(tasks, eq(tasks.id, panelSeats.taskId))
    .where(and(accepted, gt(tasks.windowFrom, now)));
  const sealed: number[] = [];
  for (const seat of upcoming) {
    const ruleSet = await resolveRuleSet(c.var.db, seat.authorityId, c.var.services.ruleSet);
    if (isPanelSealedFor(c.var.principal, seat, ruleSet, now)) sealed.push(seat.id);
  }
  return sealed;
}

/** The seat id inside a cursor of this list. */
function cursorSeat(cursor: string): number {
  const key = decodeCursor(cursor);
  if (/^\d{1,15}$/.test(key)) return Number(key);
  throw new ProblemError(
    'validation_failed',
    { zh: '分页游标无效', en: 'the pagination cursor is not valid' },
    { errors: [{ path: 'query.cursor', message: 'not a cursor returned by this service' }] },
  );
}
