import type { OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { authenticate } from './access/authenticate.js';
import { keyRoutes } from './access/key-routes.js';
import { adminSessionRoutes } from './admin/admin-session-routes.js';
import { mountQueueDashboard } from './admin/queue-dashboard.js';
import { applyPageRoutes } from './applications/apply-page.js';
import { expertApplicationRoutes } from './applications/expert-application-routes.js';
import { publicApplicationsRoutes } from './applications/public-applications-routes.js';
import { auditRoutes } from './audit/audit-routes.js';
import { auditCheckpointRoutes } from './audit/checkpoint-routes.js';
import { calendarRoutes } from './calendar/calendar-routes.js';
import { campaignRoutes } from './campaigns/campaign-routes.js';
import { certificateRoutes } from './certificates/certificate-routes.js';
import { publicCertificateRoutes } from './certificates/public-certificate-routes.js';
import { deskKeysRoutes } from './desk/desk-keys-routes.js';
import { deskListsRoutes } from './desk/desk-lists-routes.js';
import { deskPoolImportRoutes } from './desk/desk-pool-import.js';
import { deskPoolRoutes } from './desk/desk-pool-routes.js';
import { deskReportsRoutes } from './desk/desk-reports-routes.js';
import { deskReviewsRoutes } from './desk/desk-reviews-routes.js';
import { deskRoutes } from './desk/desk-routes.js';
import { phoneReplyRoutes } from './dispatch/phone-reply-routes.js';
import { replyRoutes } from './dispatch/reply-routes.js';
import { smsInboundRoutes } from './dispatch/sms-inbound-routes.js';
import { withdrawalRoutes } from './dispatch/withdrawal-routes.js';
import { drawRoutes } from './draws/draw-routes.js';
import { publicDrawVerifyRoutes } from './draws/public-draw-verify-routes.js';
import { evaluationRoutes } from './evaluations/evaluation-routes.js';
import { conflictRoutes } from './experts/conflict-routes.js';
import { contactRoutes } from './experts/contact-routes.js';
import { expertRoutes } from './experts/expert-routes.js';
import { expertImportRoutes } from './experts/import/expert-import-routes.js';
import { expertActionRoutes } from './experts/lifecycle/expert-action-routes.js';
import { healthRoutes } from './health/health-routes.js';
import { mountApiReference } from './http/api-reference.js';
import type { AppEnv, Services } from './http/app-env.js';
import { createRouter } from './http/create-router.js';
import { createDatabaseGate, guardDatabase } from './http/database-gate.js';
import { handleError, handleNotFound } from './http/error-handler.js';
import { limitBody } from './http/limit-body.js';
import { buildOpenApiDocument, type OpenApiDocument } from './http/openapi-document.js';
import { registerPageOperations } from './http/page-operations.js';
import { rateLimit } from './http/rate-limit.js';
import { requestContext } from './http/request-context.js';
import { securityHeaders } from './http/security-headers.js';
import { tokenPageGuard } from './http/token-page-guard.js';
import { createMetrics } from './metrics/create-metrics.js';
import { metricsRoutes } from './metrics/metrics-routes.js';
import { observeHttp } from './metrics/observe-http.js';
import { noticePageRoutes } from './notices/notice-pages.js';
import { objectionRoutes } from './notices/objection-routes.js';
import { publicNoticeRoutes } from './notices/public-notice-routes.js';
import { authorityContactRoutes } from './organizations/authority-contact-routes.js';
import { engagementRoutes } from './organizations/engagement-routes.js';
import { organizationRoutes } from './organizations/organization-routes.js';
import { publicExpertRoutes } from './public/public-expert-routes.js';
import { ratingRoutes } from './ratings/rating-routes.js';
import { recommendationRoutes } from './recommendations/recommendation-routes.js';
import { reportRoutes } from './reports/report-routes.js';
import { declineReviewRoutes } from './reviews/decline-review-routes.js';
import { authorityRuleSetRoutes } from './rule-set/authority-rule-set-routes.js';
import { expertPageRoutes } from './self/expert-page.js';
import { selfCertificateRoutes } from './self/self-certificate-routes.js';
import { selfLoginRoutes } from './self/self-login-routes.js';
import { selfProfileRoutes } from './self/self-profile-routes.js';
import { selfRecordsRoutes } from './self/self-records-routes.js';
import { expertShadowingRoutes } from './tasks/expert-shadowing-routes.js';
import { taskCompletionRoutes } from './tasks/task-completion-routes.js';
import { taskPreviewRoutes } from './tasks/task-preview-routes.js';
import { taskRoutes } from './tasks/task-routes.js';
import { selfWithdrawalApplicationRoutes } from './withdrawals/self-withdrawal-application-routes.js';
import { withdrawalApplicationsRoutes } from './withdrawals/withdrawal-applications-routes.js';
import { withdrawalPageRoutes } from './withdrawals/withdrawal-page.js';

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
  publicDrawVerifyRoutes,
  publicNoticeRoutes,
  noticePageRoutes,
  publicCertificateRoutes,
  selfLoginRoutes,
  selfProfileRoutes,
  selfRecordsRoutes,
  selfCertificateRoutes,
  selfWithdrawalApplicationRoutes,
  withdrawalApplicationsRoutes,
  publicApplicationsRoutes,
  expertApplicationRoutes,
  applyPageRoutes,
  withdrawalPageRoutes,
  expertPageRoutes,
  keyRoutes,
  expertImportRoutes,
  expertRoutes,
  expertActionRoutes,
  certificateRoutes,
  conflictRoutes,
  contactRoutes,
  organizationRoutes,
  engagementRoutes,
  authorityContactRoutes,
  recommendationRoutes,
  objectionRoutes,
  authorityRuleSetRoutes,
  calendarRoutes,
  auditRoutes,
  auditCheckpointRoutes,
  taskPreviewRoutes,
  taskRoutes,
  campaignRoutes,
  taskCompletionRoutes,
  ratingRoutes,
  expertShadowingRoutes,
  drawRoutes,
  replyRoutes,
  phoneReplyRoutes,
  withdrawalRoutes,
  smsInboundRoutes,
  reportRoutes,
  evaluationRoutes,
  declineReviewRoutes,
  deskRoutes,
  // The desk's pool, reviews, lists, reports and keys; the import page before /desk/experts/:id.
  deskPoolImportRoutes,
  deskPoolRoutes,
  deskReviewsRoutes,
  deskListsRoutes,
  deskReportsRoutes,
  deskKeysRoutes,
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
  app.use('*', securityHeaders);
  app.use('*', requestContext(services));
  app.use('*', observeHttp(metrics));
  // PostgreSQL unreachable: a fast 503 with Retry-After for every request until it is back.
  app.use(
    '*',
    guardDatabase(
      createDatabaseGate(() => services.db.execute(sql`select 1`), {
        liveness: services.databaseLiveness,
        answerMs: services.env.DATABASE_CONNECT_TIMEOUT_MS,
      }),
    ),
  );
  app.use('*', limitBody(services.env));
  // The public query of 第十九条 needs no key, so it is rate-limited instead.
  app.use('/v1/public/*', rateLimit({ limit: PUBLIC_REQUESTS_PER_MINUTE, windowMs: 60_000 }));
  // The public notice and announcement pages read the database for anyone: limited alike.
  app.use('/notices', rateLimit({ limit: PUBLIC_REQUESTS_PER_MINUTE, windowMs: 60_000 }));
  app.use('/announcements', rateLimit({ limit: PUBLIC_REQUESTS_PER_MINUTE, windowMs: 60_000 }));
  // The certificate verification page a QR code opens (第十一条) is as public.
  app.use('/certificates/*', rateLimit({ limit: PUBLIC_REQUESTS_PER_MINUTE, windowMs: 60_000 }));
  // The reply and rating links are credentials: never cached, never posted to from elsewhere.
  app.use('/r/*', tokenPageGuard);
  app.use('/rate/*', tokenPageGuard);
  // The expert's pages carry a session cookie: same guard (no-store, no foreign posts).
  app.use('/expert', tokenPageGuard);
  app.use('/expert/*', tokenPageGuard);
  // The notice page's objection form: no foreign posts, nothing cached.
  app.use('/notices/*', tokenPageGuard);
  // The public application form: not cached (personal data), never posted to from elsewhere.
  app.use('/apply', tokenPageGuard);
  // /v1/self/* is the expert's own session (authenticateSelf per route), never an API key.
  app.use('/v1/*', async (c, next) =>
    c.req.path.startsWith('/v1/public/') || c.req.path.startsWith('/v1/self/')
      ? next()
      : authenticate(c, next),
  );
  for (const module of ROUTE_MODULES) app.route('/', module);
  mountQueueDashboard(app, services);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: Authorization: Bearer edk_…',
  });
  registerPageOperations(app);
  // Built once, on first request, when every route is in place.
  let document: OpenApiDocument | undefined;
  app.get('/openapi.json', (c) => {
    document ??= buildOpenApiDocument(app, services.env.PUBLIC_BASE_URL);
    return c.json(document);
  });
  mountApiReference(app);
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}
