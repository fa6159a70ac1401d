import { createMiddleware } from 'hono/factory';
import { ProblemError } from '../errors.js';
import type { AppEnv, Role } from '../http/app-env.js';
import { bearerSecretOf, findPrincipal } from './find-principal.js';

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
  const secret = bearerSecretOf(header);
  if (!secret) {
    c.header('WWW-Authenticate', 'Bearer');
    throw new ProblemError('unauthenticated', {
      zh: '缺少 API 密钥：请使用 Authorization: Bearer <key>',
      en: 'missing API key: send Authorization: Bearer <key>',
    });
  }
  const principal = await findPrincipal(c.var.db, secret);
  if (principal === undefined) {
    c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
    throw new ProblemError('unauthenticated', {
      zh: 'API 密钥无效或已吊销',
      en: 'the API key is unknown or revoked',
    });
  }
  c.set('principal', principal);
  await next();
});

/** The roles of each `requireRole` middleware, which the OpenAPI document states per operation. */
const REQUIRED_ROLES = new WeakMap<object, readonly Role[]>();

/**
 * Lets the request through only for the given roles; others get a 403 problem naming the roles.
 *
 * @example
 * createRoute({ method: 'post', path: '/v1/experts', middleware: [requireRole('admin')], … });
 */
export function requireRole(...roles: readonly Role[]) {
  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    const role = c.var.principal.role;
    if (!roles.includes(role)) {
      throw new ProblemError('forbidden', {
        zh: `角色 ${role} 无权执行此操作（需要：${roles.join('、')}）`,
        en: `role ${role} may not do this (needs ${roles.join(' or ')})`,
      });
    }
    await next();
  });
  REQUIRED_ROLES.set(middleware, roles);
  return middleware;
}

/**
 * The roles a handler made by `requireRole` lets through; undefined for any other handler.
 *
 * @example
 * rolesRequiredBy(requireRole('admin', 'auditor')); // ['admin', 'auditor']
 */
export function rolesRequiredBy(handler: unknown): readonly Role[] | undefined {
  return typeof handler === 'function' ? REQUIRED_ROLES.get(handler) : undefined;
}

/** True for roles that may see personal data (phone, ID number, birth date). */
export function isPersonalDataRole(role: Role): boolean {
  return role === 'admin' || role === 'auditor';
}
