import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { appendAudit } from '../audit/append-audit.js';
import { authorities } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { contactSchema } from '../experts/contact-routes.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { outboundPolicyOf } from '../outbound/outbound-policy.js';
import { refuseInternalUrls, webhookUrlsOf } from '../outbound/refuse-internal-urls.js';
import { actorOf } from '../tasks/draw-task.js';

const putContactRoute = createRoute({
  method: 'put',
  path: '/v1/authorities/{id}/contact',
  operationId: 'setAuthorityContact',
  tags: ['Organisations 单位'],
  summary: 'Where a 通报 to this authority goes / 设置本部门通报接收方式',
  description:
    'As the recommending unit of its experts (第二十一条（一）), an authority is told of their ' +
    'interviews, warnings and dismissals (通报, 第二十三条). Its own admin sets the contact; ' +
    '`null` removes it. The answer and the audit show the channel only.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: {
    params: z.object({ id: z.string().min(1).max(64) }),
    body: jsonBody(z.strictObject({ contact: contactSchema.nullable() })),
  },
  responses: {
    200: json(
      z.object({ authorityId: z.string(), contactChannel: z.string().nullable() }),
      'The contact is set',
    ),
    ...problems(400, 401, 403, 404, 413, 415, 422),
  },
});

/** An authority's own contact for 通报 (第二十三条). */
export const authorityContactRoutes = createRouter();

authorityContactRoutes.openapi(putContactRoute, async (c) => {
  const principal = c.var.principal;
  const { id } = c.req.valid('param');
  const { contact } = c.req.valid('json');
  if (id !== principal.authorityId) {
    throw new ProblemError('not_found', { zh: `部门 ${id} 不存在`, en: `no authority ${id}` });
  }
  refuseInternalUrls(
    webhookUrlsOf(contact === null ? [] : [contact], 'contact'),
    outboundPolicyOf(c.var.services.env),
  );
  const now = c.var.services.now();
  await c.var.db.transaction(async (tx) => {
    await tx.update(authorities).set({ contact }).where(eq(authorities.id, id));
    await appendAudit(
      tx,
      {
        actor: actorOf(principal),
        action: 'authority.contact_set',
        entityType: 'authority',
        entityId: id,
        after: { contactChannel: contact?.channel ?? null },
      },
      now,
    );
  });
  return c.json({ authorityId: id, contactChannel: contact?.channel ?? null }, 200);
});
