import { type Conflict, conflictSchema, type Expert, idSchema } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import type { Transaction } from '../db/open-database.js';
import { organizations } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { organizationNotFound } from '../organizations/organization-routes.js';
import { actorOf, parseExpert } from './expert-routes.js';
import { saveExpert } from './expert-row.js';
import { assertOwnsExpert, loadVisibleExpert } from './pool-scope.js';

const ALL_ROLES = ['admin', 'dispatcher', 'auditor', 'viewer'] as const;
const tags = ['Recusal 回避'];
const conflictListSchema = z.object({ items: z.array(conflictSchema) }).openapi('ConflictList');

const listConflictsRoute = createRoute({
  method: 'get',
  path: '/v1/experts/{id}/conflicts',
  operationId: 'listExpertConflicts',
  tags,
  summary: 'Declared conflicts of an expert (第八条（四）) / 利害关系',
  security: BEARER_SECURITY,
  middleware: [requireRole(...ALL_ROLES)] as const,
  request: { params: z.object({ id: idSchema }) },
  responses: { 200: json(conflictListSchema, 'Conflicts'), ...problems(401, 404) },
});

const declareConflictRoute = createRoute({
  method: 'post',
  path: '/v1/experts/{id}/conflicts',
  operationId: 'addExpertConflict',
  tags,
  summary: 'Declare (or re-word) a conflict with a registered organisation / 申报利害关系',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: z.object({ id: idSchema }), body: jsonBody(conflictSchema.strict()) },
  responses: { 200: json(conflictListSchema, 'Conflicts after'), ...problems(401, 403, 404, 422) },
});

const withdrawConflictRoute = createRoute({
  method: 'delete',
  path: '/v1/experts/{id}/conflicts/{organizationId}',
  operationId: 'removeExpertConflict',
  tags,
  summary: 'Withdraw a declared conflict, with a reason / 撤销利害关系',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: {
    params: z.object({ id: idSchema, organizationId: idSchema }),
    query: z.object({ reason: z.string().trim().min(1).max(500) }),
  },
  responses: { 200: json(conflictListSchema, 'Conflicts after'), ...problems(401, 403, 404, 422) },
});

/**
 * The expert with `conflict` declared (by the pool's authority or by the expert): it replaces
 * an earlier declaration for the same organisation. 422 unless the organisation is registered.
 */
export async function withConflictDeclared(
  tx: Transaction,
  expert: Expert,
  conflict: Conflict,
): Promise<Expert> {
  const [organization] = await tx
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, conflict.organizationId));
  if (!organization) {
    throw new ProblemError(
      'validation_failed',
      { zh: '利害关系单位未登记', en: 'the organisation is not registered' },
      { errors: [{ path: 'organizationId', message: 'not a registered organisation' }] },
    );
  }
  const others = expert.conflicts.filter((c) => c.organizationId !== conflict.organizationId);
  return { ...expert, conflicts: [...others, conflict] };
}

/** Declared conflicts (利害关系), which the matcher reads for recusal (回避). */
export const conflictRoutes = createRouter();

conflictRoutes.openapi(listConflictsRoute, async (c) => {
  const { expert } = await loadVisibleExpert(c.var.db, c.var.principal, c.req.valid('param').id);
  return c.json({ items: expert.conflicts }, 200);
});

conflictRoutes.openapi(declareConflictRoute, async (c) => {
  const principal = c.var.principal;
  const { id } = c.req.valid('param');
  const conflict = c.req.valid('json');
  const now = c.var.services.now();
  const after = await c.var.db.transaction(async (tx) => {
    const { expert, row } = await loadVisibleExpert(tx, principal, id, { forUpdate: true });
    assertOwnsExpert(row, principal);
    const changed = parseExpert(await withConflictDeclared(tx, expert, conflict));
    await saveExpert(
      tx,
      changed,
      row.ownerAuthorityId,
      {
        actor: actorOf(principal),
        action: 'expert.conflict_declared',
        reason: conflict.reason,
        before: expert,
      },
      now,
    );
    return changed;
  });
  return c.json({ items: after.conflicts }, 200);
});

conflictRoutes.openapi(withdrawConflictRoute, async (c) => {
  const principal = c.var.principal;
  const { id, organizationId } = c.req.valid('param');
  const { reason } = c.req.valid('query');
  const now = c.var.services.now();
  const after = await c.var.db.transaction(async (tx) => {
    const { expert, row } = await loadVisibleExpert(tx, principal, id, { forUpdate: true });
    assertOwnsExpert(row, principal);
    if (!expert.conflicts.some((c) => c.organizationId === organizationId)) {
      throw organizationNotFound(organizationId);
    }
    const changed = parseExpert({
      ...expert,
      conflicts: expert.conflicts.filter((c) => c.organizationId !== organizationId),
    });
    await saveExpert(
      tx,
      changed,
      row.ownerAuthorityId,
      {
        actor: actorOf(principal),
        action: 'expert.conflict_withdrawn',
        reason,
        before: expert,
      },
      now,
    );
    return changed;
  });
  return c.json({ items: after.conflicts }, 200);
});
