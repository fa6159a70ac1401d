import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { isForeignSubmission } from '../http/token-page-guard.js';
import { deskLang, escapeHtml, renderDesk, t } from './desk-layout.js';
import {
  closeDeskSession,
  openDeskSession,
  readDeskSession,
  requireDeskSession,
} from './desk-session.js';

/** Where a sign-in may lead: a desk path of this service, never another site. */
function safeNext(value: unknown): string {
  return typeof value === 'string' &&
    /^\/desk(\/[A-Za-z0-9_./-]*)?$/.test(value) &&
    !value.includes('//')
    ? value
    : '/desk';
}

function loginPage(c: Context<AppEnv>, next: string, error?: { zh: string; en: string }) {
  const lang = deskLang(c);
  const notice =
    error === undefined
      ? ''
      : `<p class="notice error" role="alert">${escapeHtml(t(lang, error))}</p>`;
  const body =
    `<h1>${t(lang, { zh: '登录调度台', en: 'Sign in to the dispatch desk' })}</h1>${notice}` +
    `<p>${t(lang, {
      zh: '请输入本单位的 API 密钥。密钥的单位和角色决定您能看到和操作的内容；密钥仅用于换取本浏览器的会话，不会保存在页面中。',
      en: "Enter your authority's API key. Its authority and role decide what you see and may do; the key only buys this browser a session and is not kept in the page.",
    })}</p>` +
    `<form method="post" action="/desk/login"><input type="hidden" name="next" value="${escapeHtml(next)}">` +
    `<label for="key">${t(lang, { zh: 'API 密钥', en: 'API key' })}</label>` +
    '<input id="key" name="key" type="password" autocomplete="off" required>' +
    `<p><button type="submit">${t(lang, { zh: '登录', en: 'Sign in' })}</button></p></form>`;
  return renderDesk(
    c,
    undefined,
    { title: { zh: '登录', en: 'Sign in' }, body },
    error === undefined ? 200 : 401,
  );
}

/** The desk's way in and out: an API key for a session cookie, and back. */
export const deskLoginRoutes = createRouter();

deskLoginRoutes.get('/desk', async (c) => {
  const session = await readDeskSession(c);
  if (session === undefined) return c.redirect('/desk/login', 303);
  return c.redirect(session.principal.role === 'dispatcher' ? '/desk/request' : '/desk/tasks', 303);
});

deskLoginRoutes.get('/desk/login', (c) => loginPage(c, safeNext(c.req.query('next'))));

deskLoginRoutes.post('/desk/login', async (c) => {
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch {
    form = {};
  }
  const next = safeNext(form.next);
  const foreign = isForeignSubmission({
    origin: c.req.header('origin'),
    host: c.req.header('host'),
    publicBaseUrl: c.var.services.env.PUBLIC_BASE_URL,
    fetchSite: c.req.header('sec-fetch-site'),
  });
  if (foreign) {
    return loginPage(c, next, {
      zh: '拒绝来自其他网站的登录请求',
      en: 'a sign-in from another site is refused',
    });
  }
  const key = typeof form.key === 'string' ? form.key.trim() : '';
  const session = key.length > 0 && key.length <= 200 ? await openDeskSession(c, key) : undefined;
  if (session === undefined) {
    return loginPage(c, next, {
      zh: 'API 密钥无效或已吊销',
      en: 'the API key is unknown or revoked',
    });
  }
  return c.redirect(next, 303);
});

deskLoginRoutes.post('/desk/logout', requireDeskSession(), (c) => {
  closeDeskSession(c);
  return c.redirect('/desk/login', 303);
});
