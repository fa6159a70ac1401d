import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { ProblemError } from '../errors.js';
import { createRouter } from '../http/create-router.js';
import { json, problems } from '../http/openapi-helpers.js';

const REDIS_TIMEOUT_MS = 1000;
const DATABASE_TIMEOUT_MS = 2000;

const healthSchema = z.object({ status: z.literal('ok') }).openapi('Health');
const readySchema = z
  .object({
    status: z.literal('ok'),
    database: z.literal('ok'),
    redis: z.enum(['ok', 'not_configured']),
  })
  .openapi('Ready');

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags: ['Operations 运维'],
  summary: 'The process is up / 进程存活',
  responses: { 200: json(healthSchema, 'Alive') },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  tags: ['Operations 运维'],
  summary: 'The database (and Redis, when configured) answer / 依赖就绪',
  description:
    'A 503 problem names the dependency that does not answer in `dependency` ' +
    '(`database` or `redis`), so that a load balancer takes the instance out of rotation.',
  responses: { 200: json(readySchema, 'Ready'), ...problems(503) },
});

/** `/healthz` and `/readyz`. */
export const healthRoutes = createRouter();

healthRoutes.openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200));

healthRoutes.openapi(readyRoute, async (c) => {
  // Bounded: a database behind a broken network would otherwise hold the probe for its
  // connect timeout (30 s), longer than any load balancer waits.
  const ping = async () => {
    await c.var.db.execute(sql`select 1`);
    return true;
  };
  const database = await withTimeout(ping(), DATABASE_TIMEOUT_MS).catch(() => false);
  if (!database) {
    throw new ProblemError(
      'service_unavailable',
      { zh: '数据库无响应', en: 'the database does not answer' },
      { extensions: { dependency: 'database' } },
    );
  }
  const redis = c.var.services.redis;
  if (redis) {
    const answered = await withTimeout(redis.ping(), REDIS_TIMEOUT_MS).catch(() => false);
    if (answered !== 'PONG') {
      throw new ProblemError(
        'service_unavailable',
        { zh: 'Redis 无响应', en: 'Redis does not answer' },
        { extensions: { dependency: 'redis' } },
      );
    }
  }
  return c.json(
    {
      status: 'ok' as const,
      database: 'ok' as const,
      redis: redis ? ('ok' as const) : ('not_configured' as const),
    },
    200,
  );
});

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | false> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
