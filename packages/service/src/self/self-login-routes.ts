import { randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { appendAudit } from '../audit/append-audit.js';
import type { Database } from '../db/open-database.js';
import { expertLoginCodes, experts } from '../db/schema.js';
import { enqueueNotices } from '../dispatch/enqueue-notice.js';
import { ProblemError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { json, jsonBody, problems } from '../http/openapi-helpers.js';
import {
  hashLoginCode,
  isLoginCodeMatch,
  LOGIN_CODE_MAX_ATTEMPTS,
  LOGIN_CODE_MINUTES,
  newLoginCode,
  newSalt,
  normalizePhone,
  phoneKeyOf,
} from './login-code.js';
import { openSelfSession, SELF_COOKIE, SELF_SESSION_MINUTES } from './self-session.js';
import {
  clientAddressOf,
  LOGIN_PER_ADDRESS,
  LOGIN_PER_PHONE,
  SESSION_PER_ADDRESS,
  SESSION_PER_PHONE,
  throttle,
} from './self-throttle.js';

export const SELF_TAGS = ['Expert self-service 专家自助'];
const phoneSchema = z
  .string()
  .trim()
  .min(5)
  .max(24)
  .regex(/^\+?[0-9][0-9 -]{4,22}$/);
const loginBody = z.object({ phone: phoneSchema }).strict().openapi('SelfLogin');
const sessionBody = z
  .object({ phone: phoneSchema, code: z.string().regex(/^\d{6}$/, 'expected 6 digits') })
  .strict()
  .openapi('SelfSessionRequest');

const loginRoute = createRoute({
  method: 'post',
  path: '/v1/self/login',
  operationId: 'requestSelfLoginCode',
  tags: SELF_TAGS,
  summary: 'Ask for a one-time login code (第八条（一）) / 获取专家登录验证码',
  description:
    `Always 202, whether or not the phone is an expert's (no account enumeration). An expert's ` +
    `phone gets a 6-digit code, valid ${LOGIN_CODE_MINUTES} minutes and once, and the link of ` +
    `the /expert page, through the expert's own contacts. Throttled per phone and per address.`,
  security: [],
  request: { body: jsonBody(loginBody) },
  responses: {
    202: json(
      z.object({ message: z.object({ zh: z.string(), en: z.string() }) }).openapi('SelfLoginSent'),
      'Accepted (sent if the phone is an expert’s)',
    ),
    ...problems(400, 413, 415, 422, 429),
  },
});

const sessionRoute = createRoute({
  method: 'post',
  path: '/v1/self/session',
  operationId: 'openSelfSession',
  tags: SELF_TAGS,
  summary: 'Exchange a login code for a session / 以验证码登录',
  description:
    `A right code (once, within ${LOGIN_CODE_MINUTES} minutes, before ${LOGIN_CODE_MAX_ATTEMPTS} ` +
    `wrong tries) gives a bearer token for /v1/self/* valid ${SELF_SESSION_MINUTES} minutes, and ` +
    `the same as an HttpOnly, SameSite=Strict cookie for the /expert pages. Any other code: 401.`,
  security: [],
  request: { body: jsonBody(sessionBody) },
  responses: {
    201: json(
      z
        .object({ token: z.string(), expiresAt: z.string(), expertId: z.string() })
        .openapi('SelfSession'),
      'Signed in',
    ),
    ...problems(400, 401, 413, 415, 422, 429),
  },
});

/** Passwordless login of the expert self-service (issue 15 item 1). */
export const selfLoginRoutes = createRouter();

const SENT = {
  zh: '如该手机号属于在库专家，验证码已通过其登记的联系方式发送。',
  en: "if the phone is an expert's, a code was sent through their registered contacts",
};

selfLoginRoutes.openapi(loginRoute, async (c) => {
  await requestLoginCode(c, c.req.valid('json').phone);
  return c.json({ message: SENT }, 202);
});

/**
 * Throttles, then sends a code if the phone is an expert's; the caller answers the same either
 * way (the API and the /expert page).
 *
 * @example
 * await requestLoginCode(c, '13812345678');
 */
export async function requestLoginCode(c: Context<AppEnv>, phone: string): Promise<void> {
  throttle(c, LOGIN_PER_ADDRESS, clientAddressOf(c));
  throttle(c, LOGIN_PER_PHONE, normalizePhone(phone));
  await sendLoginCode(c, phone);
}

/** Writes a code and its notice for the expert of `phone`, if there is one; else nothing. */
async function sendLoginCode(c: Context<AppEnv>, phone: string): Promise<void> {
  const services = c.var.services;
  const now = services.now();
  const expertId = await findExpertIdByPhone(c.var.db, phone);
  if (expertId === undefined) return;
  const code = newLoginCode();
  const salt = newSalt();
  const link = `${services.env.PUBLIC_BASE_URL.replace(/\/$/, '')}/expert`;
  const committed = await c.var.db.transaction(async (tx) => {
    // A new code replaces any earlier one still live: one code per phone at a time.
    await tx
      .update(expertLoginCodes)
      .set({ usedAt: now })
      .where(
        and(eq(expertLoginCodes.phoneKey, phoneKeyOf(phone)), isNull(expertLoginCodes.usedAt)),
      );
    await tx.insert(expertLoginCodes).values({
      id: `lc_${randomBytes(10).toString('hex')}`,
      expertId,
      phoneKey: phoneKeyOf(phone),
      salt,
      codeHash: hashLoginCode(salt, code),
      expiresAt: new Date(now.getTime() + LOGIN_CODE_MINUTES * 60_000),
      createdAt: now,
    });
    return enqueueNotices(
      tx,
      [
        {
          kind: 'self_login',
          recipient: { expertId },
          subject: '专家自助登录验证码',
          body: `您的登录验证码为 ${code}，${LOGIN_CODE_MINUTES} 分钟内有效，仅可使用一次。请在 ${link} 输入。如非本人操作，请忽略。`,
          link,
        },
      ],
      now,
    );
  });
  if (committed.length > 0) services.dispatch?.nudge();
}

async function findExpertIdByPhone(db: Database, phone: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: experts.id })
    .from(experts)
    .where(sql`regexp_replace(${experts.phone}, '[^0-9+]', '', 'g') = ${normalizePhone(phone)}`)
    .orderBy(experts.id)
    .limit(1);
  return row?.id;
}

