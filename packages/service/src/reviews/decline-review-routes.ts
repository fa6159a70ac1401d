import { reviewDecisions } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { appendAudit } from '../audit/append-audit.js';
import { declineReviews, panelSeats, tasks } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { createRouter } from '../http/create-router.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import { actorOf } from '../tasks/draw-task.js';
import {
  DECLINE_STATES,
  declineItemSchema,
  isAwaitingDecision,
  loadDeclineItems,
} from './decline-evidence.js';

const tags = ['Reviews 正当理由认定'];
const REVIEWERS = ['admin', 'dispatcher'] as const;

const listRoute = createRoute({
  method: 'get',
  path: '/v1/reviews/declines',
  operationId: 'listDeclineReviews',
  tags,
  summary: 'Declines awaiting or given the department’s decision / 拒绝理由认定队列',
  description:
    'Whether a claimed reason is 正当 is the department’s decision (第二十三条（一）). The declines ' +
    'of the authority’s own tasks whose reason the rule set does not take on the expert’s word ' +
    '(`pending`, 待认定), or already decided (`decided`), oldest first, each with its evidence: ' +
    'the invitation, the deliveries with their receipts, the reply (claimed reason and the ' +
    'expert’s own words), who recorded it and through which channel.',
  security: BEARER_SECURITY,
  middleware: [requireRole(...REVIEWERS)] as const,
  request: {
    query: z.object({
      state: z.enum(['pending', 'decided']).default('pending'),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().max(512).optional(),
    }),
  },
  responses: {
    200: json(
      z.object({ items: z.array(declineItemSchema), nextCursor: z.string().nullable() }),
      'A page of declines with their evidence',
    ),
    ...problems(401, 403, 422),
  },
});

const decideBodySchema = z
  .object({
    decision: reviewDecisions.schema,
    /** The department's reasons, kept as evidence. */
    note: z.string().trim().min(1).max(500),
  })
  .strict()
  .openapi('DeclineReviewDecision');

const decideRoute = createRoute({
  method: 'post',
  path: '/v1/reviews/declines/{invitationId}',
  operationId: 'decideDeclineReview',
  tags,
  summary: 'Decide whether a decline’s reason is justified / 认定拒绝理由是否正当',
  description:
    '`justified` (正当理由) or `unjustified` (无正当理由), with the department’s note. Only an ' +
    'unjustified decision counts toward 第二十三条（一）. Audited. 409 when the decline does not ' +
    'await a decision (already decided, justified on the word, or claimed 无正当理由).',
  security: BEARER_SECURITY,
  middleware: [requireRole(...REVIEWERS)] as const,
  request: {
    params: z.object({ invitationId: z.string().regex(/^\d{1,15}$/) }),
    body: jsonBody(decideBodySchema),
  },
  responses: {
    200: json(declineItemSchema, 'The decline with its decision and evidence'),
    ...problems(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

/** The review queue of claimed decline reasons (正当理由认定, 第二十三条（一）). */
export const declineReviewRoutes = createRouter();

declineReviewRoutes.openapi(listRoute, async (c) => {
  const { state, limit, cursor } = c.req.valid('query');
  const principal = c.var.principal;
  const ruleSet = await resolveRuleSet(c.var.db, principal.authorityId, c.var.services.ruleSet);
  const after = cursor === undefined ? undefined : seatIdOf(decodeCursor(cursor));
  const items = await loadDeclineItems(c.var.db, principal.authorityId, ruleSet, {
    filter: state,
    limit: limit + 1,
    ...(after === undefined ? {} : { after }),
  });
  const page = items.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    items.length > limit && last !== undefined ? encodeCursor(last.invitationId) : null;
  return c.json({ items: page, nextCursor }, 200);
});

declineReviewRoutes.openapi(decideRoute, async (c) => {
  const seatId = Number(c.req.valid('param').invitationId);
  const { decision, note } = c.req.valid('json');
  const principal = c.var.principal;
  const now = c.var.services.now();
  const item = await c.var.db.transaction(async (tx) => {
    const ruleSet = await resolveRuleSet(tx, principal.authorityId, c.var.services.ruleSet);
    // The seat row lock orders this decision with a concurrent one on the same invitation.
    const [row] = await tx
      .select({ state: panelSeats.state, reason: panelSeats.declineReason })
      .from(panelSeats)
      .innerJoin(tasks, eq(tasks.id, panelSeats.taskId))
      .where(and(eq(panelSeats.id, seatId), eq(tasks.authorityId, principal.authorityId)))
      .for('update', { of: panelSeats });
    if (row === undefined) throw notFound(seatId);
    const [decided] = await tx
      .select({ decision: declineReviews.decision })
      .from(declineReviews)
      .where(eq(declineReviews.seatId, seatId));
    if (decided !== undefined) {
      throw new ProblemError(
        'already_exists',
        {
          zh: `邀请 ${seatId} 的拒绝理由已认定为“${label(decided.decision).zh}”`,
          en: `the decline of invitation ${seatId} was already decided ${decided.decision}`,
        },
        { extensions: { reason: 'already_decided', decision: decided.decision } },
      );
    }
    const isDecline = (DECLINE_STATES as readonly string[]).includes(row.state);
    if (!isDecline || !isAwaitingDecision(ruleSet, row.reason, null)) {
      throw new ProblemError(
        'illegal_transition',
        {
          zh: `邀请 ${seatId} 不是待认定的拒绝（状态 ${row.state}，理由 ${row.reason ?? '无'}）`,
          en: `invitation ${seatId} is not a decline awaiting a decision (state ${row.state}, reason ${row.reason ?? 'none'})`,
        },
        { extensions: { reason: 'not_awaiting_decision', from: row.state } },
      );
    }
    await tx
      .insert(declineReviews)
      .values({ seatId, decision, note, decidedBy: principal.keyId, decidedAt: now });
    // A draw reads answers by `updated_at`: the decision is part of this answer now.
    await tx
      .update(panelSeats)
      .set({ updatedAt: sql`greatest(${panelSeats.updatedAt}, ${now.toISOString()}::timestamptz)` })
      .where(eq(panelSeats.id, seatId));
    const [after] = await loadDeclineItems(tx, principal.authorityId, ruleSet, { seatId });
    if (after === undefined) throw notFound(seatId);
    await appendAudit(
      tx,
      {
        actor: actorOf(principal),
        action: 'decline.reviewed',
        entityType: 'invitation',
        entityId: String(seatId),
        reason: note,
        before: { standing: 'pending', reason: row.reason },
        after: { standing: after.standing, decision, note, reason: row.reason },
      },
      now,
    );
    return after;
  });
  return c.json(item, 200);
});

function label(decision: string) {
  return reviewDecisions.is(decision)
    ? reviewDecisions.labels[decision]
    : { zh: decision, en: decision };
}

function notFound(seatId: number): ProblemError {
  return new ProblemError('not_found', {
    zh: `邀请 ${seatId} 不存在`,
    en: `no invitation ${seatId}`,
  });
}

/** The seat id in a cursor this route made; anything else is a 422 on `query.cursor`. */
function seatIdOf(key: string): number {
  const id = Number(key);
  if (/^\d{1,15}$/.test(key) && Number.isSafeInteger(id)) return id;
  throw new ProblemError(
    'validation_failed',
    { zh: '分页游标无效', en: 'the pagination cursor is not valid' },
    { errors: [{ path: 'query.cursor', message: 'not a cursor returned by this service' }] },
  );
}
