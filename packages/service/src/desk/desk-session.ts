import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { findPrincipal, findPrincipalByKeyId } from '../access/find-principal.js';
import { appendAudit } from '../audit/append-audit.js';
import { authorities } from '../db/schema.js';
import type { AppEnv, Principal, Role } from '../http/app-env.js';
import { isForeignSubmission } from '../http/token-page-guard.js';
import { actorOf } from '../tasks/draw-task.js';

/** The desk's session cookie: `<expires epoch s>.<key id>.<nonce>`, HMAC-signed, path /desk. */
export const DESK_COOKIE = 'ed_desk_session';
/** The desk's language cookie (`zh` or `en`), set by `?lang=`. */
export const DESK_LANG_COOKIE = 'ed_desk_lang';
/** A desk session lasts a working morning; the key is checked again on every request. */
export const DESK_SESSION_SECONDS = 4 * 60 * 60;
/** The hidden form field every desk form posts its CSRF token in. */
export const CSRF_FIELD = '_csrf';
const COOKIE_PATH = '/desk';

/** A signed-in desk user: the key's principal, its authority's name and the forms' CSRF token. */
export interface DeskSession {
  readonly principal: Principal;
  readonly authorityName: string;
  readonly csrf: string;
}

/** Sessions of requests that passed `requireDeskSession`; pages read theirs with `deskSessionOf`. */
const SESSIONS = new WeakMap<object, DeskSession>();

/**
 * The cookie's signing key, derived from `REPLY_LINK_SECRET` with its own label: no reply-link
 * signature or /admin session is ever a valid desk session.
 *
 * @example
 * const secret = deskSecretOf(env.REPLY_LINK_SECRET);
 */
export function deskSecretOf(replyLinkSecret: string): string {
  return createHmac('sha256', replyLinkSecret)
    .update('expert-dispatch desk session v1')
    .digest('hex');
}

/** The CSRF token of a session: bound to the cookie value, so it dies with the session. */
function csrfOf(secret: string, cookieValue: string): string {
  return createHmac('sha256', secret).update(`csrf|${cookieValue}`).digest('hex').slice(0, 40);
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function authorityNameOf(c: Context<AppEnv>, authorityId: string): Promise<string> {
  const [row] = await c.var.db
    .select({ name: authorities.name })
    .from(authorities)
    .where(eq(authorities.id, authorityId));
  return row?.name ?? authorityId;
}

/** The session of a valid, unexpired cookie whose key is still live, else none. */
export async function readDeskSession(c: Context<AppEnv>): Promise<DeskSession | undefined> {
  const known = SESSIONS.get(c);
  if (known !== undefined) return known;
  const secret = deskSecretOf(c.var.services.env.REPLY_LINK_SECRET);
  const value = await getSignedCookie(c, secret, DESK_COOKIE);
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{1,128})\.([0-9a-f]{16,64})$/.exec(value);
  if (match === null) return undefined;
  if (Number(match[1]) * 1000 <= c.var.services.now().getTime()) return undefined;
  const principal = await findPrincipalByKeyId(c.var.db, match[2] ?? '');
  if (principal === undefined) return undefined;
  const session = {
    principal,
    authorityName: await authorityNameOf(c, principal.authorityId),
    csrf: csrfOf(secret, value),
  };
  SESSIONS.set(c, session);
  return session;
}

/**
 * Exchanges an API key for a desk session: an HttpOnly, SameSite=Strict, signed cookie on /desk,
 * audited as `api_key.desk_session_opened`. Undefined when the key is unknown or revoked.
 *
 * @example
 * const session = await openDeskSession(c, form.key);
 * if (session === undefined) return showLogin(c, '密钥无效');
 */
