import {
  conflictSchema,
  type Expert,
  employerSchema,
  expertSchema,
  idSchema,
  industries,
  isoDateTimeSchema,
  periodSchema,
  safetyEngineerLevels,
  specialtySchema,
  titles,
} from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Actor } from '../audit/audit-entry.js';
import type { Transaction } from '../db/open-database.js';
import { experts } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { withConflictDeclared } from '../experts/conflict-routes.js';
import { parseExpert } from '../experts/expert-routes.js';
import { type ExpertRow, rowToExpert, saveExpert } from '../experts/expert-row.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { json, jsonBody, problems } from '../http/openapi-helpers.js';
import { SELF_TAGS } from './self-login-routes.js';
import { SELF_SECURITY } from './self-security.js';
import { requireSelfExpert } from './self-session.js';

const ACCESS =
  "With the expert's own session token (POST /v1/self/session): Authorization: Bearer eds_…; " +
  'API keys are refused. / 仅限专家本人会话。';
const selfProfileSchema = expertSchema;
const conflictListSchema = z.object({ items: z.array(conflictSchema) }).openapi('SelfConflicts');
const periodListSchema = z
  .object({ items: z.array(z.object({ from: z.string(), to: z.string() })) })
  .openapi('SelfUnavailable');

/** What an expert may change themselves; identity fields and status stay admin-only. */
const selfPatchSchema = z
  .object({
    phone: expertSchema.shape.phone,
    title: titles.schema,
    safetyEngineer: safetyEngineerLevels.schema.nullable(),
    practiceYears: z.number().int().min(0).max(70),
    employer: employerSchema,
    region: expertSchema.shape.region,
    industries: z.array(industries.schema).max(8),
    specialties: z.array(specialtySchema).max(30),
  })
  .partial()
  .strict()
  .openapi('SelfProfilePatch');

const route = <R extends Parameters<typeof createRoute>[0]>(r: R) =>
  createRoute({ ...r, tags: SELF_TAGS, security: SELF_SECURITY, description: ACCESS });

const getProfileRoute = route({
  method: 'get',
  path: '/v1/self/profile',
  operationId: 'getSelfProfile',
  summary: 'My profile / 本人信息',
  responses: { 200: json(selfProfileSchema, 'The own record'), ...problems(401) },
});

const confirmProfileRoute = route({
  method: 'post',
  path: '/v1/self/profile/confirm',
  operationId: 'confirmSelfProfile',
  summary: 'Confirm my profile is current (第八条（一）) / 确认本人信息',
  responses: {
    200: json(selfProfileSchema, 'Confirmed, profileUpdatedAt stamped'),
    ...problems(401),
  },
});

const patchProfileRoute = route({
  method: 'patch',
  path: '/v1/self/profile',
  operationId: 'updateSelfProfile',
  summary: 'Update my contact and specialty fields (第八条（一）) / 更新本人信息',
  request: { body: jsonBody(selfPatchSchema) },
  responses: { 200: json(selfProfileSchema, 'Updated'), ...problems(400, 401, 413, 415, 422) },
});

const declareConflictRoute = route({
  method: 'post',
  path: '/v1/self/conflicts',
  operationId: 'declareSelfConflict',
  summary: 'Declare a conflict with an organisation (第八条（四）) / 申报利害关系',
  request: { body: jsonBody(conflictSchema.strict()) },
  responses: {
    200: json(conflictListSchema, 'Conflicts after'),
    ...problems(400, 401, 413, 415, 422),
  },
});

const withdrawConflictRoute = route({
  method: 'delete',
  path: '/v1/self/conflicts/{organizationId}',
  operationId: 'withdrawSelfConflict',
  summary: 'Withdraw a declared conflict, with a reason / 撤销利害关系',
  request: {
    params: z.object({ organizationId: idSchema }),
    query: z.object({ reason: z.string().trim().min(1).max(500) }),
  },
  responses: { 200: json(conflictListSchema, 'Conflicts after'), ...problems(401, 404, 422) },
});

const declareUnavailableRoute = route({
  method: 'post',
  path: '/v1/self/unavailable',
  operationId: 'declareSelfUnavailable',
  summary: 'Declare a period I cannot serve / 申报不可参加时段',
  request: { body: jsonBody(periodSchema) },
  responses: { 200: json(periodListSchema, 'Periods after'), ...problems(400, 401, 413, 415, 422) },
});

const withdrawUnavailableRoute = route({
  method: 'delete',
  path: '/v1/self/unavailable',
  operationId: 'withdrawSelfUnavailable',
  summary: 'Withdraw a declared unavailable period / 撤销不可参加时段',
  request: { query: z.object({ from: isoDateTimeSchema, to: isoDateTimeSchema }) },
  responses: { 200: json(periodListSchema, 'Periods after'), ...problems(401, 404, 422) },
});

/** The signed-in expert's own record: read, confirm, update, conflicts and unavailability. */
export const selfProfileRoutes = createRouter();

