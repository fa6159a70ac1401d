import { declineReasons, type Task } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { requireRole } from '../access/authenticate.js';
import { panelSeats, tasks } from '../db/schema.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { actorOf } from '../tasks/draw-task.js';
import { handOverCommitted } from './outbox-collector.js';
import { loadOwnInvitation } from './own-invitation.js';
import { DECLINE_NOTE_MAX, type Reply, recordReply } from './record-reply.js';
import { page, replyPage } from './reply-page.js';
import { replyStateLabel } from './reply-state-label.js';
import { verifyReplyToken } from './reply-token.js';
import { canWithdraw, LINK_ACTOR, withdrawFromLink } from './withdraw-link.js';

/** 说明情况 (第十五条): the expert's own words, kept with the claimed reason. */
export const declineNoteSchema = z.string().max(DECLINE_NOTE_MAX).optional();

/**
 * A reply as recorded: a blank note is no note.
 *
 * @example
 * replyOf({ answer: 'decline', reason: 'illness', note: '  ' }); // { answer: 'decline', reason: 'illness' }
 */
export function replyOf(parsed: z.infer<typeof replySchema>): Reply {
  if (parsed.answer === 'accept') return { answer: 'accept' };
  const note = parsed.note?.trim() ?? '';
  return note === ''
    ? { answer: 'decline', reason: parsed.reason }
    : { answer: 'decline', reason: parsed.reason, note };
}

export const replySchema = z
  .discriminatedUnion('answer', [
    z.strictObject({ answer: z.literal('accept') }),
    z.strictObject({
      answer: z.literal('decline'),
      /** The reason the expert claims; whether it is 正当 is the department's decision. */
      reason: declineReasons.schema,
      note: declineNoteSchema,
    }),
  ])
  .openapi('InvitationReply');

export const replyResultSchema = z
  .object({
    invitationId: z.string(),
    state: z.string(),
    changed: z.boolean(),
    /** What the state means, as the expert is told (e.g. put on the waiting list). */
    message: z.object({ zh: z.string(), en: z.string() }),
  })
  .openapi('InvitationReplyResult');

const dispatcherReplyRoute = createRoute({
  method: 'post',
  path: '/v1/invitations/{id}/reply',
  operationId: 'recordInvitationReply',
  tags: ['Dispatch 通知与答复'],
  summary: 'Record an expert’s answer for a caller system / 代为登记专家答复',
  description:
    'For caller systems that collect answers themselves; recorded with `replyChannel: api` and ' +
    'the key as `repliedBy` (an answer the dispatcher took by phone goes to `phone-reply`). A ' +
    'decline carries the reason the expert claims and, optionally, their words (`note`, ≤ 500). ' +
    'A second answer changes nothing and returns ' +
    'the current state (changed: false); past the reply deadline the invitation ends ' +
    '(`timed_out` after a delivered notification, else `undeliverable`). ' +
    'On an over-invited urgent panel an acceptance with no place left, or after the panel is ' +
    'full, is `waitlisted` (put on the waiting list / 已列入候补名单).',
  security: BEARER_SECURITY,
  middleware: [requireRole('dispatcher')] as const,
  request: {
    params: z.object({ id: z.string().regex(/^\d{1,15}$/) }),
    body: jsonBody(replySchema),
  },
  responses: {
    200: json(replyResultSchema, 'The invitation after the answer'),
    ...problems(401, 403, 404, 422),
  },
});

/** Replies: the signed link page (no key: the link is the credential) and the dispatcher API. */
export const replyRoutes = createRouter();

async function loadSeat(c: Context<AppEnv>, seatId: number) {
  const [row] = await c.var.db
    .select({
      seat: panelSeats,
      task: tasks.body,
      authorityId: tasks.authorityId,
      taskStatus: tasks.status,
      windowFrom: tasks.windowFrom,
    })
    .from(panelSeats)
    .innerJoin(tasks, eq(tasks.id, panelSeats.taskId))
    .where(eq(panelSeats.id, seatId));
  return row;
}

