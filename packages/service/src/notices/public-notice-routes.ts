import { formatZhDate, idSchema, toShanghaiDate } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import { experts, noticeObjections } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { createRouter } from '../http/create-router.js';
import { json, jsonBody, problems } from '../http/openapi-helpers.js';
import { randomHex } from '../random-hex.js';
import { clientAddressOf, type ThrottleRule, throttle } from '../self/self-throttle.js';
import { isNoticeOpen } from './notice-gate.js';
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

/** Who lodges an objection: the public, not a key. */
const PUBLIC_ACTOR = { keyId: 'public:objection', authorityId: null } as const;

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

const objectionBodySchema = z
  .object({
    name: z.string().trim().min(1).max(50).openapi({ description: '异议人姓名或单位名称' }),
    contact: z.string().trim().min(3).max(100).openapi({
      description: 'Phone or e-mail for the reply / 联系方式（仅供核实答复，不公开）',
    }),
    reason: z.string().trim().min(5).max(2000).openapi({ description: '异议事实和理由' }),
  })
  .strict()
  .openapi('ObjectionInput');

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
    body: jsonBody(objectionBodySchema),
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
  const today = toShanghaiDate(now);
  const lodged = await c.var.db.transaction(async (tx) => {
    // Locked so that an appointment cannot pass between the check and the insert.
    const [row] = await tx.select().from(experts).where(eq(experts.id, expertId)).for('update');
    const notice = row?.publicNotice ?? null;
    const underNotice =
      row !== undefined &&
      notice !== null &&
      notice.concludedOn === undefined &&
      (notice.purpose === 'renewal'
        ? row.status === 'active' || row.status === 'expired'
        : row.status === 'public_notice');
    if (!underNotice || notice === null) {
      throw new ProblemError('not_found', {
        zh: `专家 ${expertId} 不在公示中`,
        en: `expert ${expertId} is not under public notice`,
      });
    }
    if (!isNoticeOpen(notice, today)) {
      throw new ProblemError(
        'notice_closed',
        {
          zh: `公示期为${formatZhDate(notice.start)}至${formatZhDate(notice.end)}，不在公示期内不能提出异议`,
          en: `objections are accepted from ${notice.start} to ${notice.end} only`,
        },
        { extensions: { start: notice.start, end: notice.end } },
      );
    }
    const id = `obj_${randomHex(8)}`;
    await tx.insert(noticeObjections).values({
      id,
      expertId,
      noticeStart: notice.start,
      noticeEnd: notice.end,
      name: input.name,
      contact: input.contact,
      reason: input.reason,
      status: 'open',
      createdAt: now,
    });
    // The contact stays in the table: the append-only log keeps no way to reach the objector.
    await appendAudit(
      tx,
      {
        actor: PUBLIC_ACTOR,
        action: 'objection.lodged',
        entityType: 'notice_objection',
        entityId: id,
        reason: input.reason,
        after: { expertId, notice: { start: notice.start, end: notice.end }, name: input.name },
      },
      now,
    );
    return { id, notice };
  });
  return c.json(
    {
      id: lodged.id,
      expertId,
      status: 'open' as const,
      notice: { start: lodged.notice.start, end: lodged.notice.end },
      message: {
        zh: '异议已受理，公示单位将核实处理并答复。',
        en: 'The objection was lodged; the authority giving notice will look into it and reply.',
      },
    },
    201,
  );
});
