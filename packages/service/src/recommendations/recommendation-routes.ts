import { idSchema } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, gt, or, type SQL, sql } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { authorities, experts, recommendations } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { candidateRecommendationSchema } from './candidate-input.js';
import { type Decision, decideRecommendation } from './decide-recommendation.js';
import { recommendCandidate } from './recommend-candidate.js';
import { recommendExpert } from './recommend-expert.js';
import {
  RECOMMENDATION_STATES,
  recommendationNotFound,
  recommendationViewSchema,
  toRecommendationView,
  visibleRecommendations,
} from './recommendation-view.js';

const TAGS = ['Recommendations 推荐'];
const READERS = ['admin', 'auditor', 'viewer', 'recommender'] as const;
const idParams = z.object({ id: z.string().min(1).max(64) });
const reasonSchema = z.string().trim().min(1).max(500).openapi({ description: 'Why / 理由' });

const createBodySchema = z
  .object({
    expertId: idSchema,
    reason: reasonSchema,
    toTier: z.enum(['province', 'city']).optional().openapi({
      description: 'The pool recommended to: the province (default), or a county’s own city',
    }),
  })
  .strict()
  .openapi('RecommendationInput');

const decisionBodySchema = z
  .object({ reason: reasonSchema })
  .strict()
  .openapi('RecommendationDecision');

/** The local record's name, or the organisation's candidate's (who has no record yet). */
const EXPERT_NAME = sql<string>`coalesce(${experts.name}, ${recommendations.candidate}->>'name', '')`;

const listSchema = z
  .object({ items: z.array(recommendationViewSchema), nextCursor: z.string().nullable() })
  .openapi('RecommendationList');

const createRecommendationRoute = createRoute({
  method: 'post',
  path: '/v1/recommendations',
  operationId: 'createRecommendation',
  tags: TAGS,
  summary: 'Recommend an expert to the pool above (第二十一条（一）, 第二十二条) / 推荐专家',
  description:
    'A city or county admin recommends an active expert of its own pool with a reason ' +
    '(`expertId`). An enterprise’s or SOE’s recommender key recommends a candidate of its own ' +
    'organisation to the province (`candidate`; the employer is the key’s organisation). A ' +
    'person disqualified within the bar is refused (第九条（六）, 第十六条（三）); one pending ' +
    'recommendation per person.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'recommender')] as const,
  request: { body: jsonBody(z.union([createBodySchema, candidateRecommendationSchema])) },
  responses: {
    201: json(recommendationViewSchema, 'The pending recommendation'),
    ...problems(401, 403, 404, 409, 422),
  },
});

const listRecommendationsRoute = createRoute({
  method: 'get',
  path: '/v1/recommendations',
  operationId: 'listRecommendations',
  tags: TAGS,
  summary: 'Recommendations you made or review / 推荐列表',
  security: BEARER_SECURITY,
  middleware: [requireRole(...READERS)] as const,
  request: {
    query: z.object({
      state: z.enum(RECOMMENDATION_STATES).optional(),
      expertId: idSchema.optional(),
      fromAuthorityId: z.string().min(1).max(64).optional(),
      toTier: z.enum(['province', 'city']).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(512).optional(),
    }),
  },
  responses: { 200: json(listSchema, 'A page, oldest first'), ...problems(401, 403, 422) },
});

const getRecommendationRoute = createRoute({
  method: 'get',
  path: '/v1/recommendations/{id}',
  operationId: 'getRecommendation',
  tags: TAGS,
  summary: 'One recommendation / 推荐详情',
  security: BEARER_SECURITY,
  middleware: [requireRole(...READERS)] as const,
  request: { params: idParams },
  responses: { 200: json(recommendationViewSchema, 'The recommendation'), ...problems(401, 404) },
});

const decisionRoute = (decision: Decision, summary: string, description: string) =>
  createRoute({
    method: 'post',
    path: `/v1/recommendations/{id}/${decision}`,
    operationId: `${decision}Recommendation`,
    tags: TAGS,
    summary,
    description,
    security: BEARER_SECURITY,
    middleware: [requireRole('admin')] as const,
    request: { params: idParams, body: jsonBody(decisionBodySchema) },
    responses: {
      200: json(recommendationViewSchema, 'The decided recommendation'),
      ...problems(401, 403, 404, 409, 422),
    },
  });

/** Recommendations upward (第二十一条（一）): make, list, read, decide. */
export const recommendationRoutes = createRouter();

