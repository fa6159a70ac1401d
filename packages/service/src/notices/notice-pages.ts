import { formatZhDate, toShanghaiDate } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { page } from '../dispatch/reply-page.js';
import { createRouter } from '../http/create-router.js';
import {
  listPublicAnnouncements,
  listPublicNotices,
  type PublicAnnouncement,
  type PublicNotice,
} from './notice-listing.js';

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
    `<dt>专业特长</dt><dd>${escapeHtml(expert.specialties.join('、') || '—')}</dd>` +
    `<dt>所在地</dt><dd>${escapeHtml(expert.regionName)}</dd>`
  );
}

function noticeEntry(notice: PublicNotice): string {
  return (
    `<section class="entry" id="notice-${escapeHtml(notice.expert.id)}">` +
    `<h2>${escapeHtml(notice.expert.name)}（${escapeHtml(notice.purposeLabel.zh)}）</h2><dl>` +
    expertFacts(notice.expert) +
    `<dt>公示期</dt><dd>${formatZhDate(notice.start)}至${formatZhDate(notice.end)}（${notice.workingDays}个工作日）</dd>` +
    `<dt>公示单位</dt><dd>${escapeHtml(notice.authorityName)}</dd></dl></section>`
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

noticePageRoutes.get('/notices', async (c) => {
  const notices = await listPublicNotices(c.var.db, toShanghaiDate(c.var.services.now()));
  const body =
    '<h1>应急管理专家拟聘任公示</h1>' +
    NAV +
    '<p>根据第十条（四），拟聘任（续聘）专家名单公示5个工作日，接受社会监督。' +
    '对公示专家有异议的，请在公示期内实名提出，写明事实和理由并留下联系方式（仅用于核实答复，不公开）。</p>' +
    '<p><small>异议提交接口：POST /v1/public/notices/{专家编号}/objections</small></p>' +
    (notices.length === 0
      ? '<p id="none">目前没有正在公示的专家。</p>'
      : notices.map(noticeEntry).join(''));
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
