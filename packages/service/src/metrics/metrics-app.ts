import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Services } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { handleError, handleNotFound } from '../http/error-handler.js';
import { requestContext } from '../http/request-context.js';
import { metricsRoutes } from './metrics-routes.js';

/**
 * `GET /metrics` alone, for a process without the API: the worker serves its job timings and
 * the process metrics on `METRICS_PORT`, with the same access as the API's (the METRICS_TOKEN,
 * or an admin or auditor key). Everything else is a 404 problem.
 *
 * @example
 * serve({ fetch: createMetricsApp(services).fetch, port: env.METRICS_PORT });
 */
export function createMetricsApp(services: Services): OpenAPIHono<AppEnv> {
  const app = createRouter();
  app.use('*', requestContext(services));
  app.route('/', metricsRoutes);
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}
