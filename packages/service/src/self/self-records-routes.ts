import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../http/create-router.js';
import { json, problems } from '../http/openapi-helpers.js';
import { SELF_TAGS } from './self-login-routes.js';
import { loadSelfRecords, SELF_RECORD_LIMIT, selfRecordsSchema } from './self-records.js';
import { SELF_SECURITY } from './self-security.js';
import { requireSelfExpert } from './self-session.js';

const recordsRoute = createRoute({
  method: 'get',
  path: '/v1/self/records',
  operationId: 'listSelfRecords',
  tags: SELF_TAGS,
  summary: 'My invitations, replies, attendance, ratings and warnings / 本人记录',
  description:
    `The signed-in expert's own invitations — each with its outcome as the department's lists ` +
    `count it (accepted; declined justified, unjustified or 待认定; no reply after a delivery ` +
    `that reached the expert; undeliverable, never counted; withdrawn after accepting) and the ` +
    `evidence: delivery and receipt, reply, channel, who recorded it, the department's decision, ` +
    `reasons and attendance with Chinese labels (第十五条, 第二十三条（一）) — ratings (第二十条) and warnings with their article and reason ` +
    `(第二十三条), newest first, at most ${SELF_RECORD_LIMIT} of each. With the expert's own session ` +
    'token (Authorization: Bearer eds_…); API keys are refused. / 仅限专家本人会话。',
  security: SELF_SECURITY,
  responses: { 200: json(selfRecordsSchema, 'The own records'), ...problems(401) },
});

/** What the system holds about the signed-in expert's work: only their own rows. */
export const selfRecordsRoutes = createRouter();

selfRecordsRoutes.openapi(recordsRoute, async (c) => {
  const expertId = await requireSelfExpert(c);
  return c.json(await loadSelfRecords(c.var.db, expertId, c.var.services.ruleSet), 200);
});
