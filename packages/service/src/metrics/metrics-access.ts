import { createHash, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { authenticate, requireRole } from '../access/authenticate.js';
import type { AppEnv } from '../http/app-env.js';

const BEARER = /^Bearer[ ]+(\S+)\s*$/i;

/**
 * Who may read `/metrics`: the static `METRICS_TOKEN` (Prometheus scrapers send a fixed bearer
 * token), else an admin or auditor API key; no key is a 401 problem, another role a 403.
 *
 * @example
 * createRoute({ method: 'get', path: '/metrics', middleware: [metricsAccess], … });
 */
export const metricsAccess = createMiddleware<AppEnv>(async (c, next) => {
  const token = c.var.services.env.METRICS_TOKEN;
  const header = c.req.header('authorization');
  const secret = header ? BEARER.exec(header)?.[1] : undefined;
  if (token !== undefined && secret !== undefined && isSameSecret(secret, token)) {
    await next();
    return;
  }
  await authenticate(c, async () => {
    await requireRole('admin', 'auditor')(c, next);
  });
});

/** Compares in constant time (over hashes, so that the lengths do not leak either). */
function isSameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
