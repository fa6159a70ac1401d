import { idSchema, regionCodeSchema, tiers } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import { apiKeys } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { ROLES } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { requireRole } from './authenticate.js';
import { issueApiKey } from './issue-api-key.js';
import { forgetPrincipals } from './principal-cache.js';
import { assertRecommendingOrganization } from './recommender-key.js';

const authoritySchema = z
  .object({
    id: idSchema,
    tier: tiers.schema,
    region: regionCodeSchema,
    name: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .openapi('Authority');

const createKeySchema = z
  .object({
    role: z.enum(ROLES),
    label: z.string().trim().min(1).max(100),
    authority: authoritySchema.optional().openapi({
      description: 'Another authority (province admins only); default: your own',
    }),
    organizationId: idSchema.optional().openapi({
      description:
        'For a recommender key only (province admins): the registered enterprise (incl. central ' +
        'and provincial SOEs) it recommends for (第二十一条（一）, 第二十二条) / 推荐单位',
    }),
  })
  .strict()
  .openapi('CreateApiKey');

const keyViewSchema = z
  .object({
    id: z.string(),
    authorityId: z.string(),
    role: z.enum(ROLES),
    label: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
    organizationId: z
      .string()
      .optional()
      .openapi({ description: 'A recommender key’s organisation' }),
  })
  .openapi('ApiKey');

const issuedKeySchema = keyViewSchema
  .omit({ revokedAt: true })
  .extend({ key: z.string().openapi({ description: 'The secret, shown once / 仅显示一次' }) })
  .openapi('IssuedApiKey');

const principalSchema = z
  .object({
    keyId: z.string(),
    authorityId: z.string(),
    tier: tiers.schema,
    region: z.string(),
    role: z.enum(ROLES),
    organizationId: z.string().optional(),
  })
  .openapi('Principal');

const tags = ['Access 访问控制'];

const createKeyRoute = createRoute({
  method: 'post',
  path: '/v1/keys',
  operationId: 'createApiKey',
  tags,
  summary: 'Create an API key (shown once) / 创建 API 密钥',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { body: jsonBody(createKeySchema) },
  responses: { 201: json(issuedKeySchema, 'Created'), ...problems(401, 403, 422) },
});

const listKeysRoute = createRoute({
  method: 'get',
  path: '/v1/keys',
  operationId: 'listApiKeys',
  tags,
  summary: 'List API keys of your authority (the province sees all) / 密钥列表',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  responses: {
    200: json(z.object({ items: z.array(keyViewSchema) }), 'Keys'),
    ...problems(401, 403),
  },
});

const revokeKeyRoute = createRoute({
  method: 'delete',
  path: '/v1/keys/{id}',
  operationId: 'revokeApiKey',
  tags,
  summary: 'Revoke an API key / 吊销密钥',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: z.object({ id: idSchema }) },
  responses: { 200: json(keyViewSchema, 'Revoked'), ...problems(401, 403, 404) },
});

const whoAmIRoute = createRoute({
  method: 'get',
  path: '/v1/me',
  operationId: 'getCurrentKey',
  tags,
  summary: 'The key you are using and its authority / 当前身份',
  security: BEARER_SECURITY,
  responses: { 200: json(principalSchema, 'You'), ...problems(401) },
});

/** API keys: create, list, revoke; and `GET /v1/me`. */
export const keyRoutes = createRouter();

keyRoutes.openapi(createKeyRoute, async (c) => {
  const principal = c.var.principal;
  const body = c.req.valid('json');
  const authority = body.authority ?? {
    id: principal.authorityId,
    tier: principal.tier,
    region: principal.region,
  };
  if (authority.id !== principal.authorityId && principal.tier !== 'province') {
    throw new ProblemError('forbidden', {
      zh: '只有省级管理员可以为其他部门创建密钥',
      en: 'only a provincial admin may create keys for another authority',
    });
  }
  const now = c.var.services.now();
  const issued = await c.var.db.transaction(async (tx) => {
    if (body.role === 'recommender') {
      await assertRecommendingOrganization(tx, principal, authority, body.organizationId);
    }
    return issueApiKey(
      tx,
      {
        authority,
        role: body.role,
        label: body.label,
        actor: { keyId: principal.keyId, authorityId: principal.authorityId },
        organizationId: body.organizationId,
      },
      now,
    );
  });
  return c.json(issued, 201);
});

keyRoutes.openapi(listKeysRoute, async (c) => {
  const principal = c.var.principal;
  const rows = await c.var.db
    .select()
    .from(apiKeys)
    .where(
      principal.tier === 'province' ? undefined : eq(apiKeys.authorityId, principal.authorityId),
    )
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
  return c.json({ items: rows.map(toKeyView) }, 200);
});

keyRoutes.openapi(revokeKeyRoute, async (c) => {
  const principal = c.var.principal;
  const { id } = c.req.valid('param');
  const now = c.var.services.now();
  const revoked = await c.var.db.transaction(async (tx) => {
    const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for('update');
    if (!row || (principal.tier !== 'province' && row.authorityId !== principal.authorityId)) {
      throw new ProblemError('not_found', { zh: `密钥 ${id} 不存在`, en: `no API key ${id}` });
    }
    if (row.revokedAt !== null) return toKeyView(row);
    const [updated] = await tx
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning();
    const before = toKeyView(row);
    const after = updated ? toKeyView(updated) : before;
    await appendAudit(
      tx,
      {
        actor: { keyId: principal.keyId, authorityId: principal.authorityId },
        action: 'api_key.revoked',
        entityType: 'api_key',
        entityId: id,
        before,
        after,
      },
      now,
    );
    return after;
  });
  // After the commit: this process refuses the key from the next request on.
  forgetPrincipals(c.var.db);
  return c.json(revoked, 200);
});

keyRoutes.openapi(whoAmIRoute, (c) => c.json(c.var.principal, 200));

function toKeyView(row: typeof apiKeys.$inferSelect) {
  return {
    id: row.id,
    authorityId: row.authorityId,
    role: row.role as (typeof ROLES)[number],
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt ? row.revokedAt.toISOString() : null,
    ...(row.organizationId === null ? {} : { organizationId: row.organizationId }),
  };
}