export async function openDeskSession(
  c: Context<AppEnv>,
  keySecret: string,
): Promise<DeskSession | undefined> {
  const services = c.var.services;
  const principal = await findPrincipal(c.var.db, keySecret);
  if (principal === undefined) return undefined;
  const now = services.now();
  const expires = Math.floor(now.getTime() / 1000) + DESK_SESSION_SECONDS;
  await c.var.db.transaction(async (tx) => {
    await appendAudit(
      tx,
      {
        actor: actorOf(principal),
        action: 'api_key.desk_session_opened',
        entityType: 'api_key',
        entityId: principal.keyId,
        before: null,
        after: { expiresAt: new Date(expires * 1000).toISOString() },
      },
      now,
    );
  });
  const secret = deskSecretOf(services.env.REPLY_LINK_SECRET);
  const value = `${expires}.${principal.keyId}.${randomBytes(12).toString('hex')}`;
  await setSignedCookie(c, DESK_COOKIE, value, secret, {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: 'Strict',
    secure:
      new URL(c.req.url).protocol === 'https:' || services.env.PUBLIC_BASE_URL.startsWith('https:'),
    maxAge: DESK_SESSION_SECONDS,
  });
  const session = {
    principal,
    authorityName: await authorityNameOf(c, principal.authorityId),
    csrf: csrfOf(secret, value),
  };
  SESSIONS.set(c, session);
  return session;
}

/** Ends the desk session in this browser (the cookie is cleared). */
export function closeDeskSession(c: Context<AppEnv>): void {
  deleteCookie(c, DESK_COOKIE, { path: COOKIE_PATH });
}

/**
 * The session `requireDeskSession` let through. Throws when used on a route without it.
 *
 * @example
 * const { principal, csrf } = deskSessionOf(c);
 */
export function deskSessionOf(c: Context<AppEnv>): DeskSession {
  const session = SESSIONS.get(c);
  if (session === undefined)
    throw new Error('deskSessionOf used on a route without requireDeskSession');
  return session;
}

/** A plain page for the guard's refusals (the layout needs a session, these have none). */
function refusal(c: Context<AppEnv>, status: 401 | 403, zh: string, en: string) {
  c.header('Cache-Control', 'no-store');
  return c.html(
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${zh} / ${en}</title></head><body><main><h1>${zh}</h1><p lang="en">${en}</p><p><a href="/desk/login">登录 / Sign in</a> · <a href="/desk">调度台 / Desk</a></p></main></body></html>`,
    status,
  );
}

/**
 * The desk's gate. A page without a session is sent to /desk/login (a POST gets 401); a role
 * not listed gets 403; a POST must come from this origin and carry the form's `_csrf` token.
 * Pages then read `deskSessionOf(c)`; `c.var.principal` is set too, as for /v1 routes, so the
 * service's own functions see the same principal an API call would.
 *
 * @example
 * deskRoutes.get('/desk/tasks/:id', requireDeskSession('dispatcher', 'viewer'), handler);
 */
export function requireDeskSession(...roles: readonly Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.header('Cache-Control', 'no-store');
    const session = await readDeskSession(c);
    const isPost = c.req.method !== 'GET' && c.req.method !== 'HEAD';
    if (session === undefined) {
      if (!isPost) {
        const back = encodeURIComponent(new URL(c.req.url).pathname);
        return c.redirect(`/desk/login?next=${back}`, 303);
      }
      return refusal(c, 401, '请先登录调度台', 'Sign in to the desk first');
    }
    if (roles.length > 0 && !roles.includes(session.principal.role)) {
      return refusal(
        c,
        403,
        `角色 ${session.principal.role} 无权执行此操作`,
        `role ${session.principal.role} may not do this (needs ${roles.join(' or ')})`,
      );
    }
    if (isPost) {
      const foreign = isForeignSubmission({
        origin: c.req.header('origin'),
        host: c.req.header('host'),
        publicBaseUrl: c.var.services.env.PUBLIC_BASE_URL,
        fetchSite: c.req.header('sec-fetch-site'),
      });
      let token: unknown;
      try {
        token = (await c.req.parseBody())[CSRF_FIELD];
      } catch {
        token = undefined;
      }
      if (foreign || typeof token !== 'string' || !sameToken(token, session.csrf)) {
        return refusal(
          c,
          403,
          '表单已过期或来自其他网站，请刷新页面后重试',
          'the form expired or came from another site: reload the page and try again',
        );
      }
    }
    c.set('principal', session.principal);
    await next();
    return undefined;
  });
}
