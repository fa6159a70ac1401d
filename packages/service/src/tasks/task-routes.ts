import { idSchema, industries, isoDateTimeSchema, taskTypes } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, gt, gte, lt, type SQL, sql } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { tasks } from '../db/schema.js';
import { createRouter } from '../http/create-router.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { outboundPolicyOf } from '../outbound/outbound-policy.js';
import { refuseInternalUrls, webhookUrlsOf } from '../outbound/refuse-internal-urls.js';
import { cancelTask, redrawPanel, replayedProblem, requestPanel } from './request-panel.js';
import { sealTaskViewsFor } from './sealed-panel.js';
import { cancelRequestSchema, redrawRequestSchema, taskRequestSchema } from './task-request.js';
import { loadTaskView, type TaskView, taskViewSchema, toTaskViews } from './task-view.js';

const ALL_ROLES = ['admin', 'dispatcher', 'auditor', 'viewer'] as const;
const TAGS = ['Tasks 任务与抽取'];
const idParams = z.object({ id: idSchema });

const createTaskRoute = createRoute({
  method: 'post',
  path: '/v1/tasks',
  operationId: 'createTask',
  tags: TAGS,
  summary: 'Request a panel: store the task, draw and book the experts / 申请抽取专家组',
  description:
    'Idempotent by the Idempotency-Key header: the same key and body give the same response; ' +
    'the same key with another body is a 422; a duplicate while the first is running is a 409. ' +
    'A panel that cannot be formed is a 422 problem with the funnel and unmet constraints, and ' +
    'nothing is stored. Under a rule set with a widening ladder (异地抽取, local policy) the 422 ' +
    'also carries `widening`: the steps taken and, for each next step, the eligible experts it ' +
    'adds and whether the panel could then be formed; repeat the request with `widen` naming the ' +
    'steps, in the ladder’s order. Steps the rule set pre-approves for the task type (accident ' +
    'rescue) are taken unasked and recorded in the task.',
  security: BEARER_SECURITY,
  middleware: [requireRole('dispatcher')] as const,
  request: {
    headers: z.object({
      'idempotency-key': z
        .string()
        .min(8)
        .max(128)
        .regex(/^[\x21-\x7e]+$/),
    }),
    body: jsonBody(taskRequestSchema),
  },
  responses: {
    201: json(taskViewSchema, 'The task with its panel'),
    ...problems(400, 401, 403, 409, 413, 415, 422),
  },
});

const listTasksRoute = createRoute({
  method: 'get',
  path: '/v1/tasks',
  operationId: 'listTasks',
  tags: TAGS,
  summary: 'Your authority’s tasks, with filters and a cursor / 任务列表',
  security: BEARER_SECURITY,
  middleware: [requireRole(...ALL_ROLES)] as const,
  request: {
    query: z.object({
      status: z
        .enum(['inviting', 'confirmed', 'understaffed', 'cancelled', 'completed'])
        .optional(),
      type: taskTypes.schema.optional(),
      industry: industries.schema.optional(),
      from: isoDateTimeSchema.optional(),
      to: isoDateTimeSchema.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().max(512).optional(),
    }),
  },
  responses: {
    200: json(
      z.object({ items: z.array(taskViewSchema), nextCursor: z.string().nullable() }),
      'A page of tasks',
    ),
    ...problems(401, 403, 422),
  },
});

const getTaskRoute = createRoute({
  method: 'get',
  path: '/v1/tasks/{id}',
  operationId: 'getTask',
  tags: TAGS,
  summary: 'One task with every seat’s state / 任务详情',
  security: BEARER_SECURITY,
  middleware: [requireRole(...ALL_ROLES)] as const,
  request: { params: idParams },
  responses: { 200: json(taskViewSchema, 'The task'), ...problems(401, 404) },
});

