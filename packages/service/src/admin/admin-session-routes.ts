import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setSignedCookie } from 'hono/cookie';
import { bearerSecretOf, findPrincipal } from '../access/find-principal.js';
import { appendAudit } from '../audit/append-audit.js';
import { page } from '../dispatch/reply-page.js';
import { ProblemError } from '../errors.js';
import { createRouter } from '../http/create-router.js';
import { json, problems } from '../http/openapi-helpers.js';
import { actorOf } from '../tasks/draw-task.js';
import {
  assertDashboardRole,
  SESSION_COOKIE,
  SESSION_SECONDS,
  sessionSecretOf,
} from './admin-access.js';

const TAGS = ['Operations 运维'];
const COOKIE_PATH = '/admin';

const sessionBody = z.object({ key: z.string().min(1).max(200).optional() });

const loginRoute = createRoute({
  method: 'get',
  path: '/admin/login',
  operationId: 'showAdminLogin',
  tags: TAGS,
  summary: 'Sign-in page of the queue dashboard / 队列面板登录页',
  responses: {
    200: { description: 'An HTML form', content: { 'text/html': { schema: z.string() } } },
  },
});

const openSessionRoute = createRoute({
  method: 'post',
  path: '/admin/session',
  operationId: 'openAdminSession',
  tags: TAGS,
  summary: 'Open a dashboard session for a browser / 开启队列面板会话',
  description:
    `A province admin key — as the form field or JSON member \`key\`, or as ` +
    `Authorization: Bearer — buys an HttpOnly, SameSite=Strict cookie for /admin that lasts ` +
    `${SESSION_SECONDS / 60} minutes; the key is checked again on every dashboard request, so ` +
    'revoking it ends the session. A form post is redirected to /admin/queues.',
  // The key comes in the body and assertDashboardRole checks it: a province admin.
  'x-roles': ['admin'],
  request: {
    body: {
      required: false,
      content: {
        'application/json': { schema: sessionBody },
        'application/x-www-form-urlencoded': { schema: sessionBody },
      },
    },
  },
  responses: {
    200: json(z.object({ expiresAt: z.string() }).openapi('AdminSession'), 'Session opened'),
    303: { description: 'Signed in from the form: on to /admin/queues' },
    ...problems(401, 403, 415, 422),
  },
});

const closeSessionRoute = createRoute({
  method: 'delete',
  path: '/admin/session',
  operationId: 'closeAdminSession',
  tags: TAGS,
  summary: 'Close the dashboard session / 退出队列面板',
  responses: { 204: { description: 'Session cookie cleared' } },
});

/** The browser's way into `/admin/queues`: a sign-in form and a short signed session cookie. */
export const adminSessionRoutes = createRouter();

adminSessionRoutes.openapi(loginRoute, (c) =>
  c.html(
    page(
      '队列面板登录 / Queue dashboard sign-in',
      '<h1>队列面板 / Queue dashboard</h1><p>请输入省级管理员 API 密钥。/ Enter a province admin API key.</p>' +
        '<form method="post" action="/admin/session"><label for="key">API 密钥 / key</label>' +
        '<input id="key" name="key" type="password" autocomplete="off" required style="width:100%;font-size:1rem">' +
        '<button type="submit">登录 / Sign in</button></form>',
    ),
    200,
  ),
);

adminSessionRoutes.openapi(openSessionRoute, async (c) => {
  const services = c.var.services;
  const fromForm = c.req.valid('form').key;
  const secret =
    fromForm ?? c.req.valid('json').key ?? bearerSecretOf(c.req.header('authorization'));
  if (!secret) {
    throw new ProblemError('unauthenticated', {
      zh: '缺少 API 密钥：表单字段 key，或请求头 Authorization: Bearer <key>',
      en: 'missing API key: the form field key, or Authorization: Bearer <key>',
    });
  }
  const principal = await findPrincipal(c.var.db, secret);
  if (principal === undefined) {
    throw new ProblemError('unauthenticated', {
      zh: 'API 密钥无效或已吊销',
      en: 'the API key is unknown or revoked',
    });
  }
  assertDashboardRole(principal);
  const now = services.now();
  const expires = Math.floor(now.getTime() / 1000) + SESSION_SECONDS;
  await c.var.db.transaction(async (tx) => {
    await appendAudit(
      tx,
      {
        actor: actorOf(principal),
        action: 'api_key.dashboard_session_opened',
        entityType: 'api_key',
        entityId: principal.keyId,
        before: null,
        after: { expiresAt: new Date(expires * 1000).toISOString() },
      },
      now,
    );
  });
  await setSignedCookie(
    c,
    SESSION_COOKIE,
    `${expires}.${principal.keyId}`,
    sessionSecretOf(services.env.REPLY_LINK_SECRET),
    {
      path: COOKIE_PATH,
      httpOnly: true,
      sameSite: 'Strict',
      secure:
        new URL(c.req.url).protocol === 'https:' ||
        services.env.PUBLIC_BASE_URL.startsWith('https:'),
      maxAge: SESSION_SECONDS,
    },
  );
  if (fromForm !== undefined) return c.redirect('/admin/queues', 303);
  return c.json({ expiresAt: new Date(expires * 1000).toISOString() }, 200);
});

adminSessionRoutes.openapi(closeSessionRoute, (c) => {
  deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH });
  return c.body(null, 204);
});