const WRONG_CODE = new ProblemError('unauthenticated', {
  zh: '验证码错误、已使用或已过期',
  en: 'the code is wrong, used or expired',
});

selfLoginRoutes.openapi(sessionRoute, async (c) => {
  const { phone, code } = c.req.valid('json');
  const opened = await exchangeLoginCode(c, phone, code);
  return c.json(
    { token: opened.token, expiresAt: opened.expiresAt.toISOString(), expertId: opened.expertId },
    201,
  );
});

/**
 * Throttles, then exchanges a live code for a session: sets the HttpOnly, SameSite=Strict cookie
 * and returns the token; a wrong, used or expired code is a 401 (a wrong one counts against
 * the code first).
 *
 * @example
 * const { token } = await exchangeLoginCode(c, '13812345678', '123456');
 */
export async function exchangeLoginCode(
  c: Context<AppEnv>,
  phone: string,
  code: string,
): Promise<{ token: string; expiresAt: Date; expertId: string }> {
  throttle(c, SESSION_PER_ADDRESS, clientAddressOf(c));
  throttle(c, SESSION_PER_PHONE, normalizePhone(phone));
  const services = c.var.services;
  const now = services.now();
  const opened = await c.var.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(expertLoginCodes)
      .where(
        and(
          eq(expertLoginCodes.phoneKey, phoneKeyOf(phone)),
          isNull(expertLoginCodes.usedAt),
          gt(expertLoginCodes.expiresAt, now),
        ),
      )
      .orderBy(desc(expertLoginCodes.createdAt))
      .limit(1)
      .for('update');
    if (row === undefined) return undefined;
    if (!isLoginCodeMatch(row.salt, code, row.codeHash)) {
      const attempts = row.attempts + 1;
      await tx
        .update(expertLoginCodes)
        .set({ attempts, ...(attempts >= LOGIN_CODE_MAX_ATTEMPTS ? { usedAt: now } : {}) })
        .where(eq(expertLoginCodes.id, row.id));
      return undefined;
    }
    await tx.update(expertLoginCodes).set({ usedAt: now }).where(eq(expertLoginCodes.id, row.id));
    const session = await openSelfSession(tx, row.expertId, now);
    await appendAudit(
      tx,
      {
        actor: { keyId: `self:${row.expertId}`, authorityId: null },
        action: 'expert.self_signed_in',
        entityType: 'expert',
        entityId: row.expertId,
      },
      now,
    );
    return { ...session, expertId: row.expertId };
  });
  // The wrong-attempt count is committed before the refusal.
  if (opened === undefined) throw WRONG_CODE;
  setCookie(c, SELF_COOKIE, opened.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    secure: services.env.PUBLIC_BASE_URL.startsWith('https:'),
    maxAge: SELF_SESSION_MINUTES * 60,
  });
  c.header('Cache-Control', 'no-store');
  return opened;
}