const cancelTaskRoute = createRoute({
  method: 'post',
  path: '/v1/tasks/{id}/cancel',
  operationId: 'cancelTask',
  tags: TAGS,
  summary: 'Cancel a task and release its experts / 取消任务',
  security: BEARER_SECURITY,
  middleware: [requireRole('dispatcher')] as const,
  request: { params: idParams, body: jsonBody(cancelRequestSchema) },
  responses: {
    200: json(taskViewSchema, 'The cancelled task'),
    ...problems(401, 403, 404, 409, 422),
  },
});

const redrawTaskRoute = createRoute({
  method: 'post',
  path: '/v1/tasks/{id}/redraw',
  operationId: 'redrawTask',
  tags: TAGS,
  summary: 'Draw again, with a recorded reason / 重新抽取（须说明理由）',
  security: BEARER_SECURITY,
  middleware: [requireRole('dispatcher')] as const,
  request: { params: idParams, body: jsonBody(redrawRequestSchema) },
  responses: {
    200: json(taskViewSchema, 'The task with its new panel'),
    ...problems(401, 403, 404, 409, 422),
  },
});

/** Tasks and their draws: request, read, cancel, re-draw. */
export const taskRoutes = createRouter();

taskRoutes.openapi(createTaskRoute, async (c) => {
  const request = c.req.valid('json');
  refuseInternalUrls(
    [
      { path: 'callbackUrl', url: request.callbackUrl },
      ...webhookUrlsOf(request.ratingContact ? [request.ratingContact] : [], 'ratingContact').map(
        (input) => ({ ...input, path: 'ratingContact.address' }),
      ),
    ],
    outboundPolicyOf(c.var.services.env),
  );
  const response = await requestPanel(
    c.var.services,
    c.var.principal,
    request,
    c.req.valid('header')['idempotency-key'],
  );
  // Built by the service itself (or replayed as stored), so it is not parsed again.
  if (response.status === 201) return c.json(response.body as TaskView, 201);
  throw replayedProblem(response.body);
});

taskRoutes.openapi(listTasksRoute, async (c) => {
  const principal = c.var.principal;
  const query = c.req.valid('query');
  const conditions: (SQL | undefined)[] = [
    principal.tier === 'province' && principal.role === 'auditor'
      ? undefined
      : eq(tasks.authorityId, principal.authorityId),
    query.status ? eq(tasks.status, query.status) : undefined,
    query.type ? eq(tasks.type, query.type) : undefined,
    query.industry ? sql`${tasks.body} -> 'industries' ? ${query.industry}` : undefined,
    query.from ? gte(tasks.windowTo, new Date(query.from)) : undefined,
    query.to ? lt(tasks.windowFrom, new Date(query.to)) : undefined,
    query.cursor ? gt(tasks.id, decodeCursor(query.cursor)) : undefined,
  ];
  const rows = await c.var.db
    .select()
    .from(tasks)
    .where(and(...conditions))
    .orderBy(asc(tasks.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return c.json(
    {
      items: await sealTaskViewsFor(
        c.var.db,
        principal,
        await toTaskViews(c.var.db, page),
        c.var.services.ruleSet,
        c.var.services.now(),
      ),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null,
    },
    200,
  );
});

taskRoutes.openapi(getTaskRoute, async (c) => {
  const view = await loadTaskView(c.var.db, c.var.principal, c.req.valid('param').id);
  const [shown] = await sealTaskViewsFor(
    c.var.db,
    c.var.principal,
    [view],
    c.var.services.ruleSet,
    c.var.services.now(),
  );
  return c.json(shown ?? view, 200);
});

taskRoutes.openapi(cancelTaskRoute, async (c) =>
  c.json(
    await cancelTask(
      c.var.services,
      c.var.principal,
      c.req.valid('param').id,
      c.req.valid('json').reason,
    ),
    200,
  ),
);

taskRoutes.openapi(redrawTaskRoute, async (c) =>
  c.json(
    await redrawPanel(
      c.var.services,
      c.var.principal,
      c.req.valid('param').id,
      c.req.valid('json'),
    ),
    200,
  ),
);
