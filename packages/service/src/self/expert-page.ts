import { type Expert, formatZhDate, titles, toShanghaiDate } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { page } from '../dispatch/reply-page.js';
import { ProblemError, problemSchema } from '../errors.js';
import { rowToExpert } from '../experts/expert-row.js';
import { specialtiesZh } from '../experts/specialty-label.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { withdrawalStateLine } from '../withdrawals/withdrawal-page.js';
import { LOGIN_CODE_MINUTES } from './login-code.js';
import { exchangeLoginCode, requestLoginCode } from './self-login-routes.js';
import { changeRecordOf, loadOwnRow } from './self-profile-routes.js';
import { loadSelfRecords, type SelfRecords } from './self-records.js';
import { SELF_COOKIE_SECURITY } from './self-security.js';
import { findSelfExpertId, SELF_COOKIE } from './self-session.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

const TITLE = '专家自助';
const PHONE = /^\+?[0-9][0-9 -]{4,22}$/;
const CODE = /^\d{6}$/;

const phoneForm = (notice = '') =>
  `<h1>${TITLE}</h1>${notice}<p>请输入在专家库登记的手机号，验证码将通过您登记的联系方式发送。</p>` +
  '<form method="post" action="/expert/login"><label for="phone">手机号</label>' +
  '<input id="phone" name="phone" type="tel" autocomplete="tel" required style="width:100%;font-size:1.1rem">' +
  '<button type="submit">获取验证码</button></form>';

const codeForm = (phone: string, notice = '') =>
  `<h1>${TITLE}</h1>${notice}<p>如该手机号属于在库专家，验证码已发送，${LOGIN_CODE_MINUTES} 分钟内有效。</p>` +
  `<form method="post" action="/expert/session"><input type="hidden" name="phone" value="${escapeHtml(phone)}">` +
  '<label for="code">验证码（6 位数字）</label>' +
  '<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required style="width:100%;font-size:1.1rem">' +
  '<button type="submit">登录</button></form><p><a href="/expert">重新获取</a></p>';

const profilePage = (expert: Expert, notice = '') =>
  `<h1>${TITLE}</h1>${notice}<dl id="profile"><dt>姓名</dt><dd>${escapeHtml(expert.name)}</dd>` +
  `<dt>工作单位</dt><dd>${escapeHtml(expert.employer.name)}</dd>` +
  `<dt>职称</dt><dd>${escapeHtml(titles.labels[expert.title].zh)}</dd>` +
  `<dt>专业</dt><dd>${escapeHtml(specialtiesZh(expert.specialties) || '—')}</dd>` +
  `<dt>已申报利害关系</dt><dd>${expert.conflicts.length} 项</dd>` +
  `<dt>信息最近确认</dt><dd id="confirmed" data-at="${escapeHtml(expert.profileUpdatedAt)}">${formatZhDate(toShanghaiDate(expert.profileUpdatedAt))}</dd></dl>` +
  '<p>第八条（一）：专家每年至少登录一次，及时更新个人信息。信息无误请确认；如需修改，请通过接口或联系主管部门。</p>' +
  '<form method="post" action="/expert/confirm"><button type="submit">确认信息无误</button></form>' +
  '<p><a id="withdrawal-link" href="/expert/withdrawal">申请退出专家库（第二十四条）</a></p>';

const zhDateOf = (at: string | null) => (at === null ? '—' : formatZhDate(toShanghaiDate(at)));

/**
 * The expert's own invitations (第十五条): each outcome by its Chinese name as the department's
 * lists count it, with the evidence — whether and when the notice reached them, how the answer
 * came in, the reason claimed and their own words, the department's decision, attendance.
 */
