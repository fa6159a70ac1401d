import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ProblemError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { actorOf } from '../tasks/draw-task.js';
import { handOverCommitted } from './outbox-collector.js';
import { loadOwnInvitation } from './own-invitation.js';
import { recordReply } from './record-reply.js';
import { replyOf, type replySchema } from './reply-routes.js';

/** The seat states a phone answer may settle: open, or reached by no channel. */
const PHONE_ANSWERABLE: readonly string[] = ['invited', 'undeliverable'];

/**
 * Records an answer the expert gave on the phone (第十五条), for `POST
 * /v1/invitations/{id}/phone-reply` and the desk's board alike: the dispatcher's own invitation
 * only (404 otherwise), before the reply deadline and in an open or undeliverable state (409
 * otherwise), with `replyChannel: phone` and the dispatcher's key as the answerer; the dispatch
 * loop is nudged for the notices that follow.
 *
 * @example
 * const { state } = await recordPhoneAnswer(c, 42, { answer: 'accept' }); // 'accepted'
 */
export async function recordPhoneAnswer(
  c: Context<AppEnv>,
  seatId: number,
  reply: z.infer<typeof replySchema>,
): Promise<{ readonly state: string; readonly changed: boolean; readonly taskId: string }> {
  const row = await loadOwnInvitation(c, seatId);
  const now = c.var.services.now();
  const refusal = refusalOf(row.state, row.replyDeadline, now);
  if (refusal !== null) throw refusal;
  const outcome = await recordReply(
    c.var.db,
    seatId,
    replyOf(reply),
    now,
    actorOf(c.var.principal),
    'phone',
  );
  handOverCommitted(c.var.services.dispatch, outcome.outbox);
  // Another answer or the deadline got there first: nothing was recorded.
  if (!outcome.changed) {
    throw refusalOf(outcome.state, row.replyDeadline, now) ?? notOpen(outcome.state);
  }
  return { state: outcome.state, changed: outcome.changed, taskId: row.taskId };
}

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