const selfActor = (expertId: string): Actor => ({ keyId: `self:${expertId}`, authorityId: null });

/** Loads the signed-in expert's row, changes it in one transaction, audited as the expert. */
async function changeOwnRecord(
  c: Context<AppEnv>,
  action: string,
  reason: string | null,
  // Returns the changed record, validated as a whole by parseExpert.
  change: (expert: Expert, tx: Transaction) => Promise<object> | object,
): Promise<Expert> {
  return changeRecordOf(c, await requireSelfExpert(c), action, reason, change);
}

/**
 * Changes expert `id`'s own record as the expert (the API and the /expert page): stamps
 * `profileUpdatedAt` (第八条（一）), validates the whole record and appends the audit entry.
 *
 * @example
 * await changeRecordOf(c, 'e-1', 'expert.self_confirmed', null, (expert) => expert);
 */
export async function changeRecordOf(
  c: Context<AppEnv>,
  id: string,
  action: string,
  reason: string | null,
  change: (expert: Expert, tx: Transaction) => Promise<object> | object,
): Promise<Expert> {
  const now = c.var.services.now();
  return c.var.db.transaction(async (tx) => {
    const row = await loadOwnRow(tx, id, true);
    const before = rowToExpert(row);
    const changed = parseExpert(
      { ...(await change(before, tx)), profileUpdatedAt: now.toISOString() },
      now,
    );
    await saveExpert(
      tx,
      changed,
      row.ownerAuthorityId,
      { actor: selfActor(id), action, reason, before },
      now,
    );
    return changed;
  });
}

/** The row of expert `id`, who holds a session (else a 401). */
export async function loadOwnRow(
  tx: Pick<Transaction, 'select'>,
  id: string,
  forUpdate: boolean,
): Promise<ExpertRow> {
  const query = tx.select().from(experts).where(eq(experts.id, id));
  const [row] = forUpdate ? await query.for('update') : await query;
  // A session outlives nothing: its expert exists (foreign key); this guards a race only.
  if (!row) throw new ProblemError('unauthenticated', { zh: '会话无效', en: 'invalid session' });
  return row;
}

selfProfileRoutes.openapi(getProfileRoute, async (c) => {
  const row = await loadOwnRow(c.var.db, await requireSelfExpert(c), false);
  return c.json(rowToExpert(row), 200);
});

selfProfileRoutes.openapi(confirmProfileRoute, async (c) => {
  const after = await changeOwnRecord(c, 'expert.self_confirmed', null, (expert) => expert);
  return c.json(after, 200);
});

selfProfileRoutes.openapi(patchProfileRoute, async (c) => {
  const patch = c.req.valid('json');
  const after = await changeOwnRecord(c, 'expert.self_updated', null, (expert) => ({
    ...expert,
    ...patch,
  }));
  return c.json(after, 200);
});

selfProfileRoutes.openapi(declareConflictRoute, async (c) => {
  const conflict = c.req.valid('json');
  const after = await changeOwnRecord(
    c,
    'expert.conflict_declared',
    conflict.reason,
    (expert, tx) => withConflictDeclared(tx, expert, conflict),
  );
  return c.json({ items: after.conflicts }, 200);
});

const notDeclared = (what: string) =>
  new ProblemError('not_found', {
    zh: `未申报该${what}`,
    en: `no such declared ${what === '利害关系' ? 'conflict' : 'period'}`,
  });

selfProfileRoutes.openapi(withdrawConflictRoute, async (c) => {
  const { organizationId } = c.req.valid('param');
  const { reason } = c.req.valid('query');
  const after = await changeOwnRecord(c, 'expert.conflict_withdrawn', reason, (expert) => {
    if (!expert.conflicts.some((x) => x.organizationId === organizationId)) {
      throw notDeclared('利害关系');
    }
    return {
      ...expert,
      conflicts: expert.conflicts.filter((x) => x.organizationId !== organizationId),
    };
  });
  return c.json({ items: after.conflicts }, 200);
});

selfProfileRoutes.openapi(declareUnavailableRoute, async (c) => {
  const period = c.req.valid('json');
  const after = await changeOwnRecord(c, 'expert.unavailable_declared', null, (expert) => ({
    ...expert,
    unavailable: [...expert.unavailable, { from: period.from, to: period.to }],
  }));
  return c.json({ items: after.unavailable }, 200);
});

selfProfileRoutes.openapi(withdrawUnavailableRoute, async (c) => {
  const { from, to } = c.req.valid('query');
  const after = await changeOwnRecord(c, 'expert.unavailable_withdrawn', null, (expert) => {
    const same = (p: { from: string; to: string }) =>
      Date.parse(p.from) === Date.parse(from) && Date.parse(p.to) === Date.parse(to);
    if (!expert.unavailable.some(same)) throw notDeclared('不可参加时段');
    return { ...expert, unavailable: expert.unavailable.filter((p) => !same(p)) };
  });
  return c.json({ items: after.unavailable }, 200);
});
