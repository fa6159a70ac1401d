import {
  type Expert,
  expertSchema,
  idSchema,
  isBirthDateOnOrBefore,
  toShanghaiDate,
} from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { isPersonalDataRole, requireRole } from '../access/authenticate.js';
import { experts } from '../db/schema.js';
import { type FieldError, ProblemError } from '../errors.js';
import type { Principal } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { toFieldErrors } from '../http/field-errors.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { EXPERT_ORDER, expertFilterCondition, expertFiltersSchema } from './expert-filters.js';
import {
  ageWaiverErrors,
  disqualificationErrors,
  expertInputSchema,
  expertPatchSchema,
} from './expert-input.js';
import { lifecycleOf, rowToExpert, saveExpert } from './expert-row.js';
import { expertViewSchema, toExpertView } from './expert-view.js';
import { assertEntryBar } from './lifecycle/assert-entry-bar.js';
import { changesPerson } from './lifecycle/entry-bar.js';
import { assertOwnsExpert, loadVisibleExpert } from './pool-scope.js';

const ALL_ROLES = ['admin', 'dispatcher', 'auditor', 'viewer'] as const;
const idParams = z.object({ id: idSchema });

export const expertListSchema = z
  .object({ items: z.array(expertViewSchema), nextCursor: z.string().nullable() })
  .openapi('ExpertList');

const createExpertRoute = createRoute({
  method: 'post',
  path: '/v1/experts',
  operationId: 'createExpert',
  tags: ['Pool 专家库'],
  summary: 'Add an expert to your authority’s pool / 新增专家',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { body: jsonBody(expertInputSchema) },
  responses: {
    201: json(expertViewSchema, 'Created'),
    ...problems(400, 401, 403, 409, 413, 415, 422),
  },
});

const getExpertRoute = createRoute({
  method: 'get',
  path: '/v1/experts/{id}',
  operationId: 'getExpert',
  tags: ['Pool 专家库'],
  summary: 'One expert / 专家详情',
  security: BEARER_SECURITY,
  middleware: [requireRole(...ALL_ROLES)] as const,
  request: { params: idParams },
  responses: { 200: json(expertViewSchema, 'The expert'), ...problems(401, 404) },
});

const patchExpertRoute = createRoute({
  method: 'patch',
  path: '/v1/experts/{id}',
  operationId: 'updateExpert',
  tags: ['Pool 专家库'],
  summary: 'Update a profile; stamps profileUpdatedAt (第八条（一）) / 更新专家信息',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: idParams, body: jsonBody(expertPatchSchema) },
  responses: { 200: json(expertViewSchema, 'Updated'), ...problems(400, 401, 403, 404, 422) },
});

const listExpertsRoute = createRoute({
  method: 'get',
  path: '/v1/experts',
  operationId: 'listExperts',
  tags: ['Pool 专家库'],
  summary: 'List experts with filters and a cursor / 专家列表',
  security: BEARER_SECURITY,
  middleware: [requireRole(...ALL_ROLES)] as const,
  request: {
    query: expertFiltersSchema.extend({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(512).optional(),
    }),
  },
  responses: { 200: json(expertListSchema, 'A page of experts'), ...problems(401, 422) },
});

/** Experts: create, read, update, list. */
export const expertRoutes = createRouter();

expertRoutes.openapi(createExpertRoute, async (c) => {
  const principal = c.var.principal;
  const input = c.req.valid('json');
  assertPoolTier(input.tier, principal);
  const now = c.var.services.now();
  const parsed = parseExpert(
    { ...input, profileUpdatedAt: input.profileUpdatedAt ?? now.toISOString() },
    now,
  );
  const expert = await c.var.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: experts.id })
      .from(experts)
      .where(eq(experts.id, parsed.id));
    if (existing) {
      throw new ProblemError('already_exists', {
        zh: `专家编号 ${parsed.id} 已被使用`,
        en: `expert id ${parsed.id} is already in use`,
      });
    }
    // A record created active (or further along) skips recommendation and review: it gets the
    // person's five-year bar here (第十六条（三）, 第九条（六）).
    const admitted = await assertEntryBar(
      tx,
      parsed,
      principal.authorityId,
      c.var.services.ruleSet,
      now,
    );
    await saveExpert(
      tx,
      admitted,
      principal.authorityId,
      {
        actor: actorOf(principal),
        action: 'expert.created',
        before: null,
      },
      now,
    );
    return admitted;
  });
  return c.json(toExpertView(expert, principal.authorityId, true), 201);
});

