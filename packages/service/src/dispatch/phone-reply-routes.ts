import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../access/authenticate.js';
import { ProblemError } from '../errors.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { actorOf } from '../tasks/draw-task.js';
import { loadOwnInvitation } from './own-invitation.js';
import { recordReply } from './record-reply.js';
import { replyOf, replyResultSchema, replySchema } from './reply-routes.js';
import { replyStateLabel } from './reply-state-label.js';

/** The seat states a phone answer may settle: open, or reached by no channel. */
const PHONE_ANSWERABLE: readonly string[] = ['invited', 'undeliverable'];

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
  const row = await loadOwnInvitation(c, seatId);
  const now = c.var.services.now();
  const refusal = refusalOf(row.state, row.replyDeadline, now);
  if (refusal !== null) throw refusal;
  const outcome = await recordReply(
    c.var.db,
    seatId,
    replyOf(c.req.valid('json')),
    now,
    actorOf(c.var.principal),
    'phone',
  );
  c.var.services.dispatch?.nudge();
  // Another answer or the deadline got there first: nothing was recorded.
  if (!outcome.changed) {
    throw refusalOf(outcome.state, row.replyDeadline, now) ?? notOpen(outcome.state);
  }
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

/** Why a phone answer cannot be recorded now, or null when it can. */
function refusalOf(state: string, deadline: Date | null, now: Date): ProblemError | null {
  if (deadline !== null && now.getTime() >= deadline.getTime()) {
    return new ProblemError(
      'illegal_transition',
      {
        zh: '答复期限已过，不能再登记电话答复',
        en: 'the reply deadline has passed: a phone answer can no longer be recorded',
      },
      {
        extensions: {
          reason: 'deadline_passed',
          from: state,
          replyDeadline: deadline.toISOString(),
        },
      },
    );
  }
  return PHONE_ANSWERABLE.includes(state) ? null : notOpen(state);
}

function notOpen(state: string): ProblemError {
  return new ProblemError(
    'illegal_transition',
    {
      zh: `该邀请当前状态为 ${state}，不能登记电话答复`,
      en: `the invitation is ${state}: no phone answer can be recorded`,
    },
    { extensions: { reason: 'not_open', from: state } },
  );
}
