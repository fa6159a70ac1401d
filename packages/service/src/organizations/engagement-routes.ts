import { idSchema } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { appendAudit } from '../audit/append-audit.js';
import type { Transaction } from '../db/open-database.js';
import { engagements, organizations } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { Principal } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { randomHex } from '../random-hex.js';
import { readEngagementCsv } from './engagement-csv.js';
import {
  type EngagementInput,
  engagementInputSchema,
  engagementViewSchema,
  toEngagementView,
} from './engagement-input.js';
import { organizationNotFound } from './organization-routes.js';

const tags = ['Organisations 单位'];
const WRITERS = ['admin', 'dispatcher'] as const;
const agencyParams = z.object({ agencyId: idSchema });
const oneParams = agencyParams.extend({ engagementId: idSchema });

const createDef = createRoute({
  method: 'post',
  path: '/v1/organizations/{agencyId}/engagements',
  operationId: 'recordEngagement',
  tags,
  summary: 'Record that an agency served an enterprise (第十六条（一）) / 登记往来业务',
  description:
    'Agency {agencyId} did design, safety evaluation, testing, standardisation review or ' +
    'consulting for the enterprise, from–to (both days counted). Draws treat every agency with an ' +
    'engagement with the served enterprise within the rule set’s engagementLookbackYears ' +
    '(default 3) as related to the work and exclude its experts (第十六条（一）). Audited.',
  security: BEARER_SECURITY,
  middleware: [requireRole(...WRITERS)] as const,
  request: { params: agencyParams, body: jsonBody(engagementInputSchema) },
  responses: {
    201: json(engagementViewSchema, 'Recorded'),
    ...problems(400, 401, 403, 404, 409, 415, 422),
  },
});

const listDef = createRoute({
  method: 'get',
  path: '/v1/organizations/{agencyId}/engagements',
  operationId: 'listEngagements',
  tags,
  summary: 'An agency’s recorded engagements / 往来业务列表',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'dispatcher', 'auditor', 'viewer')] as const,
  request: { params: agencyParams },
  responses: {
    200: json(z.object({ items: z.array(engagementViewSchema) }), 'By first day'),
    ...problems(401, 404, 422),
  },
});

const deleteDef = createRoute({
  method: 'delete',
  path: '/v1/organizations/{agencyId}/engagements/{engagementId}',
  operationId: 'deleteEngagement',
  tags,
  summary: 'Delete a wrongly recorded engagement / 删除往来业务',
  description: 'Draws already made keep the engagement in their stored input and replay with it.',
  security: BEARER_SECURITY,
  middleware: [requireRole(...WRITERS)] as const,
  request: { params: oneParams },
  responses: {
    200: json(engagementViewSchema, 'Deleted; the engagement as it was'),
    ...problems(401, 403, 404, 422),
  },
});

const importDef = createRoute({
  method: 'post',
  path: '/v1/organizations/{agencyId}/engagements/import',
  operationId: 'importEngagements',
  tags,
  summary: 'Import an agency’s engagements from CSV / 批量导入往来业务',
  description:
    'UTF-8 CSV, first row headers: enterpriseId,kind,from,to (or 服务对象编号,业务类型,开始日期,' +
    '结束日期). All rows or none: any bad row is a 422 naming its line; rows already recorded ' +
    'are reported unchanged. One audit entry lists the engagements recorded.',
  security: BEARER_SECURITY,
  middleware: [requireRole(...WRITERS)] as const,
  request: {
    params: agencyParams,
    body: {
      required: true,
      content: {
        'text/csv': {
          schema: z.string().openapi({
            description:
              'UTF-8 CSV, first row headers: enterpriseId,kind,from,to or 服务对象编号,业务类型,开始日期,结束日期; a kind by its code or its Chinese name (安全评价)',
          }),
        },
      },
    },
  },
  responses: {
    200: json(
      z.object({ created: z.array(engagementViewSchema), unchanged: z.number().int() }),
      'What was recorded',
    ),
    ...problems(400, 401, 403, 404, 413, 415, 422),
  },
});

/** `…/organizations/{agencyId}/engagements`: recorded engagements (往来业务, 第十六条（一）). */
export const engagementRoutes = createRouter();

