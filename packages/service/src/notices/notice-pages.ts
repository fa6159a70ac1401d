import { formatZhDate, type IsoDate, idSchema, toShanghaiDate } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { page } from '../dispatch/reply-page.js';
import { ProblemError, problemSchema } from '../errors.js';
import { specialtiesZh } from '../experts/specialty-label.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { clientAddressOf, throttle } from '../self/self-throttle.js';
import { lodgeObjection, objectionInputSchema } from './lodge-objection.js';
import {
  listPublicAnnouncements,
  listPublicNotices,
  type PublicAnnouncement,
  type PublicNotice,
} from './notice-listing.js';
import { OBJECTION_LODGED, OBJECTIONS_PER_ADDRESS } from './public-notice-routes.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

/** How many announcements the page shows, newest first. */
const ANNOUNCEMENTS_ON_PAGE = 100;

const NAV = '<p><a href="/notices">公示名单</a> · <a href="/announcements">聘任公告</a></p>';

function expertFacts(expert: PublicNotice['expert']): string {
  return (
    `<dt>工作单位</dt><dd>${escapeHtml(expert.employer.name)}</dd>` +
    `<dt>职称</dt><dd>${escapeHtml(expert.titleLabel.zh)}</dd>` +
    `<dt>专业组</dt><dd>${escapeHtml(expert.groupLabel.zh)}</dd>` +
    `<dt>行业</dt><dd>${escapeHtml(expert.industryLabels.map((l) => l.zh).join('、') || '—')}</dd>` +
    `<dt>专业特长</dt><dd>${escapeHtml(specialtiesZh(expert.specialties) || '—')}</dd>` +
    `<dt>所在地</dt><dd>${escapeHtml(expert.regionName)}</dd>`
  );
}

/** The objection form of a running notice; none before its first day. */
function objectionForm(notice: PublicNotice, today: IsoDate): string {
  if (notice.start > today) return '<p><small>公示尚未开始，开始后可提出异议。</small></p>';
  const id = escapeHtml(notice.expert.id);
  return (
    `<details><summary>对该专家提出异议</summary><form method="post" action="/notices/${id}/objections">` +
    `<label for="name-${id}">姓名或单位</label><input id="name-${id}" name="name" required maxlength="50" style="width:100%">` +
    `<label for="contact-${id}">联系方式（仅用于核实答复，不公开）</label><input id="contact-${id}" name="contact" required maxlength="100" style="width:100%">` +
    `<label for="reason-${id}">事实和理由</label><textarea id="reason-${id}" name="reason" required minlength="5" maxlength="2000"></textarea>` +
    '<button type="submit">提交异议</button></form></details>'
  );
}

function noticeEntry(notice: PublicNotice, today: IsoDate): string {
  return (
    `<section class="entry" id="notice-${escapeHtml(notice.expert.id)}">` +
    `<h2>${escapeHtml(notice.expert.name)}（${escapeHtml(notice.purposeLabel.zh)}）</h2><dl>` +
    expertFacts(notice.expert) +
    `<dt>公示期</dt><dd>${formatZhDate(notice.start)}至${formatZhDate(notice.end)}（${notice.workingDays}个工作日）</dd>` +
    `<dt>公示单位</dt><dd>${escapeHtml(notice.authorityName)}</dd></dl>` +
    objectionForm(notice, today) +
    '</section>'
  );
}

function announcementEntry(announcement: PublicAnnouncement): string {
  return (
    `<section class="entry"><h2>${escapeHtml(announcement.expert.name)}（${escapeHtml(announcement.kindLabel.zh)}）</h2><dl>` +
    expertFacts(announcement.expert) +
    `<dt>聘期</dt><dd>${formatZhDate(announcement.term.from)}至${formatZhDate(announcement.term.to)}</dd>` +
    `<dt>公告日期</dt><dd>${formatZhDate(announcement.announcedOn)}</dd>` +
    `<dt>聘任单位</dt><dd>${escapeHtml(announcement.authorityName)}</dd></dl></section>`
  );
}

/**
 * The public pages of 公示 (第十条（四）) and 公告 (第十条（五）, 第十一条): server-rendered, no
 * script, public fields only, readable on a phone.
 */
export const noticePageRoutes = createRouter();

const registry = noticePageRoutes.openAPIRegistry;
const htmlPage = (description: string) => ({
  description,
  content: { 'text/html': { schema: z.string().openapi({ description: 'A page in Chinese' }) } },
});
const pageTags = ['Public 公众查询'];

