import { idSchema } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { tasks } from '../db/schema.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import { completeTask, correctAttendance } from './complete-task.js';
import { isPanelSealedFor, sealServiceRecord } from './sealed-panel.js';
import { loadServiceRecord, serviceRecordSchema } from './service-record.js';
import {
  attendanceCorrectionSchema,
  completeTaskRequestSchema,
} from './task-completion-request.js';
import { canSeeTask, taskNotFound } from './task-view.js';

const TAGS = ['Records 服务记录'];
const idParams = z.object({ id: idSchema });

const completeTaskRoute = createRoute({
  method: 'post',
  path: '/v1/tasks/{id}/complete',
  operationId: 'completeTask',
  tags: TAGS,
  summary: 'Record the work as done, with each member’s attendance (第十五条) / 任务办结与出勤登记',
  description:
    'Your authority’s task, once its panel stands (confirmed or understaffed) and its window has ' +
    'started: every leader and member who accepted needs `attended` or `no_show`, shadows may ' +
    'have one. Open invitations and unused alternates are released. With a `ratingContact` on ' +
    'the task the served unit is sent a signed rating link (第二十条). Any other state is a 409.',
  security: BEARER_SECURITY,
  middleware: [requireRole('dispatcher')] as const,
  request: { params: idParams, body: jsonBody(completeTaskRequestSchema) },
  responses: {
    200: json(serviceRecordSchema, 'The completed task’s service record'),
    ...problems(400, 401, 403, 404, 409, 415, 422),
  },
});

const correctAttendanceRoute = createRoute({
  method: 'put',
  path: '/v1/tasks/{id}/attendance',
  operationId: 'recordAttendance',
  tags: TAGS,
  summary: 'Correct or add attendance of a completed task, with a reason / 更正出勤记录',
  description:
    'Only the listed experts change; a member already rated cannot become a no-show (409).',
  security: BEARER_SECURITY,
  middleware: [requireRole('dispatcher')] as const,
  request: { params: idParams, body: jsonBody(attendanceCorrectionSchema) },
  responses: {
    200: json(serviceRecordSchema, 'The service record after the correction'),
    ...problems(400, 401, 403, 404, 409, 415, 422),
  },
});

const getServiceRecordRoute = createRoute({
  method: 'get',
  path: '/v1/tasks/{id}/service-record',
  operationId: 'getServiceRecord',
  tags: TAGS,
  summary: 'Who served, attendance and ratings of a task / 任务服务记录',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'dispatcher', 'auditor', 'viewer')] as const,
  request: { params: idParams },
  responses: { 200: json(serviceRecordSchema, 'The service record'), ...problems(401, 404) },
});

/** After the work: completion with attendance (第十五条), corrections and the service record. */
export const taskCompletionRoutes = createRouter();

taskCompletionRoutes.openapi(completeTaskRoute, async (c) =>
  c.json(
    await completeTask(
      c.var.services,
      c.var.principal,
      c.req.valid('param').id,
      c.req.valid('json'),
    ),
    200,
  ),
);

taskCompletionRoutes.openapi(correctAttendanceRoute, async (c) =>
  c.json(
    await correctAttendance(
      c.var.services,
      c.var.principal,
      c.req.valid('param').id,
      c.req.valid('json'),
    ),
    200,
  ),
);

taskCompletionRoutes.openapi(getServiceRecordRoute, async (c) => {
  const id = c.req.valid('param').id;
  const [row] = await c.var.db.select().from(tasks).where(eq(tasks.id, id));
  if (row === undefined || !canSeeTask(row, c.var.principal)) throw taskNotFound(id);
  const record = await loadServiceRecord(c.var.db, row);
  // Before the work starts the names are the sealed list's (第八条（五）（七）).
  const ruleSet = await resolveRuleSet(c.var.db, row.authorityId, c.var.services.ruleSet);
  const sealed = isPanelSealedFor(c.var.principal, row, ruleSet, c.var.services.now());
  return c.json(sealed ? sealServiceRecord(record) : record, 200);
});
