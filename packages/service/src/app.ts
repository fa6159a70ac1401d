import type { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import { authenticate } from './access/authenticate.js';
import { keyRoutes } from './access/key-routes.js';
import { adminSessionRoutes } from './admin/admin-session-routes.js';
import { mountQueueDashboard } from './admin/queue-dashboard.js';
import { auditRoutes } from './audit/audit-routes.js';
import { replyRoutes } from './dispatch/reply-routes.js';
import { smsInboundRoutes } from './dispatch/sms-inbound-routes.js';
import { withdrawalRoutes } from './dispatch/withdrawal-routes.js';
import { drawRoutes } from './draws/draw-routes.js';
import { conflictRoutes } from './experts/conflict-routes.js';
import { contactRoutes } from './experts/contact-routes.js';
import { expertRoutes } from './experts/expert-routes.js';
import { expertImportRoutes } from './experts/import/expert-import-routes.js';
import { expertActionRoutes } from './experts/lifecycle/expert-action-routes.js';
import { healthRoutes } from './health/health-routes.js';
import type { AppEnv, Services } from './http/app-env.js';
import { createRouter } from './http/create-router.js';
import { handleError, handleNotFound } from './http/error-handler.js';
import { limitBody } from './http/limit-body.js';
import { rateLimit } from './http/rate-limit.js';
import { requestContext } from './http/request-context.js';
import { createMetrics } from './metrics/create-metrics.js';
import { metricsRoutes } from './metrics/metrics-routes.js';
import { observeHttp } from './metrics/observe-http.js';
import { organizationRoutes } from './organizations/organization-routes.js';
import { publicExpertRoutes } from './public/public-expert-routes.js';
import { ratingRoutes } from './ratings/rating-routes.js';
import { recommendationRoutes } from './recommendations/recommendation-routes.js';
import { reportRoutes } from './reports/report-routes.js';
import { authorityRuleSetRoutes } from './rule-set/authority-rule-set-routes.js';
import { expertShadowingRoutes } from './tasks/expert-shadowing-routes.js';
import { taskCompletionRoutes } from './tasks/task-completion-routes.js';
import { taskRoutes } from './tasks/task-routes.js';

/** Requests per minute per client address on the public query (第十九条). */
export const PUBLIC_REQUESTS_PER_MINUTE = 60;

/**
 * Route modules, mounted in order. The task/draw half adds its modules here (e.g. taskRoutes,
 * drawRoutes); each is a `createRouter()` with full paths such as `/v1/tasks/{id}`.
 * Fixed paths (`/v1/experts/import`) come before parameterised ones (`/v1/experts/{id}`).
 */
const ROUTE_MODULES: readonly OpenAPIHono<AppEnv>[] = [
  healthRoutes,
  metricsRoutes,
  adminSessionRoutes,
  publicExpertRoutes,
  keyRoutes,
  expertImportRoutes,
  expertRoutes,
  expertActionRoutes,
  conflictRoutes,
  contactRoutes,
  organizationRoutes,
  recommendationRoutes,
  authorityRuleSetRoutes,
  auditRoutes,
  taskRoutes,
  taskCompletionRoutes,
  ratingRoutes,
  expertShadowingRoutes,
  drawRoutes,
  replyRoutes,
  withdrawalRoutes,
  smsInboundRoutes,
  reportRoutes,
];

/**
 * The HTTP app over the given services. Tests call `app.request()` on it; `main.ts` serves it.
 *
 * @example
 * const app = createApp(services);
 * const response = await app.request('/healthz'); // 200 {"status":"ok"}
 */
export function createApp(given: Services): OpenAPIHono<AppEnv> {
  // A registry per app unless the process shares one (main.ts: with its dispatch worker).
  const metrics = given.metrics ?? createMetrics();
  const services: Services = { ...given, metrics };
  const app = createRouter();
  app.use('*', requestContext(services));
  app.use('*', observeHttp(metrics));
  app.use('*', limitBody(services.env));
  // The public query of 第十九条 needs no key, so it is rate-limited instead.
  app.use('/v1/public/*', rateLimit({ limit: PUBLIC_REQUESTS_PER_MINUTE, windowMs: 60_000 }));
  app.use('/v1/*', async (c, next) =>
    c.req.path.startsWith('/v1/public/') ? next() : authenticate(c, next),
  );
  for (const module of ROUTE_MODULES) app.route('/', module);
  mountQueueDashboard(app, services);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: Authorization: Bearer edk_…',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Expert Dispatch API / 专家抽取调度服务',
      version: '0.1.0',
      description:
        'The Yunnan industry-and-trade safety expert pool, tasks and verifiable draws ' +
        '(云应急办〔2025〕19号). Errors are RFC 9457 application/problem+json.',
    },
  });
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'Expert Dispatch API' }));
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}
