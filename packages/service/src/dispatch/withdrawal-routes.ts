import { declineReasons } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../access/authenticate.js';
import { ProblemError } from '../errors.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { actorOf } from '../tasks/draw-task.js';
import { loadOwnInvitation } from './own-invitation.js';
import { declineNoteSchema } from './reply-routes.js';
import { replyStateLabel } from './reply-state-label.js';
import { withdrawAcceptance } from './withdraw-acceptance.js';
import { refusalMessage } from './withdraw-link.js';

const withdrawalSchema = z
  .strictObject({
    /** Why the expert can no longer attend: the decline reasons (需回避 records the conflict). */
    reason: declineReasons.schema,
    /** 说明情况 (第十五条): the expert's own words, ≤ 500 chars. */
    note: declineNoteSchema,
  })
  .openapi('InvitationWithdrawal');

const withdrawalResultSchema = z
  .object({
    invitationId: z.string(),
    state: z.literal('withdrawn'),
    message: z.object({ zh: z.string(), en: z.string() }),
    /** The task after the place was given on: `confirmed` again, `inviting` or `understaffed`. */
    taskStatus: z.string(),
    /** The waitlisted expert who took the place, or null when it was backfilled. */
    promotedExpertId: z.string().nullable(),
  })
  .openapi('InvitationWithdrawalResult');

const withdrawalRoute = createRoute({
  method: 'post',
  path: '/v1/invitations/{id}/withdrawal',
  operationId: 'withdrawInvitation',
  tags: ['Dispatch 通知与答复'],
  summary: 'Record that an accepted expert can no longer attend / 登记已接受专家不能参加',
  description:
    'For an expert who accepted and phones in that they can no longer serve (第十五条: illness, ' +
    'a schedule conflict, a conflict of interest found later — 第八条（四）, 第十六条（一）). ' +
    'The invitation becomes `withdrawn` with the claimed reason and note (recorded as a phone ' +
    'answer by this key); a conflict of interest is recorded ' +
    'with the enterprise. The place goes to the earliest waitlisted acceptance that still ' +
    'qualifies, else it is backfilled as a decline is. Refused (409) once the task’s window has ' +
    'started, for a cancelled or completed task, and for an invitation that is not accepted.',
  security: BEARER_SECURITY,
  middleware: [requireRole('dispatcher')] as const,
  request: {
    params: z.object({ id: z.string().regex(/^\d{1,15}$/) }),
    body: jsonBody(withdrawalSchema),
  },
  responses: {
    200: json(withdrawalResultSchema, 'The invitation after the withdrawal'),
    ...problems(401, 403, 404, 409, 422),
  },
});

/** An accepted expert who can no longer attend, recorded by the task's own dispatcher. */
export const withdrawalRoutes = createRouter();

withdrawalRoutes.openapi(withdrawalRoute, async (c) => {
  const seatId = Number(c.req.valid('param').id);
  await loadOwnInvitation(c, seatId);
  const { reason, note } = c.req.valid('json');
  const trimmed = note?.trim() ?? '';
  const outcome = await withdrawAcceptance(
    c.var.db,
    seatId,
    trimmed === '' ? { reason } : { reason, note: trimmed },
    c.var.services.now(),
    actorOf(c.var.principal),
    'phone',
  );
  c.var.services.dispatch?.nudge();
  if (!outcome.ok) {
    throw new ProblemError(
      outcome.refusal === 'not_found' ? 'not_found' : 'illegal_transition',
      refusalMessage(outcome),
      {
        extensions: {
          reason: outcome.refusal,
          from: outcome.refusal === 'not_accepted' ? outcome.seatState : outcome.taskStatus,
          to: 'withdrawn',
          ...(outcome.refusal === 'window_started' && outcome.windowFrom !== null
            ? { windowFrom: outcome.windowFrom.toISOString() }
            : {}),
        },
      },
    );
  }
  return c.json(
    {
      invitationId: String(seatId),
      state: 'withdrawn' as const,
      message: replyStateLabel('withdrawn'),
      taskStatus: outcome.taskStatus,
      promotedExpertId: outcome.promoted,
    },
    200,
  );
});
