import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import type { Context } from 'hono';
import { bearerSecretOf } from '../access/find-principal.js';
import type { Database, Transaction } from '../db/open-database.js';
import { expertSessions } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';

/** How long an expert session lasts: short, a code buys a new one. */
export const SELF_SESSION_MINUTES = 60;
/** The pages' session cookie (HttpOnly, SameSite=Strict). */
export const SELF_COOKIE = 'expert_session';
/** Self tokens are told apart from API keys (`edk_`) at a glance. */
const TOKEN_PREFIX = 'eds_';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Opens a session for an expert and returns its bearer token; only its hash is stored.
 *
 * @example
 * const { token, expiresAt } = await openSelfSession(tx, 'e-1', now);
 */
export async function openSelfSession(
  tx: Transaction,
  expertId: string,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('hex')}`;
  const expiresAt = new Date(now.getTime() + SELF_SESSION_MINUTES * 60_000);
  await tx
    .insert(expertSessions)
    .values({ tokenHash: hashToken(token), expertId, expiresAt, createdAt: now });
  return { token, expiresAt };
}

/**
 * The expert a live session token belongs to, else none. API keys are never found here, and
 * self tokens are never found among API keys: the two kinds of principal cannot stand in for
 * each other.
 *
 * @example
 * await findSelfExpertId(db, 'eds_…', now); // 'e-1' or undefined
 */
export async function findSelfExpertId(
  db: Database,
  token: string,
  now: Date,
): Promise<string | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const [row] = await db
    .select({ expertId: expertSessions.expertId })
    .from(expertSessions)
    .where(and(eq(expertSessions.tokenHash, hashToken(token)), gt(expertSessions.expiresAt, now)));
  return row?.expertId;
}

/**
 * The expert of the request's session token (`Authorization: Bearer eds_…`); anything else —
 * no token, an expired one, an API key — is a 401. Called by each /v1/self handler after its
 * input is validated, so a malformed body is a 400/415/422 like everywhere else.
 *
 * @example
 * const expertId = await requireSelfExpert(c);
 */
export async function requireSelfExpert(c: Context<AppEnv>): Promise<string> {
  const token = bearerSecretOf(c.req.header('authorization'));
  const expertId =
    token === undefined ? undefined : await findSelfExpertId(c.var.db, token, c.var.services.now());
  if (expertId === undefined) {
    c.header('WWW-Authenticate', token === undefined ? 'Bearer' : 'Bearer error="invalid_token"');
    throw new ProblemError('unauthenticated', {
      zh: '请先用验证码登录（专家本人会话）',
      en: "sign in with a login code first (the expert's own session)",
    });
  }
  return expertId;
}
