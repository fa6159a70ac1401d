import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../access/authenticate.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { recordPhoneAnswer } from './record-phone-answer.js';
import { replyResultSchema, replySchema } from './reply-routes.js';
import { replyStateLabel } from './reply-state-label.js';

const phoneReplyRoute = createRoute({
  method: 'post',
  path: '/v1/invitations/{id}/phone-reply',
  operationId: 'recordPhoneReply',
  tags: ['Dispatch 通知与答复'],
  summary: 'Record an answer the expert gave by phone / 登记专家电话答复',
  description:
    'For an invitation no channel reached (`undeliverable`) or one still open: the dispatcher ' +
    'phoned the expert and records the answer until the reply deadline — accept, or decline ' +
    'with the reason the expert claims and their own words (`note`, 说明情况, ≤ 500 chars, ' +
    '第十五条). Recorded with `replyChannel: phone` and the dispatcher’s key as `repliedBy`. ' +
    'An undeliverable invitation’s place was backfilled at once; an acceptance takes a place ' +
    'still free, else the expert is `waitlisted`. 409 past the deadline or for any other state.',
  security: BEARER_SECURITY,
  middleware: [requireRole('dispatcher')] as const,
  request: {
    params: z.object({ id: z.string().regex(/^\d{1,15}$/) }),
    body: jsonBody(replySchema),
  },
  responses: {
    200: json(replyResultSchema, 'The invitation after the answer'),
    ...problems(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

/** Phone answers recorded by the task's own dispatcher. */
export const phoneReplyRoutes = createRouter();

phoneReplyRoutes.openapi(phoneReplyRoute, async (c) => {
  const seatId = Number(c.req.valid('param').id);
  const outcome = await recordPhoneAnswer(c, seatId, c.req.valid('json'));
  return c.json(
    {
      invitationId: String(seatId),
      state: outcome.state,
      changed: outcome.changed,
      message: replyStateLabel(outcome.state),
    },
    200,
  );
});
