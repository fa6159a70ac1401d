import { idSchema, toShanghaiDate } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/create-router.js';
import { json, jsonBody, problems } from '../http/openapi-helpers.js';
import { clientAddressOf, type ThrottleRule, throttle } from '../self/self-throttle.js';
import { lodgeObjection, objectionInputSchema } from './lodge-objection.js';
import {
  listPublicAnnouncements,
  listPublicNotices,
  publicAnnouncementSchema,
  publicNoticeSchema,
} from './notice-listing.js';

/** Objections lodged from one address: 5 an hour (on top of the public query's limit). */
export const OBJECTIONS_PER_ADDRESS: ThrottleRule = {
  name: 'objection-address',
  limit: 5,
  windowMs: 3_600_000,
};

/** The answer to a lodged objection, on the API and the page. */
export const OBJECTION_LODGED = {
  zh: '异议已受理，公示单位将核实处理并答复。',
  en: 'The objection was lodged; the authority giving notice will look into it and reply.',
};

const TAGS = ['Public 公众查询'];

const listNoticesRoute = createRoute({
  method: 'get',
  path: '/v1/public/notices',
  operationId: 'listPublicNotices',
  tags: TAGS,
  summary: 'Experts under public notice, no key needed (第十条（四）, 第十一条) / 公示名单',
  description:
    'The experts proposed for appointment or renewal whose notice runs or is still to run, with ' +
    'the first and last working day (5 working days on the holiday calendar). Public fields ' +
    'only: no phone, ID number or birth date. Objections go to ' +
    '`POST /v1/public/notices/{expertId}/objections` inside the window. Rate-limited per address.',
  responses: {
    200: json(z.object({ items: z.array(publicNoticeSchema) }), 'The notices'),
    ...problems(429),
  },
});

const lodgedSchema = z
  .object({
    id: z.string(),
    expertId: z.string(),
    status: z.literal('open'),
    notice: z.object({ start: z.string(), end: z.string() }),
    message: z.object({ zh: z.string(), en: z.string() }),
  })
  .openapi('ObjectionLodged');

const lodgeObjectionRoute = createRoute({
  method: 'post',
  path: '/v1/public/notices/{expertId}/objections',
  operationId: 'lodgePublicNoticeObjection',
  tags: TAGS,
  summary: 'Object to an expert under public notice (第十条（四）) / 对公示专家提出异议',
  description:
    'Accepted only from the first to the last working day of the notice (409 notice_closed ' +
    'otherwise); 404 when the expert is not under notice. The contact is kept for the reply and ' +
    'never shown publicly. At most 5 objections an hour per address (429). An open objection ' +
    'holds the appointment or renewal until an admin settles it.',
  request: {
    params: z.object({ expertId: idSchema }),
    body: jsonBody(objectionInputSchema),
  },
  responses: {
    201: json(lodgedSchema, 'The objection was lodged / 异议已受理'),
    ...problems(404, 409, 422, 429),
  },
});

const listAnnouncementsRoute = createRoute({
  method: 'get',
  path: '/v1/public/announcements',
  operationId: 'listPublicAnnouncements',
  tags: TAGS,
  summary: 'Announced appointments and renewals (第十条（五）, 第十一条) / 专家聘任公告',
  description:
    'Experts appointed or renewed after a public notice without a founded objection, newest ' +
    'first, with the announcement date and the term. Public fields only. Rate-limited per address.',
  request: {
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
  },
  responses: {
    200: json(z.object({ items: z.array(publicAnnouncementSchema) }), 'The announcements'),
    ...problems(422, 429),
  },
});

/** The public side of 公示 and 公告: the lists and the objection form's API. */
export const publicNoticeRoutes = createRouter();

publicNoticeRoutes.openapi(listNoticesRoute, async (c) => {
  const today = toShanghaiDate(c.var.services.now());
  return c.json({ items: await listPublicNotices(c.var.db, today) }, 200);
});

publicNoticeRoutes.openapi(listAnnouncementsRoute, async (c) => {
  const { limit } = c.req.valid('query');
  return c.json({ items: await listPublicAnnouncements(c.var.db, limit) }, 200);
});

publicNoticeRoutes.openapi(lodgeObjectionRoute, async (c) => {
  const { expertId } = c.req.valid('param');
  const input = c.req.valid('json');
  throttle(c, OBJECTIONS_PER_ADDRESS, clientAddressOf(c));
  const now = c.var.services.now();
  const lodged = await lodgeObjection(c.var.db, expertId, input, now, toShanghaiDate(now));
  return c.json(
    {
      id: lodged.id,
      expertId,
      status: 'open' as const,
      notice: { start: lodged.notice.start, end: lodged.notice.end },
      message: OBJECTION_LODGED,
    },
    201,
  );
});