/** The page of a link past its time (410). */
function expiredPage(c: Context<AppEnv>) {
  return c.html(
    page('链接已过期', '<h1>链接已过期</h1><p>答复期限已过，本次邀请已失效。</p>'),
    410,
  );
}

/** Checks the token; answers 403 (tampered) or 410 (expired) pages itself. */
function checkToken(c: Context<AppEnv>) {
  const services = c.var.services;
  const check = verifyReplyToken(
    services.env.REPLY_LINK_SECRET,
    c.req.param('token') ?? '',
    services.now(),
  );
  if (check.ok) return check;
  return check.reason === 'expired'
    ? expiredPage(c)
    : c.html(page('链接无效', '<h1>链接无效</h1><p>该链接无效或已被修改。</p>'), 403);
}

/**
 * True when the link has served its purpose for this seat: a delivered link lives until the
 * work starts so that an expert who accepted can still say they cannot attend (第十五条), but
 * for every other seat it expires with the reply deadline, as the invitation does.
 */
function isPastReplyFor(seat: { state: string; replyDeadline: Date | null }, now: Date): boolean {
  return (
    seat.state !== 'accepted' &&
    seat.replyDeadline !== null &&
    now.getTime() >= seat.replyDeadline.getTime()
  );
}

replyRoutes.get('/r/:token', async (c) => {
  const check = checkToken(c);
  if (check instanceof Response) return check;
  const row = await loadSeat(c, check.seatId);
  if (row === undefined) return c.html(page('未找到', '<h1>未找到该邀请</h1>'), 404);
  if (isPastReplyFor(row.seat, c.var.services.now())) return expiredPage(c);
  return c.html(
    replyPage({
      task: row.task as Task,
      state: row.seat.state,
      replyDeadline: row.seat.replyDeadline,
      canWithdraw: canWithdraw(row, c.var.services.now()),
    }),
    200,
  );
});

replyRoutes.post('/r/:token', async (c) => {
  const check = checkToken(c);
  if (check instanceof Response) return check;
  const form = await c.req.parseBody();
  const row = await loadSeat(c, check.seatId);
  if (row === undefined) return c.html(page('未找到', '<h1>未找到该邀请</h1>'), 404);
  if (isPastReplyFor(row.seat, c.var.services.now())) return expiredPage(c);
  // An accepted expert who can no longer attend (第十五条) answers through the same link.
  if (form.answer === 'withdraw') {
    return withdrawFromLink(c, check.seatId, form.reason, form.note, row);
  }
  const parsed = replySchema.safeParse(
    form.answer === 'decline'
      ? {
          answer: 'decline',
          reason: form.reason,
          ...(typeof form.note === 'string' ? { note: form.note } : {}),
        }
      : { answer: form.answer },
  );
  if (!parsed.success) {
    return c.html(
      replyPage({
        task: row.task as Task,
        state: row.seat.state,
        replyDeadline: row.seat.replyDeadline,
        notice: '请选择接受或谢绝，谢绝时请选择原因；情况说明不超过 500 字。',
      }),
      422,
    );
  }
  const now = c.var.services.now();
  const outcome = await recordReply(
    c.var.db,
    check.seatId,
    replyOf(parsed.data),
    now,
    LINK_ACTOR,
    'link',
  );
  handOverCommitted(c.var.services.dispatch, outcome.outbox);
  return c.html(
    replyPage({
      task: row.task as Task,
      state: outcome.state,
      replyDeadline: row.seat.replyDeadline,
      canWithdraw: canWithdraw({ ...row, seat: { ...row.seat, state: outcome.state } }, now),
      ...(outcome.changed ? {} : { notice: '该邀请已有答复，以下为当前状态。' }),
    }),
    200,
  );
});

replyRoutes.openapi(dispatcherReplyRoute, async (c) => {
  const seatId = Number(c.req.valid('param').id);
  await loadOwnInvitation(c, seatId);
  const outcome = await recordReply(
    c.var.db,
    seatId,
    replyOf(c.req.valid('json')),
    c.var.services.now(),
    actorOf(c.var.principal),
    'api',
  );
  handOverCommitted(c.var.services.dispatch, outcome.outbox);
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
