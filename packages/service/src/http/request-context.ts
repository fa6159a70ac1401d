import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { routePatternOf } from '../metrics/observe-http.js';
import type { AppEnv, Services } from './app-env.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Puts the services into the context, gives the request an id (the caller's `X-Request-Id`
 * when it is well-formed, else a new UUID), echoes it, and logs one line per request — method,
 * route pattern (`/r/:token`, never the path, which carries tokens and ids), status, duration,
 * key id — never a body or a query string (which may carry a name).
 *
 * @example
 * app.use('*', requestContext(services));
 */
export function requestContext(services: Services) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    c.set('services', services);
    c.set('db', services.db);
    c.set('logger', services.logger);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    c.res.headers.set('X-Request-Id', requestId);
    services.logger.info(
      {
        requestId,
        method: c.req.method,
        route: routePatternOf(c),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        keyId: c.get('principal')?.keyId,
        // With DATABASE_REPLICA_URL: where a report or public read ran (db/read-replica.ts).
        readSource: c.get('readSource'),
      },
      'request',
    );
  });
}
