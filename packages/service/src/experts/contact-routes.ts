import { idSchema } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { requireRole } from '../access/authenticate.js';
import { appendAudit } from '../audit/append-audit.js';
import { experts } from '../db/schema.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { outboundPolicyOf } from '../outbound/outbound-policy.js';
import { refuseInternalUrls, webhookUrlsOf } from '../outbound/refuse-internal-urls.js';
import { actorOf } from './expert-routes.js';
import { assertOwnsExpert, loadVisibleExpert } from './pool-scope.js';

const tags = ['Dispatch 通知与答复'];

/** One contact method; the address depends on the channel. */
export const contactSchema = z
  .discriminatedUnion('channel', [
    z.strictObject({ channel: z.literal('webhook'), address: z.url({ protocol: /^https?$/ }) }),
    z.strictObject({ channel: z.literal('sms'), address: z.string().regex(/^\+?\d{6,15}$/) }),
    z.strictObject({ channel: z.literal('email'), address: z.email() }),
    z.strictObject({ channel: z.literal('log'), address: z.string().min(1).max(100) }),
  ])
  .openapi('ContactMethod');

const contactListSchema = z
  .strictObject({ contacts: z.array(contactSchema).max(5) })
  .openapi('ContactMethods');

const getContactsRoute = createRoute({
  method: 'get',
  path: '/v1/experts/{id}/contacts',
  operationId: 'getExpertContacts',
  tags,
  summary: 'An expert’s contact methods, in the order tried / 联系方式',
  description: 'Personal data: admins of the owning authority only.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: z.object({ id: idSchema }) },
  responses: { 200: json(contactListSchema, 'Contacts'), ...problems(401, 403, 404) },
});

const putContactsRoute = createRoute({
  method: 'put',
  path: '/v1/experts/{id}/contacts',
  operationId: 'replaceExpertContacts',
  tags,
  summary: 'Replace an expert’s ordered contact methods / 设置联系方式',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: z.object({ id: idSchema }), body: jsonBody(contactListSchema) },
  responses: { 200: json(contactListSchema, 'Contacts after'), ...problems(401, 403, 404, 422) },
});

/** Contact methods (联系方式) the dispatcher notifies an expert through, in order. */
export const contactRoutes = createRouter();

contactRoutes.openapi(getContactsRoute, async (c) => {
  const { row } = await loadVisibleExpert(c.var.db, c.var.principal, c.req.valid('param').id);
  assertOwnsExpert(row, c.var.principal);
  return c.json({ contacts: row.contacts ?? [] }, 200);
});

contactRoutes.openapi(putContactsRoute, async (c) => {
  const principal = c.var.principal;
  const { id } = c.req.valid('param');
  const { contacts } = c.req.valid('json');
  refuseInternalUrls(webhookUrlsOf(contacts, 'contacts'), outboundPolicyOf(c.var.services.env));
  const now = c.var.services.now();
  await c.var.db.transaction(async (tx) => {
    const { row } = await loadVisibleExpert(tx, principal, id, { forUpdate: true });
    assertOwnsExpert(row, principal);
    await tx.update(experts).set({ contacts, updatedAt: now }).where(eq(experts.id, id));
    // The audit keeps which channels, never the addresses (personal data).
    await appendAudit(
      tx,
      {
        actor: actorOf(principal),
        action: 'expert.contacts_set',
        entityType: 'expert',
        entityId: id,
        before: { channels: (row.contacts ?? []).map((contact) => contact.channel) },
        after: { channels: contacts.map((contact) => contact.channel) },
      },
      now,
    );
  });
  return c.json({ contacts }, 200);
});
