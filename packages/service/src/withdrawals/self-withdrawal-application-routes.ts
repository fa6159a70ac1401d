import { createRoute, z } from '@hono/zod-openapi';
import { desc, eq } from 'drizzle-orm';
import { withdrawalApplications } from '../db/schema.js';
import { createRouter } from '../http/create-router.js';
import { json, jsonBody, problems } from '../http/openapi-helpers.js';
import { SELF_TAGS } from '../self/self-login-routes.js';
import { SELF_SECURITY } from '../self/self-security.js';
import { requireSelfExpert } from '../self/self-session.js';
import {
  fileWithdrawalApplication,
  toWithdrawalView,
  withdrawalApplicationSchema,
} from './withdrawal-application.js';

const ACCESS =
  "With the expert's own session (selfSession: Authorization: Bearer eds_…); API keys are " +
  'refused. / 仅限专家本人会话。';

const withdrawalBody = z
  .object({
    reason: z.string().trim().min(1).max(1000).openapi({
      description: '退出原因：身体健康、工作变动、个人意愿或其他原因（第二十四条）',
    }),
  })
  .strict()
  .openapi('SelfWithdrawalApplicationInput');

const ownApplicationsSchema = z
  .object({ items: z.array(withdrawalApplicationSchema) })
  .openapi('SelfWithdrawalApplications');

const fileRoute = createRoute({
  method: 'post',
  path: '/v1/self/withdrawal-application',
  operationId: 'fileSelfWithdrawalApplication',
  tags: SELF_TAGS,
  summary: 'Apply in writing to withdraw from the pool (第二十四条) / 申请退出专家库',
  description:
    `The expert's written application; an admin of the pool accepts it (the expert is then ` +
    `withdrawn, with the application as the action's evidence) or refuses it with a written ` +
    `reason. One open application at a time (409). ${ACCESS}`,
  security: SELF_SECURITY,
  request: { body: jsonBody(withdrawalBody) },
  responses: {
    201: json(withdrawalApplicationSchema, 'Filed, open'),
    ...problems(400, 401, 409, 413, 415, 422),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/self/withdrawal-application',
  operationId: 'listSelfWithdrawalApplications',
  tags: SELF_TAGS,
  summary: 'My withdrawal applications and their state / 本人退出申请',
  description: `Newest first: open, accepted or refused with the written reason. ${ACCESS}`,
  security: SELF_SECURITY,
  responses: { 200: json(ownApplicationsSchema, 'The own applications'), ...problems(401) },
});

/** The expert's own withdrawal applications (第二十四条). */
export const selfWithdrawalApplicationRoutes = createRouter();

selfWithdrawalApplicationRoutes.openapi(fileRoute, async (c) => {
  const { reason } = c.req.valid('json');
  const expertId = await requireSelfExpert(c);
  const now = c.var.services.now();
  const row = await c.var.db.transaction((tx) =>
    fileWithdrawalApplication(tx, expertId, reason, now),
  );
  return c.json(toWithdrawalView(row), 201);
});

selfWithdrawalApplicationRoutes.openapi(listRoute, async (c) => {
  const expertId = await requireSelfExpert(c);
  const rows = await c.var.db
    .select()
    .from(withdrawalApplications)
    .where(eq(withdrawalApplications.expertId, expertId))
    .orderBy(desc(withdrawalApplications.createdAt))
    .limit(50);
  return c.json({ items: rows.map(toWithdrawalView) }, 200);
});