engagementRoutes.openapi(createDef, async (c) => {
  const { agencyId } = c.req.valid('param');
  const input = c.req.valid('json');
  const principal = c.var.principal;
  const now = c.var.services.now();
  const view = await c.var.db.transaction(async (tx) => {
    await assertAgency(tx, agencyId, input.enterpriseId, 'enterpriseId');
    const [row] = await tx
      .insert(engagements)
      .values(rowOf(agencyId, input, principal, now))
      .onConflictDoNothing()
      .returning();
    if (row === undefined) {
      throw new ProblemError(
        'already_exists',
        { zh: '该往来业务已登记', en: 'this engagement is already recorded' },
        { errors: [{ path: 'body', message: 'same agency, enterprise, kind and days' }] },
      );
    }
    const created = toEngagementView(row);
    await appendAudit(
      tx,
      {
        actor: { keyId: principal.keyId, authorityId: principal.authorityId },
        action: 'engagement.recorded',
        entityType: 'engagement',
        entityId: created.id,
        after: created,
      },
      now,
    );
    return created;
  });
  return c.json(view, 201);
});

engagementRoutes.openapi(listDef, async (c) => {
  const { agencyId } = c.req.valid('param');
  const [agency] = await c.var.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, agencyId));
  if (agency === undefined) throw organizationNotFound(agencyId);
  const rows = await c.var.db
    .select()
    .from(engagements)
    .where(eq(engagements.agencyId, agencyId))
    .orderBy(asc(engagements.from), asc(engagements.id));
  return c.json({ items: rows.map(toEngagementView) }, 200);
});

engagementRoutes.openapi(deleteDef, async (c) => {
  const { agencyId, engagementId } = c.req.valid('param');
  const principal = c.var.principal;
  const now = c.var.services.now();
  const view = await c.var.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(engagements)
      .where(and(eq(engagements.id, engagementId), eq(engagements.agencyId, agencyId)))
      .returning();
    if (row === undefined) {
      throw new ProblemError('not_found', {
        zh: `单位 ${agencyId} 没有往来业务 ${engagementId}`,
        en: `no engagement ${engagementId} of organisation ${agencyId}`,
      });
    }
    const before = toEngagementView(row);
    await appendAudit(
      tx,
      {
        actor: { keyId: principal.keyId, authorityId: principal.authorityId },
        action: 'engagement.deleted',
        entityType: 'engagement',
        entityId: engagementId,
        before,
        after: null,
      },
      now,
    );
    return before;
  });
  return c.json(view, 200);
});

engagementRoutes.openapi(importDef, async (c) => {
  const { agencyId } = c.req.valid('param');
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'text/csv') {
    throw new ProblemError('unsupported_media_type', {
      zh: '请以 text/csv 提交',
      en: 'send text/csv',
    });
  }
  const read = readEngagementCsv(await c.req.text());
  if (read.errors.length > 0) {
    throw new ProblemError(
      'validation_failed',
      {
        zh: 'CSV 中有无效行，未导入任何数据',
        en: 'the CSV has invalid rows; nothing was imported',
      },
      { errors: read.errors },
    );
  }
  const principal = c.var.principal;
  const now = c.var.services.now();
  const result = await c.var.db.transaction(async (tx) => {
    await assertAgency(tx, agencyId);
    for (const [index, input] of read.rows.entries()) {
      if (input.enterpriseId === agencyId) {
        throw selfEngagement(`rows.${index}.enterpriseId`);
      }
    }
    const values = read.rows.map((input) => rowOf(agencyId, input, principal, now));
    const rows =
      values.length === 0
        ? []
        : await tx.insert(engagements).values(values).onConflictDoNothing().returning();
    const created = rows.map(toEngagementView);
    if (created.length > 0) {
      await appendAudit(
        tx,
        {
          actor: { keyId: principal.keyId, authorityId: principal.authorityId },
          action: 'engagement.imported',
          entityType: 'organization',
          entityId: agencyId,
          after: { engagements: created },
        },
        now,
      );
    }
    return { created, unchanged: values.length - created.length };
  });
  return c.json(result, 200);
});

function rowOf(agencyId: string, input: EngagementInput, principal: Principal, now: Date) {
  return {
    id: `eg_${randomHex(10)}`,
    agencyId,
    enterpriseId: input.enterpriseId,
    kind: input.kind,
    from: input.from,
    to: input.to,
    createdBy: principal.keyId,
    createdAt: now,
  };
}

async function assertAgency(
  tx: Transaction,
  agencyId: string,
  enterpriseId?: string,
  path?: string,
): Promise<void> {
  const [agency] = await tx
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, agencyId));
  if (agency === undefined) throw organizationNotFound(agencyId);
  if (enterpriseId === agencyId) throw selfEngagement(path ?? 'enterpriseId');
}

function selfEngagement(path: string): ProblemError {
  return new ProblemError(
    'validation_failed',
    { zh: '单位不能与自身有往来业务', en: 'an agency cannot serve itself' },
    { errors: [{ path, message: 'enterpriseId is the agency itself' }] },
  );
}
