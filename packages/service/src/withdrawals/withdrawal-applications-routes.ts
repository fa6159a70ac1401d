import { idSchema } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { experts, withdrawalApplications } from '../db/schema.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import {
  decideWithdrawal,
  toWithdrawalView,
  withdrawalApplicationSchema,
} from './withdrawal-application.js';

const TAGS = ['Lifecycle 专家状态'];
const QUEUE_LIMIT = 500;

const queueItemSchema = withdrawalApplicationSchema
  .extend({ expertName: z.string(), expertStatus: z.string() })
  .openapi('WithdrawalApplicationQueueItem');

const listRoute = createRoute({
  method: 'get',
  path: '/v1/withdrawal-applications',
  operationId: 'listWithdrawalApplications',
  tags: TAGS,
  summary: "The pool's withdrawal applications (第二十四条) / 专家退出申请",
  description:
    `The applications of the experts of the caller's own pool, oldest first (a queue), at most ` +
    `${QUEUE_LIMIT}; by default the open ones.`,
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'auditor')] as const,
  request: {
    query: z.object({
      state: z.enum(['open', 'accepted', 'refused', 'all']).default('open'),
    }),
  },
  responses: {
    200: json(z.object({ items: z.array(queueItemSchema) }), 'The queue'),
    ...problems(401, 403, 422),
  },
});

const decisionBody = z
  .object({
    decision: z.enum(['accept', 'refuse']).openapi({
      description: 'accept: the expert is withdrawn (第二十四条); refuse: with the written reason',
    }),
    reason: z.string().trim().min(1).max(500).openapi({ description: '书面理由 / written reason' }),
  })
  .strict()
  .openapi('WithdrawalDecision');

const decideRoute = createRoute({
  method: 'post',
  path: '/v1/withdrawal-applications/{id}/decision',
  operationId: 'decideWithdrawalApplication',
  tags: TAGS,
  summary: 'Accept or refuse a withdrawal application (第二十四条) / 处理退出申请',
  description:
    'Accepting runs the withdraw lifecycle action with the application as its evidence ' +
    '(audited as expert.withdraw citing 第二十四条); refusing records the written reason. Both ' +
    'are audited. An application already decided, or an expert whose state allows no ' +
    'withdrawal, is a 409; another pool’s application a 404.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: z.object({ id: idSchema }), body: jsonBody(decisionBody) },
  responses: {
    200: json(withdrawalApplicationSchema, 'The application as decided'),
    ...problems(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

/** The admins' queue of withdrawal applications and their decision. */
export const withdrawalApplicationsRoutes = createRouter();

withdrawalApplicationsRoutes.openapi(listRoute, async (c) => {
  const { state } = c.req.valid('query');
  const conditions: SQL[] = [eq(experts.ownerAuthorityId, c.var.principal.authorityId)];
  if (state !== 'all') conditions.push(eq(withdrawalApplications.state, state));
  const rows = await c.var.db
    .select({ application: withdrawalApplications, name: experts.name, status: experts.status })
    .from(withdrawalApplications)
    .innerJoin(experts, eq(experts.id, withdrawalApplications.expertId))
    .where(and(...conditions))
    .orderBy(asc(withdrawalApplications.createdAt), asc(withdrawalApplications.id))
    .limit(QUEUE_LIMIT);
  return c.json(
    {
      items: rows.map((r) => ({
        ...toWithdrawalView(r.application),
        expertName: r.name,
        expertStatus: r.status,
      })),
    },
    200,
  );
});

withdrawalApplicationsRoutes.openapi(decideRoute, async (c) => {
  const { id } = c.req.valid('param');
  const decision = c.req.valid('json');
  const decided = await decideWithdrawal(c.var.services, c.var.principal, id, decision);
  return c.json(toWithdrawalView(decided), 200);
});
