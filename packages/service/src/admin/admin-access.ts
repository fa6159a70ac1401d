import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { getSignedCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { authenticate } from '../access/authenticate.js';
import { findPrincipalByKeyId } from '../access/find-principal.js';
import { ProblemError } from '../errors.js';
import type { AppEnv, Principal } from '../http/app-env.js';

/** The cookie of a dashboard session: `<expires epoch s>.<key id>`, HMAC-signed. */
export const SESSION_COOKIE = 'ed_admin_session';
/** How long a dashboard session lasts; the key is checked again on every request. */
export const SESSION_SECONDS = 30 * 60;

/**
 * The session cookie's signing key, derived from `REPLY_LINK_SECRET` (required in production)
 * with its own label, so that no reply-link signature is ever a valid session and the other
 * way round, and every API process behind a load balancer accepts the same cookie.
 *
 * @example
 * const secret = sessionSecretOf(env.REPLY_LINK_SECRET);
 */
export function sessionSecretOf(replyLinkSecret: string): string {
  return createHmac('sha256', replyLinkSecret)
    .update('expert-dispatch admin session v1')
    .digest('hex');
}

/**
 * The dashboard's gate: a province admin key (the queue holds every authority's jobs), sent
 * either as `Authorization: Bearer <key>` or as the session cookie `POST /admin/session` sets
 * for a browser. No key: 401; another role or tier: 403 — problem+json either way.
 *
 * @example
 * app.use('/admin/queues/*', adminAccess);
 */
export const adminAccess = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header('authorization') !== undefined) {
    await authenticate(c, async () => {
      assertDashboardRole(c.var.principal);
      await next();
    });
    return;
  }
  const principal = await principalOfSession(c);
  if (principal === undefined) {
    throw new ProblemError('unauthenticated', {
      zh: '需要省级管理员密钥：请求头 Authorization: Bearer <key>，或在 /admin/login 登录',
      en: 'a province admin key is needed: send Authorization: Bearer <key>, or sign in at /admin/login',
    });
  }
  assertDashboardRole(principal);
  c.set('principal', principal);
  await next();
});

/** Province admins only: the queue is the whole deployment's. */
export function assertDashboardRole(principal: Principal): void {
  if (principal.role !== 'admin' || principal.tier !== 'province') {
    throw new ProblemError('forbidden', {
      zh: `角色 ${principal.role}（${principal.tier}）无权查看队列（需要：省级管理员）`,
      en: `role ${principal.role} (${principal.tier}) may not see the queues (needs a province admin)`,
    });
  }
}

/** The principal of a valid, unexpired session cookie whose key is still live, else none. */
async function principalOfSession(c: Context<AppEnv>): Promise<Principal | undefined> {
  const services = c.var.services;
  const value = await getSignedCookie(
    c,
    sessionSecretOf(services.env.REPLY_LINK_SECRET),
    SESSION_COOKIE,
  );
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{1,12})\.(.{1,128})$/.exec(value);
  if (match === null) return undefined;
  if (Number(match[1]) * 1000 <= services.now().getTime()) return undefined;
  return findPrincipalByKeyId(c.var.db, match[2] ?? '');
}