expertRoutes.openapi(getExpertRoute, async (c) => {
  const principal = c.var.principal;
  const { expert, row } = await loadVisibleExpert(c.var.db, principal, c.req.valid('param').id);
  return c.json(
    toExpertView(
      expert,
      row.ownerAuthorityId,
      isPersonalDataRole(principal.role),
      lifecycleOf(row),
    ),
    200,
  );
});

expertRoutes.openapi(patchExpertRoute, async (c) => {
  const principal = c.var.principal;
  const { id } = c.req.valid('param');
  const patch = c.req.valid('json');
  const now = c.var.services.now();
  const updated = await c.var.db.transaction(async (tx) => {
    const { expert: before, row } = await loadVisibleExpert(tx, principal, id, { forUpdate: true });
    assertOwnsExpert(row, principal);
    const { idNumber, ...rest } = patch;
    const merged: Record<string, unknown> = {
      ...before,
      ...rest,
      profileUpdatedAt: now.toISOString(),
    };
    if (idNumber === null) delete merged.idNumber;
    else if (idNumber !== undefined) merged.idNumber = idNumber;
    // A stored birth date is not re-judged against today; a new one is.
    const changed = parseExpert(merged, patch.birthDate === undefined ? undefined : now);
    // Another person in an admitted record is a way into the pool (第十六条（三）).
    const after = changesPerson(before, changed)
      ? await assertEntryBar(tx, changed, row.ownerAuthorityId, c.var.services.ruleSet, now)
      : changed;
    await saveExpert(
      tx,
      after,
      row.ownerAuthorityId,
      {
        actor: actorOf(principal),
        action: 'expert.updated',
        before,
      },
      now,
    );
    return { after, owner: row.ownerAuthorityId, lifecycle: lifecycleOf(row) };
  });
  return c.json(toExpertView(updated.after, updated.owner, true, updated.lifecycle), 200);
});

expertRoutes.openapi(listExpertsRoute, async (c) => {
  const principal = c.var.principal;
  const { limit, cursor, ...filters } = c.req.valid('query');
  const afterId = cursor === undefined ? undefined : decodeCursor(cursor);
  const rows = await c.var.db
    .select()
    .from(experts)
    .where(expertFilterCondition(principal, filters, afterId))
    .orderBy(EXPERT_ORDER)
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const personal = isPersonalDataRole(principal.role);
  return c.json(
    {
      items: page.map((row) =>
        toExpertView(rowToExpert(row), row.ownerAuthorityId, personal, lifecycleOf(row)),
      ),
      nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
    },
    200,
  );
});

/** The audit actor of a principal. */
export function actorOf(principal: Principal) {
  return { keyId: principal.keyId, authorityId: principal.authorityId };
}

/**
 * An authority adds experts to its own pool only, so the expert's tier is the authority's.
 */
export function assertPoolTier(tier: string, principal: Principal, path = 'tier'): void {
  if (tier !== principal.tier) {
    throw new ProblemError(
      'validation_failed',
      {
        zh: `专家层级必须与本部门层级（${principal.tier}）一致`,
        en: `the expert's tier must be your authority's tier (${principal.tier})`,
      },
      { errors: [{ path, message: `must be ${principal.tier}: experts join your own pool` }] },
    );
  }
}

/**
 * Validates a whole expert record; failures are 422 problems with field paths. With `now`, the
 * birth date must not be after that day (Asia/Shanghai).
 */
export function parseExpert(value: unknown, now?: Date): Expert {
  const result = expertSchema.safeParse(value);
  const errors = result.success
    ? [
        ...birthDateErrors(result.data.birthDate, now),
        ...ageWaiverErrors(result.data),
        ...disqualificationErrors(result.data),
      ]
    : toFieldErrors(result.error);
  if (!result.success || errors.length > 0) {
    throw new ProblemError(
      'validation_failed',
      { zh: '专家信息未通过校验', en: 'the expert record did not pass validation' },
      { errors },
    );
  }
  return result.data;
}

/** A birth date after the day of the request, as a field error (none without `now`). */
export function birthDateErrors(birthDate: string, now: Date | undefined): FieldError[] {
  if (now === undefined) return [];
  const today = toShanghaiDate(now);
  return isBirthDateOnOrBefore(birthDate, today)
    ? []
    : [{ path: 'birthDate', message: `must not be after today (${today})` }];
}
