import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { appendAudit } from '../audit/append-audit.js';
import { experts, noticeObjections } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { actorOf } from '../experts/expert-routes.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';

const STATUSES = ['open', 'upheld', 'dismissed'] as const;
type ObjectionStatus = (typeof STATUSES)[number];

const STATUS_LABELS: Readonly<Record<ObjectionStatus, { zh: string; en: string }>> = {
  open: { zh: '待处理', en: 'Open' },
  upheld: { zh: '异议成立', en: 'Upheld' },
  dismissed: { zh: '异议不成立', en: 'Dismissed' },
};

/** An objection as the admins of the expert's pool see it, the objector's contact included. */
const objectionSchema = z
  .object({
    id: z.string(),
    expertId: z.string(),
    expertName: z.string(),
    notice: z.object({ start: z.string(), end: z.string() }),
    name: z.string(),
    contact: z.string(),
    reason: z.string(),
    status: z.enum(STATUSES),
    statusLabel: z.object({ zh: z.string(), en: z.string() }),
    outcomeReason: z.string().nullable(),
    lodgedAt: z.string(),
    settledAt: z.string().nullable(),
  })
  .openapi('NoticeObjection');

const objectionIdParams = z.object({ id: z.string().min(1).max(64) });

const listObjectionsRoute = createRoute({
  method: 'get',
  path: '/v1/objections',
  operationId: 'listNoticeObjections',
  tags: ['Lifecycle 专家状态'],
  summary: 'Objections to public notices of your pool (第十条（四）) / 公示异议',
  description:
    'The objections lodged against the public notices of experts of your own pool, oldest ' +
    'first, with the objector’s contact for the reply. Filter by status or expert.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: {
    query: z.object({
      status: z.enum(STATUSES).optional(),
      expertId: z.string().min(1).max(64).optional(),
    }),
  },
  responses: {
    200: json(z.object({ items: z.array(objectionSchema) }), 'The objections'),
    ...problems(401, 403, 422),
  },
});

const settleBodySchema = z
  .object({
    outcome: z.enum(['upheld', 'dismissed']).openapi({
      description: 'upheld: founded, the notice cannot lead to a term; dismissed: unfounded',
    }),
    reason: z.string().trim().min(1).max(2000).openapi({ description: '核实情况及处理意见' }),
  })
  .strict()
  .openapi('ObjectionSettlement');

const settleObjectionRoute = createRoute({
  method: 'post',
  path: '/v1/objections/{id}/settle',
  operationId: 'settleNoticeObjection',
  tags: ['Lifecycle 专家状态'],
  summary: 'Settle an objection with a written outcome (第十条（四）（五）) / 处理公示异议',
  description:
    'Once settled an objection stays settled (409). An upheld objection keeps the notice from ' +
    'leading to the appointment or renewal; when every objection is dismissed, `appoint` or ' +
    '`renew` may follow the notice. Audited.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: objectionIdParams, body: jsonBody(settleBodySchema) },
  responses: {
    200: json(objectionSchema, 'The settled objection'),
    ...problems(401, 403, 404, 409, 422),
  },
});

type ObjectionRow = typeof noticeObjections.$inferSelect;

function toView(row: ObjectionRow, expertName: string): z.infer<typeof objectionSchema> {
  return {
    id: row.id,
    expertId: row.expertId,
    expertName,
    notice: { start: row.noticeStart, end: row.noticeEnd },
    name: row.name,
    contact: row.contact,
    reason: row.reason,
    status: row.status,
    statusLabel: { ...STATUS_LABELS[row.status] },
    outcomeReason: row.outcomeReason,
    lodgedAt: row.createdAt.toISOString(),
    settledAt: row.settledAt ? row.settledAt.toISOString() : null,
  };
}

/** The admins' side of 公示 objections: list and settle. */
export const objectionRoutes = createRouter();

objectionRoutes.openapi(listObjectionsRoute, async (c) => {
  const { status, expertId } = c.req.valid('query');
  const conditions: SQL[] = [eq(experts.ownerAuthorityId, c.var.principal.authorityId)];
  if (status !== undefined) conditions.push(eq(noticeObjections.status, status));
  if (expertId !== undefined) conditions.push(eq(noticeObjections.expertId, expertId));
  const rows = await c.var.db
    .select({ objection: noticeObjections, expertName: experts.name })
    .from(noticeObjections)
    .innerJoin(experts, eq(experts.id, noticeObjections.expertId))
    .where(and(...conditions))
    .orderBy(asc(noticeObjections.createdAt), asc(noticeObjections.id))
    .limit(500);
  return c.json({ items: rows.map((r) => toView(r.objection, r.expertName)) }, 200);
});

objectionRoutes.openapi(settleObjectionRoute, async (c) => {
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const principal = c.var.principal;
  const now = c.var.services.now();
  const view = await c.var.db.transaction(async (tx) => {
    const [found] = await tx
      .select({
        objection: noticeObjections,
        expertName: experts.name,
        owner: experts.ownerAuthorityId,
      })
      .from(noticeObjections)
      .innerJoin(experts, eq(experts.id, noticeObjections.expertId))
      .where(eq(noticeObjections.id, id))
      .for('update', { of: noticeObjections });
    // Another pool's objection is as unknown as a missing one.
    if (!found || found.owner !== principal.authorityId) {
      throw new ProblemError('not_found', { zh: `异议 ${id} 不存在`, en: `no objection ${id}` });
    }
    if (found.objection.status !== 'open') {
      throw new ProblemError(
        'illegal_transition',
        {
          zh: `异议已处理（${STATUS_LABELS[found.objection.status].zh}）`,
          en: `the objection is already ${found.objection.status}`,
        },
        { extensions: { status: found.objection.status } },
      );
    }
    const [settled] = await tx
      .update(noticeObjections)
      .set({
        status: input.outcome,
        outcomeReason: input.reason,
        settledByKeyId: principal.keyId,
        settledAt: now,
      })
      .where(eq(noticeObjections.id, id))
      .returning();
    if (!settled) throw new Error(`objection ${id} vanished inside its transaction`);
    await appendAudit(
      tx,
      {
        actor: actorOf(principal),
        action: `objection.${input.outcome}`,
        entityType: 'notice_objection',
        entityId: id,
        reason: input.reason,
        before: { status: 'open', expertId: settled.expertId },
        after: {
          status: input.outcome,
          expertId: settled.expertId,
          notice: { start: settled.noticeStart, end: settled.noticeEnd },
        },
      },
      now,
    );
    return toView(settled, found.expertName);
  });
  return c.json(view, 200);
});
