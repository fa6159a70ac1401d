import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import { ProblemError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import type { Metrics } from './create-metrics.js';

const METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
]);

/**
 * Times every request into `ed_http_request_duration_seconds` by method, route PATTERN
 * (`/v1/tasks/:id`, never the raw path with its ids; `unmatched` for unknown paths) and
 * status. It also counts the draws refused as infeasible (first draws and re-draws), which
 * only the response shows; a replayed refusal is not a new draw.
 *
 * @example
 * app.use('*', observeHttp(metrics));
 */
export function observeHttp(metrics: Metrics) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const end = metrics.httpDuration.startTimer();
    await next();
    end({
      method: METHODS.has(c.req.method) ? c.req.method : 'OTHER',
      route: routePatternOf(c),
      status: String(c.res.status),
    });
    if (isFreshInfeasibleDraw(c.error)) metrics.draws.inc({ outcome: 'infeasible' });
  });
}

/**
 * The pattern of the route that answered: the last matched route that is not a middleware
 * (`app.use` registers for every method, `ALL`).
 *
 * @example
 * routePatternOf(c); // '/v1/tasks/:id' for GET /v1/tasks/t-1
 */
export function routePatternOf(c: Context<AppEnv>): string {
  const route = matchedRoutes(c).findLast((candidate) => candidate.method !== 'ALL');
  return route?.path ?? 'unmatched';
}

function isFreshInfeasibleDraw(error: unknown): boolean {
  return (
    error instanceof ProblemError &&
    error.code === 'panel_infeasible' &&
    error.extensions.replayed !== true
  );
}