recommendationRoutes.openapi(createRecommendationRoute, async (c) => {
  const input = c.req.valid('json');
  const { services, principal } = c.var;
  if ('candidate' in input) {
    const made = await recommendCandidate(
      c.var.db,
      principal,
      input,
      services.now(),
      services.ruleSet,
    );
    return c.json(toRecommendationView(made.row, made.expertName), 201);
  }
  if (principal.role !== 'admin') {
    throw new ProblemError('forbidden', {
      zh: '推荐单位只能推荐本单位的候选人（candidate）',
      en: "a recommender recommends its own organisation's candidates (candidate) only",
    });
  }
  const { row, expertName } = await recommendExpert(
    c.var.db,
    principal,
    input,
    services.now(),
    services.ruleSet,
  );
  return c.json(toRecommendationView(row, expertName), 201);
});

recommendationRoutes.openapi(listRecommendationsRoute, async (c) => {
  const principal = c.var.principal;
  const { limit, cursor, ...filters } = c.req.valid('query');
  const conditions: (SQL | undefined)[] = [visibleRecommendations(principal)];
  if (filters.state) conditions.push(eq(recommendations.state, filters.state));
  if (filters.expertId) conditions.push(eq(recommendations.expertId, filters.expertId));
  if (filters.fromAuthorityId) {
    conditions.push(eq(recommendations.fromAuthorityId, filters.fromAuthorityId));
  }
  if (filters.toTier) conditions.push(eq(recommendations.toTier, filters.toTier));
  if (cursor !== undefined) {
    const after = decodeRecommendationCursor(cursor);
    conditions.push(
      or(
        gt(recommendations.createdAt, after.at),
        and(eq(recommendations.createdAt, after.at), gt(recommendations.id, after.id)),
      ),
    );
  }
  const rows = await c.var.db
    .select({ recommendation: recommendations, expertName: EXPERT_NAME })
    .from(recommendations)
    .innerJoin(authorities, eq(authorities.id, recommendations.fromAuthorityId))
    .leftJoin(experts, eq(experts.id, recommendations.expertId))
    .where(and(...conditions))
    .orderBy(asc(recommendations.createdAt), asc(recommendations.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1)?.recommendation;
  return c.json(
    {
      items: page.map((r) => toRecommendationView(r.recommendation, r.expertName)),
      nextCursor:
        rows.length > limit && last !== undefined
          ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url')
          : null,
    },
    200,
  );
});

recommendationRoutes.openapi(getRecommendationRoute, async (c) => {
  const { id } = c.req.valid('param');
  const [found] = await c.var.db
    .select({ recommendation: recommendations, expertName: EXPERT_NAME })
    .from(recommendations)
    .innerJoin(authorities, eq(authorities.id, recommendations.fromAuthorityId))
    .leftJoin(experts, eq(experts.id, recommendations.expertId))
    .where(and(eq(recommendations.id, id), visibleRecommendations(c.var.principal)));
  if (found === undefined) throw recommendationNotFound(id);
  return c.json(toRecommendationView(found.recommendation, found.expertName), 200);
});

const DECISIONS: readonly [Decision, string, string][] = [
  [
    'approve',
    'Approve: the expert enters your pool’s admission path / 通过推荐',
    'The receiving authority approves with a reason. A new record (`admittedExpertId`) opens in ' +
      'its pool in state recommended; review (admission rules), public notice and appointment ' +
      'follow through the lifecycle actions (第十条). The local record is kept as it is.',
  ],
  ['reject', 'Reject with a reason / 驳回推荐', 'The receiving authority rejects with a reason.'],
  [
    'withdraw',
    'Withdraw your pending recommendation / 撤回推荐',
    'The recommending authority withdraws it with a reason.',
  ],
];

for (const [decision, summary, description] of DECISIONS) {
  recommendationRoutes.openapi(decisionRoute(decision, summary, description), async (c) => {
    const { id } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const { row, expertName } = await decideRecommendation(
      c.var.db,
      c.var.principal,
      id,
      decision,
      reason,
      c.var.services.now(),
    );
    return c.json(toRecommendationView(row, expertName), 200);
  });
}

function decodeRecommendationCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = at === undefined ? Number.NaN : Date.parse(at);
  if (id === undefined || id === '' || Number.isNaN(date)) {
    throw new ProblemError(
      'validation_failed',
      { zh: '分页游标无效', en: 'the pagination cursor is not valid' },
      { errors: [{ path: 'query.cursor', message: 'not a cursor returned by this service' }] },
    );
  }
  return { at: new Date(date), id };
}
