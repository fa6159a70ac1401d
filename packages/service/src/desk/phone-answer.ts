import type { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { panelSeats } from '../db/schema.js';
import { loadOwnInvitation } from '../dispatch/own-invitation.js';
import { recordReply } from '../dispatch/record-reply.js';
import { replyOf, type replySchema } from '../dispatch/reply-routes.js';
import { ProblemError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { actorOf } from '../tasks/draw-task.js';

/** The states a phone answer may settle, as `POST /v1/invitations/{id}/phone-reply` has them. */
const PHONE_ANSWERABLE: readonly string[] = ['invited', 'undeliverable'];

/**
 * Records an answer the expert gave on the phone, as the phone-reply route does: the
 * dispatcher's own invitation only (404 otherwise), before the reply deadline (409 after), in
 * an open or undeliverable state (409 otherwise), with `replyChannel: phone` and the
 * dispatcher's key as the answerer; the dispatch loop is nudged for the notices that follow.
 * Answers the seat's task id.
 *
 * @example
 * const taskId = await recordPhoneAnswer(c, 42, { answer: 'accept' });
 */
export async function recordPhoneAnswer(
  c: Context<AppEnv>,
  seatId: number,
  reply: z.infer<typeof replySchema>,
): Promise<string> {
  const row = await loadOwnInvitation(c, seatId);
  const now = c.var.services.now();
  const refused = refusalOf(row.state, row.replyDeadline, now);
  if (refused !== null) throw refused;
  const outcome = await recordReply(
    c.var.db,
    seatId,
    replyOf(reply),
    now,
    actorOf(c.var.principal),
    'phone',
  );
  c.var.services.dispatch?.nudge();
  if (!outcome.changed)
    throw refusalOf(outcome.state, row.replyDeadline, now) ?? notOpen(outcome.state);
  if (outcome.taskId !== null) return outcome.taskId;
  const [seat] = await c.var.db
    .select({ taskId: panelSeats.taskId })
    .from(panelSeats)
    .where(eq(panelSeats.id, seatId));
  return seat?.taskId ?? '';
}

function refusalOf(state: string, deadline: Date | null, now: Date): ProblemError | null {
  if (deadline !== null && now.getTime() >= deadline.getTime()) {
    return new ProblemError(
      'illegal_transition',
      {
        zh: '答复期限已过，不能再登记电话答复',
        en: 'the reply deadline has passed: a phone answer can no longer be recorded',
      },
      { extensions: { reason: 'deadline_passed', from: state } },
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
