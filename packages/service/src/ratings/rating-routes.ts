import { idSchema, type Task } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { requireRole } from '../access/authenticate.js';
import { tasks } from '../db/schema.js';
import { page } from '../dispatch/reply-page.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { findUnstorableString } from '../http/field-errors.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { actorOf } from '../tasks/draw-task.js';
import {
  isPanelSeat,
  loadServiceRecord,
  loadServingSeats,
  type ServingSeat,
  serviceRecordSchema,
} from '../tasks/service-record.js';
import { taskNotFound } from '../tasks/task-view.js';
import { ratingPage } from './rating-page.js';
import { verifyRatingToken } from './rating-token.js';
import {
  lockTaskForRating,
  ratingCommentSchema,
  ratingsRequestSchema,
  recordRatings,
} from './record-ratings.js';

const LINK_ACTOR = { keyId: 'rating-link', authorityId: null } as const;

const rateTaskRoute = createRoute({
  method: 'post',
  path: '/v1/tasks/{id}/ratings',
  operationId: 'rateTaskExperts',
  tags: ['Records 服务记录'],
  summary: 'Record the served unit’s ratings of attended members (第二十条) / 登记服务评价',
  description:
    'For a completed task of your authority: 1–5 and an optional comment per leader or member ' +
    'who attended. One rating per member per task: rating a member again is a 409 and nothing ' +
    'is written. The served unit can also rate through the signed link sent on completion.',
  security: BEARER_SECURITY,
  middleware: [requireRole('dispatcher')] as const,
  request: { params: z.object({ id: idSchema }), body: jsonBody(ratingsRequestSchema) },
  responses: {
    201: json(serviceRecordSchema, 'The task’s service record with the ratings'),
    ...problems(400, 401, 403, 404, 409, 415, 422),
  },
});

/** Ratings (服务评价, 第二十条): the dispatcher API and the served unit's signed link page. */
export const ratingRoutes = createRouter();

ratingRoutes.openapi(rateTaskRoute, async (c) => {
  const principal = c.var.principal;
  const taskId = c.req.valid('param').id;
  const entries = c.req.valid('json').ratings;
  const now = c.var.services.now();
  const record = await c.var.db.transaction(async (tx) => {
    const task = await lockTaskForRating(tx, taskId);
    if (task === undefined || task.authorityId !== principal.authorityId) {
      throw taskNotFound(taskId);
    }
    const serving = await loadServingSeats(tx, task);
    await recordRatings(tx, {
      task,
      serving,
      entries,
      source: 'api',
      actor: actorOf(principal),
      ratedByKeyId: principal.keyId,
      now,
    });
    return loadServiceRecord(tx, task);
  });
  return c.json(record, 201);
});

/** Checks the token; answers 403 (tampered) or 410 (expired) pages itself. */
function checkToken(c: Context<AppEnv>) {
  const services = c.var.services;
  const check = verifyRatingToken(
    services.env.REPLY_LINK_SECRET,
    c.req.param('token') ?? '',
    services.now(),
  );
  if (check.ok) return check;
  return check.reason === 'expired'
    ? c.html(page('链接已过期', '<h1>链接已过期</h1><p>评价期限已过，本链接已失效。</p>'), 410)
    : c.html(page('链接无效', '<h1>链接无效</h1><p>该链接无效或已被修改。</p>'), 403);
}

const notFoundPage = (c: Context<AppEnv>) =>
  c.html(page('未找到', '<h1>未找到该任务</h1><p>该任务不存在或尚未办结。</p>'), 404);

/** The members the served unit may rate: leaders and members who attended. */
function ratableMembers(serving: readonly ServingSeat[]) {
  return serving
    .filter(({ seat }) => isPanelSeat(seat) && seat.attendance === 'attended')
    .map(({ seat, name, rating }) => ({
      seatId: seat.id,
      name,
      role: seat.role,
      rating: rating === null ? null : { score: rating.score, comment: rating.comment },
    }));
}

ratingRoutes.get('/rate/:token', async (c) => {
  const check = checkToken(c);
  if (check instanceof Response) return check;
  const [task] = await c.var.db.select().from(tasks).where(eq(tasks.id, check.taskId));
  if (task === undefined || task.status !== 'completed') return notFoundPage(c);
  const serving = await loadServingSeats(c.var.db, task);
  return c.html(ratingPage({ task: task.body as Task, members: ratableMembers(serving) }), 200);
});

ratingRoutes.post('/rate/:token', async (c) => {
  const check = checkToken(c);
  if (check instanceof Response) return check;
  const form = await c.req.parseBody();
  const now = c.var.services.now();
  const outcome = await c.var.db.transaction(async (tx) => {
    const task = await lockTaskForRating(tx, check.taskId);
    if (task === undefined || task.status !== 'completed') return null;
    const serving = await loadServingSeats(tx, task);
    const read = readForm(form, serving);
    if (read.kind === 'invalid' || (read.fresh.length === 0 && !read.repeated)) {
      return {
        task,
        status: 422 as const,
        notice: read.kind === 'invalid' ? read.notice : '请至少为一位专家选择评分。',
      };
    }
    if (read.fresh.length > 0) {
      await recordRatings(tx, {
        task,
        serving,
        entries: read.fresh,
        source: 'link',
        actor: LINK_ACTOR,
        ratedByKeyId: null,
        now,
      });
    }
    const notice =
      read.fresh.length === 0
        ? '评价已记录，不能重复评价。以下为已记录的评价。'
        : read.repeated
          ? '感谢您的评价，已记录。此前已评价的专家未重复记录。'
          : '感谢您的评价，已记录。';
    return { task, status: 200 as const, notice };
  });
  if (outcome === null) return notFoundPage(c);
  const serving = await loadServingSeats(c.var.db, outcome.task);
  return c.html(
    ratingPage({
      task: outcome.task.body as Task,
      members: ratableMembers(serving),
      notice: outcome.notice,
    }),
    outcome.status,
  );
});

type FormRead =
  | { readonly kind: 'invalid'; readonly notice: string }
  | {
      readonly kind: 'ok';
      readonly fresh: { expertId: string; score: number; comment: string }[];
      /** A score was given for a member who is already rated: shown, not recorded again. */
      readonly repeated: boolean;
    };

/**
 * The scores and comments of the form (`score-<seat>`, `comment-<seat>`), for the attended
 * members: new ratings for those still unrated; whether any was for one already rated.
 */
function readForm(
  form: Readonly<Record<string, unknown>>,
  serving: readonly ServingSeat[],
): FormRead {
  const fresh: { expertId: string; score: number; comment: string }[] = [];
  let repeated = false;
  for (const { seat, rating } of serving) {
    if (!isPanelSeat(seat) || seat.attendance !== 'attended') continue;
    const score = form[`score-${seat.id}`];
    if (score === undefined || score === '') continue;
    if (rating !== null) {
      repeated = true;
      continue;
    }
    if (typeof score !== 'string' || !/^[1-5]$/.test(score)) {
      return { kind: 'invalid', notice: '评分须为 1 至 5 分。' };
    }
    const rawComment = form[`comment-${seat.id}`] ?? '';
    const comment = ratingCommentSchema.safeParse(rawComment);
    if (!comment.success || findUnstorableString(comment.data) !== null) {
      return { kind: 'invalid', notice: '意见不能超过 500 字，且不能包含无法保存的字符。' };
    }
    fresh.push({ expertId: seat.expertId, score: Number(score), comment: comment.data });
  }
  return { kind: 'ok', fresh, repeated };
}
