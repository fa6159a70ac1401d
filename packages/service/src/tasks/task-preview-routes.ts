import { idSchema } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../access/authenticate.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { panelPreviewSchema, previewPanel } from './preview-panel.js';
import { streamTaskEvents } from './task-events.js';
import { taskRequestSchema } from './task-request.js';

const TAGS = ['Tasks 任务与抽取'];

const previewTaskRoute = createRoute({
  method: 'post',
  path: '/v1/tasks/preview',
  operationId: 'previewTask',
  tags: TAGS,
  summary: 'Preview the funnel of a task before drawing / 抽取前预览筛选结果',
  description:
    'The same body as POST /v1/tasks. Runs the matcher on the pool, history and engagements a ' +
    'draw would read now, with a throw-away seed, and answers how many experts each rule ' +
    'removes, how many remain eligible and whether a panel can be formed. Writes nothing and ' +
    'names nobody: the panel is drawn once, by POST /v1/tasks.',
  security: BEARER_SECURITY,
  middleware: [requireRole('dispatcher')] as const,
  request: { body: jsonBody(taskRequestSchema) },
  responses: {
    200: json(panelPreviewSchema, 'The funnel a draw would see now'),
    ...problems(400, 401, 403, 413, 415, 422),
  },
});

const taskEventsRoute = createRoute({
  method: 'get',
  path: '/v1/tasks/{id}/events',
  operationId: 'streamTaskEvents',
  tags: TAGS,
  summary: 'Live updates of a task (Server-Sent Events) / 任务实时状态推送',
  description:
    'text/event-stream: an `event: task` carrying the Task (as GET /v1/tasks/{id} answers it) ' +
    'at once and whenever a seat’s notification or reply, a backfill or the task’s status ' +
    'changes; comment lines keep a quiet stream open. The stream ends after 10 minutes; ' +
    'EventSource reconnects.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'dispatcher', 'auditor', 'viewer')] as const,
  request: { params: z.object({ id: idSchema }) },
  responses: {
    200: {
      description: 'The event stream',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    ...problems(401, 404, 422),
  },
});

/** The preview of a draw and the live stream of a task. */
export const taskPreviewRoutes = createRouter();

taskPreviewRoutes.openapi(previewTaskRoute, async (c) =>
  c.json(await previewPanel(c.var.services, c.var.principal, c.req.valid('json')), 200),
);

taskPreviewRoutes.openapi(taskEventsRoute, async (c) =>
  streamTaskEvents(c, c.var.principal, c.req.valid('param').id),
);