registry.registerPath({
  method: 'get',
  path: '/notices',
  operationId: 'showNoticesPage',
  tags: pageTags,
  summary: 'The public notice page (第十条（四）, 第十一条) / 专家拟聘任公示',
  description:
    'The experts under notice with their public fields and the notice’s first and last working ' +
    'day; how to lodge an objection.',
  security: [],
  responses: { 200: htmlPage('The page / 页面') },
});
registry.registerPath({
  method: 'get',
  path: '/announcements',
  operationId: 'showAnnouncementsPage',
  tags: pageTags,
  summary: 'The announcement page (第十条（五）, 第十一条) / 专家聘任公告',
  description: 'Appointments and renewals announced after their notice, with the term.',
  security: [],
  responses: { 200: htmlPage('The page / 页面') },
});

registry.registerPath({
  method: 'post',
  path: '/notices/{expertId}/objections',
  operationId: 'submitObjectionForm',
  tags: pageTags,
  summary: 'The notice page’s objection form (第十条（四）) / 提交公示异议',
  description:
    'Posted by the notice page; the same rules as the API: inside the window only, 5 an hour ' +
    'per address, the contact never shown. A post from another site is refused (403 problem).',
  security: [],
  request: {
    params: z.object({ expertId: idSchema }),
    body: {
      required: true,
      content: { 'application/x-www-form-urlencoded': { schema: objectionInputSchema } },
    },
  },
  responses: {
    200: htmlPage('The objection was lodged / 异议已受理'),
    403: {
      description: 'A form posted from another site / 来自其他网站的提交',
      content: { 'application/problem+json': { schema: problemSchema } },
    },
    404: htmlPage('The expert is not under notice / 该专家不在公示中'),
    409: htmlPage('Outside the notice / 不在公示期内'),
    422: htmlPage('A field is missing or too long / 请完整填写'),
    429: htmlPage('Too many objections from this address / 提交过于频繁'),
  },
});

const answer = (c: Context<AppEnv>, text: string, status: 200 | 404 | 409 | 422 | 429) =>
  c.html(
    page('公示异议 / Objection', `<h1>公示异议</h1><p id="answer">${escapeHtml(text)}</p>${NAV}`),
    status,
  );

/** The posted form; a body that is no form reads as empty. */
async function readForm(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  try {
    return await c.req.parseBody();
  } catch {
    return {};
  }
}

noticePageRoutes.post('/notices/:expertId/objections', async (c) => {
  const expertId = idSchema.safeParse(c.req.param('expertId'));
  if (!expertId.success) return answer(c, '该专家不在公示中。', 404);
  const form = await readForm(c);
  const input = objectionInputSchema.safeParse({
    name: form.name,
    contact: form.contact,
    reason: form.reason,
  });
  if (!input.success) {
    return answer(c, '请填写姓名或单位、联系方式，以及不少于5个字的事实和理由。', 422);
  }
  const now = c.var.services.now();
  try {
    throttle(c, OBJECTIONS_PER_ADDRESS, clientAddressOf(c));
    await lodgeObjection(c.var.db, expertId.data, input.data, now, toShanghaiDate(now));
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    if (error.code === 'rate_limited') return answer(c, error.detail.zh, 429);
    if (error.code === 'not_found') return answer(c, '该专家不在公示中。', 404);
    if (error.code === 'notice_closed') return answer(c, error.detail.zh, 409);
    throw error;
  }
  return answer(c, OBJECTION_LODGED.zh, 200);
});

noticePageRoutes.get('/notices', async (c) => {
  const today = toShanghaiDate(c.var.services.now());
  const notices = await listPublicNotices(c.var.db, today);
  const body =
    '<h1>应急管理专家拟聘任公示</h1>' +
    NAV +
    '<p>根据第十条（四），拟聘任（续聘）专家名单公示5个工作日，接受社会监督。' +
    '对公示专家有异议的，请在公示期内实名提出，写明事实和理由并留下联系方式（仅用于核实答复，不公开）。</p>' +
    (notices.length === 0
      ? '<p id="none">目前没有正在公示的专家。</p>'
      : notices.map((notice) => noticeEntry(notice, today)).join(''));
  return c.html(page('专家公示 / Public notice', body), 200);
});

noticePageRoutes.get('/announcements', async (c) => {
  const announcements = await listPublicAnnouncements(c.var.db, ANNOUNCEMENTS_ON_PAGE);
  const body =
    '<h1>应急管理专家聘任公告</h1>' +
    NAV +
    '<p>经公示无异议的专家予以聘任（续聘），聘期三年，颁发聘书；聘书盖章后生效（第十条（五）、第十一条）。</p>' +
    (announcements.length === 0
      ? '<p id="none">暂无公告。</p>'
      : announcements.map(announcementEntry).join(''));
  return c.html(page('专家聘任公告 / Announcements', body), 200);
});
