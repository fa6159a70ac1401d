import { type Expert, titles } from '@expert-dispatch/rules';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { page } from '../dispatch/reply-page.js';
import { ProblemError } from '../errors.js';
import { rowToExpert } from '../experts/expert-row.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { LOGIN_CODE_MINUTES } from './login-code.js';
import { exchangeLoginCode, requestLoginCode } from './self-login-routes.js';
import { changeRecordOf, loadOwnRow } from './self-profile-routes.js';
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
  `<dt>专业</dt><dd>${escapeHtml(expert.specialties.join('、') || '—')}</dd>` +
  `<dt>已申报利害关系</dt><dd>${expert.conflicts.length} 项</dd>` +
  `<dt>信息最近确认</dt><dd id="confirmed">${escapeHtml(expert.profileUpdatedAt)}</dd></dl>` +
  '<p>第八条（一）：专家每年至少登录一次，及时更新个人信息。信息无误请确认；如需修改，请通过接口或联系主管部门。</p>' +
  '<form method="post" action="/expert/confirm"><button type="submit">确认信息无误</button></form>';

const html = (c: Context<AppEnv>, body: string, status: 200 | 401 | 422 = 200) =>
  c.html(page(`${TITLE} / Expert self-service`, body), status);

async function sessionExpertId(c: Context<AppEnv>): Promise<string | undefined> {
  const token = getCookie(c, SELF_COOKIE);
  return token === undefined ? undefined : findSelfExpertId(c.var.db, token, c.var.services.now());
}

/**
 * The expert's pages (第八条（一））: sign in with a code, see the own profile and confirm it.
 * Server-rendered, no script, no external asset; the session is the HttpOnly cookie.
 */
export const expertPageRoutes = createRouter();

expertPageRoutes.get('/expert', async (c) => {
  const expertId = await sessionExpertId(c);
  if (expertId === undefined) return html(c, phoneForm());
  return html(c, profilePage(rowToExpert(await loadOwnRow(c.var.db, expertId, false))));
});

expertPageRoutes.post('/expert/login', async (c) => {
  const form = await c.req.parseBody();
  const phone = typeof form.phone === 'string' ? form.phone.trim() : '';
  if (!PHONE.test(phone))
    return html(c, phoneForm('<p><strong>手机号格式不正确。</strong></p>'), 422);
  await requestLoginCode(c, phone);
  return html(c, codeForm(phone));
});

expertPageRoutes.post('/expert/session', async (c) => {
  const form = await c.req.parseBody();
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
  return html(c, profilePage(expert, '<p id="done"><strong>已确认，感谢！</strong></p>'));
});
