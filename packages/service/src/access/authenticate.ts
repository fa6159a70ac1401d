import { and, eq, isNull } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { apiKeys, authorities } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { AppEnv, Principal, Role } from '../http/app-env.js';
import { hashApiKey } from './api-key.js';
import { cachedPrincipal, rememberPrincipal } from './principal-cache.js';

const BEARER = /^Bearer[ ]+(\S+)\s*$/i;

/**
 * Reads `Authorization: Bearer <key>`, looks the key up by its hash (or finds it looked up in
 * the last few seconds, see principal-cache.ts) and sets `c.var.principal`; a missing, unknown
 * or revoked key is a 401 problem.
 *
 * @example
 * app.use('/v1/*', authenticate);
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  const secret = header ? BEARER.exec(header)?.[1] : undefined;
  if (!secret) {
    c.header('WWW-Authenticate', 'Bearer');
    throw new ProblemError('unauthenticated', {
      zh: '缺少 API 密钥：请使用 Authorization: Bearer <key>',
      en: 'missing API key: send Authorization: Bearer <key>',
    });
  }
  const keyHash = hashApiKey(secret);
  // Wall-clock time on purpose: the cache's lifetime is real time, not the service's clock.
  const nowMs = Date.now();
  const cached = cachedPrincipal(c.var.db, keyHash, nowMs);
  if (cached !== null) {
    c.set('principal', cached);
    await next();
    return;
  }
  const [row] = await c.var.db
    .select({
      keyId: apiKeys.id,
      role: apiKeys.role,
      authorityId: authorities.id,
      tier: authorities.tier,
      region: authorities.region,
    })
    .from(apiKeys)
    .innerJoin(authorities, eq(authorities.id, apiKeys.authorityId))
    .where(and(eq(apiKeys.secretHash, keyHash), isNull(apiKeys.revokedAt)));
  if (!row) {
    c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
    throw new ProblemError('unauthenticated', {
      zh: 'API 密钥无效或已吊销',
      en: 'the API key is unknown or revoked',
    });
  }
  rememberPrincipal(c.var.db, keyHash, row as Principal, nowMs);
  c.set('principal', row as Principal);
  await next();
});

/**
 * Lets the request through only for the given roles; others get a 403 problem naming the roles.
 *
 * @example
 * createRoute({ method: 'post', path: '/v1/experts', middleware: [requireRole('admin')], … });
 */
export function requireRole(...roles: readonly Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const role = c.var.principal.role;
    if (!roles.includes(role)) {
      throw new ProblemError('forbidden', {
        zh: `角色 ${role} 无权执行此操作（需要：${roles.join('、')}）`,
        en: `role ${role} may not do this (needs ${roles.join(' or ')})`,
      });
    }
    await next();
  });
}

/** True for roles that may see personal data (phone, ID number, birth date). */
export function isPersonalDataRole(role: Role): boolean {
  return role === 'admin' || role === 'auditor';
}