const recordsSection = (records: SelfRecords) => {
  const rows = records.invitations.map((item) => {
    const reply = [
      item.declineReasonLabel === null ? '' : item.declineReasonLabel.zh,
      item.declineNote === null ? '' : `（说明：${item.declineNote}）`,
    ].join('');
    const decided =
      item.review === null
        ? item.outcome === 'declined_pending'
          ? '待认定'
          : '—'
        : `${item.review.decisionLabel.zh}：${item.review.note}`;
    return (
      `<tr data-invitation="${escapeHtml(item.invitationId)}" data-outcome="${escapeHtml(item.outcome)}">` +
      `<td>${escapeHtml(item.taskId)}</td><td>${zhDateOf(item.window.from)}</td>` +
      `<td>${escapeHtml(item.outcomeLabel.zh)}${item.countsTowardRefusals ? '（计入第二十三条（一））' : ''}</td>` +
      `<td>${item.deliveredAt === null ? '未送达' : `${zhDateOf(item.deliveredAt)}送达`}</td>` +
      `<td>${escapeHtml(item.replyChannelLabel?.zh ?? '—')}</td>` +
      `<td>${escapeHtml(reply || '—')}</td><td>${escapeHtml(decided)}</td>` +
      `<td>${escapeHtml(item.attendanceLabel?.zh ?? '—')}</td></tr>`
    );
  });
  return (
    '<h2>我的邀请记录（第十五条）</h2>' +
    (rows.length === 0
      ? '<p id="records-empty">暂无邀请记录。</p>'
      : '<table id="records"><thead><tr><th>任务</th><th>日期</th><th>结果</th><th>通知</th>' +
        '<th>答复方式</th><th>原因与说明</th><th>主管部门认定</th><th>出勤</th></tr></thead>' +
        `<tbody>${rows.join('')}</tbody></table>`) +
    '<p>通知未送达的邀请不计入您的记录；拒绝理由是否正当由主管部门认定（第二十三条（一））。</p>'
  );
};

const html = (c: Context<AppEnv>, body: string, status: 200 | 401 | 422 = 200) =>
  c.html(page(`${TITLE} / Expert self-service`, body), status);

/** The posted form; a body that is no form (malformed multipart, say) reads as empty. */
async function readForm(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  try {
    return await c.req.parseBody();
  } catch {
    return {};
  }
}

async function sessionExpertId(c: Context<AppEnv>): Promise<string | undefined> {
  const token = getCookie(c, SELF_COOKIE);
  return token === undefined ? undefined : findSelfExpertId(c.var.db, token, c.var.services.now());
}

/**
 * The expert's pages (第八条（一））: sign in with a code, see the own profile and confirm it.
 * Server-rendered, no script, no external asset; the session is the HttpOnly cookie.
 */
export const expertPageRoutes = createRouter();

