import { createRoute, z } from '@hono/zod-openapi';
import { ProblemError } from '../errors.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, problems } from '../http/openapi-helpers.js';
import { metricsAccess } from './metrics-access.js';
import { refreshGauges } from './refresh-gauges.js';

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  tags: ['Operations 运维'],
  summary: 'Prometheus metrics / 运行指标',
  description:
    'The Prometheus text format: HTTP latency by route, draws by outcome, invitations by ' +
    'state, queue depth and job latency, outbox lag, notifications failed by channel, and the ' +
    'process metrics. Send an admin or auditor key, or the METRICS_TOKEN, as a bearer token.',
  security: BEARER_SECURITY,
  // metricsAccess checks the roles itself (or the METRICS_TOKEN), so they are stated here.
  'x-roles': ['admin', 'auditor'],
  middleware: [metricsAccess] as const,
  responses: {
    200: {
      description: 'The metrics / 指标',
      content: { 'text/plain': { schema: z.string() } },
    },
    ...problems(401, 403),
  },
});

/** `GET /metrics`. */
export const metricsRoutes = createRouter();

metricsRoutes.openapi(metricsRoute, async (c) => {
  const { metrics, queue, now } = c.var.services;
  if (metrics === undefined) {
    throw new ProblemError('service_unavailable', {
      zh: '本进程未启用指标',
      en: 'metrics are not enabled in this process',
    });
  }
  metrics.startProcessMetrics();
  await refreshGauges(metrics, { db: c.var.db, queue, now: now() });
  return c.text(await metrics.registry.metrics(), 200, {
    'Content-Type': metrics.registry.contentType,
  });
});
