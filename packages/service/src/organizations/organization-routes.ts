import { employerKinds, idSchema, regionCodeSchema } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, ilike, type SQL, sql } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { appendAudit } from '../audit/append-audit.js';
import { organizations } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { contactSchema } from '../experts/contact-routes.js';
import { createRouter } from '../http/create-router.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { outboundPolicyOf } from '../outbound/outbound-policy.js';
import { refuseInternalUrls, webhookUrlsOf } from '../outbound/refuse-internal-urls.js';

const ALL_ROLES = ['admin', 'dispatcher', 'auditor', 'viewer'] as const;
const tags = ['Organisations 单位'];

/** An organisation (单位): an employer, an enterprise served, a designer or evaluator. */
export const organizationSchema = z
  .object({
    id: idSchema,
    name: z.string().trim().min(1).max(200),
    kind: employerKinds.schema,
    region: regionCodeSchema.nullable().default(null),
    /** Where a 通报 to this organisation as an employer goes (第二十三条); null: unknown. */
    contact: contactSchema.nullable().default(null),
  })
  .strict()
  .openapi('Organization');

const organizationViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: employerKinds.schema,
    region: z.string().nullable(),
    /** The channel a 通报 goes through; the address is not shown. */
    contactChannel: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('OrganizationView');

const patchSchema = organizationSchema
  .omit({ id: true })
  .partial()
  .strict()
  .openapi('OrganizationPatch');
const idParams = z.object({ id: idSchema });

const createRouteDef = createRoute({
  method: 'post',
  path: '/v1/organizations',
  operationId: 'createOrganization',
  tags,
  summary: 'Register an organisation / 登记单位',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { body: jsonBody(organizationSchema) },
  responses: { 201: json(organizationViewSchema, 'Created'), ...problems(401, 403, 409, 422) },
});

const listRouteDef = createRoute({
  method: 'get',
  path: '/v1/organizations',
  operationId: 'listOrganizations',
  tags,
  summary: 'List organisations / 单位列表',
  security: BEARER_SECURITY,
  middleware: [requireRole(...ALL_ROLES)] as const,
  request: {
    query: z.object({
      q: z.string().trim().min(1).max(100).optional(),
      kind: employerKinds.schema.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(512).optional(),
    }),
  },
  responses: {
    200: json(
      z.object({ items: z.array(organizationViewSchema), nextCursor: z.string().nullable() }),
      'A page of organisations',
    ),
    ...problems(401, 422),
  },
});

const getRouteDef = createRoute({
  method: 'get',
  path: '/v1/organizations/{id}',
  operationId: 'getOrganization',
  tags,
  summary: 'One organisation / 单位详情',
  security: BEARER_SECURITY,
  middleware: [requireRole(...ALL_ROLES)] as const,
  request: { params: idParams },
  responses: { 200: json(organizationViewSchema, 'The organisation'), ...problems(401, 404) },
});

const patchRouteDef = createRoute({
  method: 'patch',
  path: '/v1/organizations/{id}',
  operationId: 'updateOrganization',
  tags,
  summary: 'Update an organisation / 更新单位',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: idParams, body: jsonBody(patchSchema) },
  responses: { 200: json(organizationViewSchema, 'Updated'), ...problems(401, 403, 404, 422) },
});

/** Organisations: register, list, read, update. They are shared by all authorities. */
export const organizationRoutes = createRouter();

organizationRoutes.openapi(createRouteDef, async (c) => {
  const principal = c.var.principal;
  const input = c.req.valid('json');
  refuseInternalUrls(
    webhookUrlsOf(input.contact === null ? [] : [input.contact], 'contact'),
    outboundPolicyOf(c.var.services.env),
  );
  const now = c.var.services.now();
  const view = await c.var.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(organizations).where(eq(organizations.id, input.id));
    if (existing) {
      throw new ProblemError('already_exists', {
        zh: `单位编号 ${input.id} 已被使用`,
        en: `organisation id ${input.id} is already in use`,
      });
    }
    const [row] = await tx
      .insert(organizations)
      .values({ ...input, createdAt: now, updatedAt: now })
      .returning();
    const created = toView(row as typeof organizations.$inferSelect);
    await appendAudit(
      tx,
      {
        actor: { keyId: principal.keyId, authorityId: principal.authorityId },
        action: 'organization.created',
        entityType: 'organization',
        entityId: input.id,
        after: created,
      },
      now,
    );
    return created;
  });
  return c.json(view, 201);
});

organizationRoutes.openapi(listRouteDef, async (c) => {
  const { q, kind, limit, cursor } = c.req.valid('query');
  const conditions: SQL[] = [];
  if (q) conditions.push(ilike(organizations.name, `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`));
  if (kind) conditions.push(eq(organizations.kind, kind));
  if (cursor !== undefined) {
    conditions.push(sql`${organizations.id} collate "C" > ${decodeCursor(cursor)}`);
  }
  const rows = await c.var.db
    .select()
    .from(organizations)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(sql`${organizations.id} collate "C"`)
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return c.json(
    {
      items: page.map(toView),
      nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
    },
    200,
  );
});

organizationRoutes.openapi(getRouteDef, async (c) => {
  const { id } = c.req.valid('param');
  const [row] = await c.var.db.select().from(organizations).where(eq(organizations.id, id));
  if (!row) throw organizationNotFound(id);
  return c.json(toView(row), 200);
});

organizationRoutes.openapi(patchRouteDef, async (c) => {
  const principal = c.var.principal;
  const { id } = c.req.valid('param');
  const patch = c.req.valid('json');
  refuseInternalUrls(
    webhookUrlsOf(patch.contact ? [patch.contact] : [], 'contact'),
    outboundPolicyOf(c.var.services.env),
  );
  const now = c.var.services.now();
  const view = await c.var.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(organizations)
      .where(eq(organizations.id, id))
      .for('update');
    if (!row) throw organizationNotFound(id);
    const [updated] = await tx
      .update(organizations)
      .set({ ...patch, updatedAt: now })
      .where(eq(organizations.id, id))
      .returning();
    const after = toView(updated as typeof organizations.$inferSelect);
    await appendAudit(
      tx,
      {
        actor: { keyId: principal.keyId, authorityId: principal.authorityId },
        action: 'organization.updated',
        entityType: 'organization',
        entityId: id,
        before: toView(row),
        after,
      },
      now,
    );
    return after;
  });
  return c.json(view, 200);
});

/** The 404 of an unknown organisation. */
export function organizationNotFound(id: string): ProblemError {
  return new ProblemError('not_found', { zh: `单位 ${id} 不存在`, en: `no organisation ${id}` });
}

function toView(row: typeof organizations.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as z.infer<typeof employerKinds.schema>,
    region: row.region,
    contactChannel: row.contact?.channel ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