const registry = expertPageRoutes.openAPIRegistry;
const pageTags = ['Expert self-service 专家自助'];
const htmlPage = (description: string) => ({
  description,
  content: { 'text/html': { schema: z.string().openapi({ description: 'A page in Chinese' }) } },
});
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});
const formBody = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/x-www-form-urlencoded': { schema } },
});
const FOREIGN = problem('A form posted from another site / 来自其他网站的提交');
const THROTTLED = problem('Too many attempts / 尝试过于频繁');
const phoneField = z.string().openapi({ description: 'The registered phone' });
registry.registerPath({
  method: 'get',
  path: '/expert',
  operationId: 'showExpertPage',
  tags: pageTags,
  summary: "The expert's page: sign-in, or the own profile to confirm / 专家自助页面",
  description:
    'With the expert_session cookie the own profile and invitation records (outcomes with their evidence, 第十五条), else the phone form. no-store.',
  security: [],
  responses: { 200: htmlPage('The page / 页面') },
});
registry.registerPath({
  method: 'post',
  path: '/expert/login',
  operationId: 'submitExpertLoginForm',
  tags: pageTags,
  summary: 'Ask for a login code from the page / 获取验证码',
  description: 'The same answer for any well-formed phone (no enumeration), then the code form.',
  security: [],
  request: { body: formBody(z.object({ phone: phoneField })) },
  responses: {
    200: htmlPage('The code form / 验证码表单'),
    403: FOREIGN,
    422: htmlPage('Not a phone number / 手机号格式不正确'),
    429: THROTTLED,
  },
});
registry.registerPath({
  method: 'post',
  path: '/expert/session',
  operationId: 'submitExpertCodeForm',
  tags: pageTags,
  summary: 'Sign in with the code from the page / 以验证码登录',
  description:
    'A right code sets the HttpOnly, SameSite=Strict session cookie and goes to /expert.',
  security: [],
  request: {
    body: formBody(
      z.object({ phone: phoneField, code: z.string().openapi({ description: '6 digits' }) }),
    ),
  },
  responses: {
    303: { description: 'Signed in: on to /expert' },
    401: htmlPage('Wrong, used or expired code / 验证码错误、已使用或已过期'),
    403: FOREIGN,
    422: htmlPage('Malformed phone or code / 格式不正确'),
    429: THROTTLED,
  },
});
registry.registerPath({
  method: 'post',
  path: '/expert/confirm',
  operationId: 'submitExpertConfirmForm',
  tags: pageTags,
  summary: 'Confirm the own profile from the page (第八条（一）) / 确认本人信息',
  description: 'Stamps profileUpdatedAt, audited as the expert; needs the session cookie.',
  security: SELF_COOKIE_SECURITY,
  responses: {
    200: htmlPage('Confirmed / 已确认'),
    401: htmlPage('Not signed in / 请先登录'),
    403: FOREIGN,
  },
});

expertPageRoutes.get('/expert', async (c) => {
  const expertId = await sessionExpertId(c);
  if (expertId === undefined) return html(c, phoneForm());
  const expert = rowToExpert(await loadOwnRow(c.var.db, expertId, false));
  const records = await loadSelfRecords(c.var.db, expertId, c.var.services.ruleSet);
  // The state of a withdrawal application (第二十四条), when there is one.
  return html(
    c,
    profilePage(expert, await withdrawalStateLine(c.var.db, expertId)) + recordsSection(records),
  );
});

expertPageRoutes.post('/expert/login', async (c) => {
  const form = await readForm(c);
  const phone = typeof form.phone === 'string' ? form.phone.trim() : '';
  if (!PHONE.test(phone))
    return html(c, phoneForm('<p><strong>手机号格式不正确。</strong></p>'), 422);
  await requestLoginCode(c, phone);
  return html(c, codeForm(phone));
});

expertPageRoutes.post('/expert/session', async (c) => {
  const form = await readForm(c);
  const phone = typeof form.phone === 'string' ? form.phone.trim() : '';
  const code = typeof form.code === 'string' ? form.code.trim() : '';
  if (!PHONE.test(phone))
    return html(c, phoneForm('<p><strong>手机号格式不正确。</strong></p>'), 422);
  const wrong = '<p><strong>验证码错误、已使用或已过期。</strong></p>';
  if (!CODE.test(code)) return html(c, codeForm(phone, wrong), 422);
  try {
    await exchangeLoginCode(c, phone, code);
  } catch (error) {
    if (error instanceof ProblemError && error.code === 'unauthenticated') {
      return html(c, codeForm(phone, wrong), 401);
    }
    throw error;
  }
  return c.redirect('/expert', 303);
});

expertPageRoutes.post('/expert/confirm', async (c) => {
  const expertId = await sessionExpertId(c);
  if (expertId === undefined) return html(c, phoneForm('<p><strong>请先登录。</strong></p>'), 401);
  const expert = await changeRecordOf(c, expertId, 'expert.self_confirmed', null, (e) => e);
  const records = await loadSelfRecords(c.var.db, expertId, c.var.services.ruleSet);
  return html(
    c,
    profilePage(expert, '<p id="done"><strong>已确认，感谢！</strong></p>') +
      recordsSection(records),
  );
});
