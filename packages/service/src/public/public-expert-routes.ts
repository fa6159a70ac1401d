import { toShanghaiDate } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { readFromReplica } from '../db/read-replica.js';
import { experts } from '../db/schema.js';
import { EXPERT_ORDER, expertFiltersSchema, filterConditions } from '../experts/expert-filters.js';
import { rowToExpert } from '../experts/expert-row.js';
import { createRouter } from '../http/create-router.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { json, problems } from '../http/openapi-helpers.js';
import { publicExpertSchema, toPublicExpert } from './public-expert-view.js';

const listPublicExpertsRoute = createRoute({
  method: 'get',
  path: '/v1/public/experts',
  operationId: 'listPublicExperts',
  tags: ['Public 公众查询'],
  summary: 'Look up active provincial experts, no key needed (第十九条) / 专家信息公开查询',
  description:
    'Active experts of the provincial pool whose sealed certificate’s term covers today ' +
    '(第十一条), with Chinese labels beside the codes; no personal data (phone, ID number, birth date) ' +
    'and no panel or task information. Rate-limited per client address.',
  request: {
    query: expertFiltersSchema.omit({ status: true }).extend({
      limit: z.coerce.number().int().min(1).max(100).default(20),
      cursor: z.string().max(512).optional(),
    }),
  },
  responses: {
    200: json(
      z.object({ items: z.array(publicExpertSchema), nextCursor: z.string().nullable() }),
      'A page of experts',
    ),
    ...problems(422, 429),
  },
});

/** The public query of 第十九条. */
export const publicExpertRoutes = createRouter();

// Read-only: on the replica once it has replayed every write made before the request (#17).
publicExpertRoutes.use('/v1/public/experts', readFromReplica);

publicExpertRoutes.openapi(listPublicExpertsRoute, async (c) => {
  const { limit, cursor, ...filters } = c.req.valid('query');
  const today = toShanghaiDate(c.var.services.now());
  const rows = await c.var.db
    .select()
    .from(experts)
    .where(
      and(
        eq(experts.tier, 'province'),
        eq(experts.status, 'active'),
        // 第十一条: the certificate is valid once sealed, and only within its term.
        sql`(${experts.appointment}->>'sealed')::boolean`,
        sql`${experts.appointment}->>'from' <= ${today}`,
        sql`${experts.appointment}->>'to' >= ${today}`,
        ...filterConditions(filters, cursor === undefined ? undefined : decodeCursor(cursor)),
      ),
    )
    .orderBy(EXPERT_ORDER)
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return c.json(
    {
      items: page.map((row) => toPublicExpert(rowToExpert(row))),
      nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
    },
    200,
  );
});
