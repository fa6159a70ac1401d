import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env.js';

/**
 * The policy of the service's own pages (reply, rating, sign-in, reports, errors): no script at
 * all, their one inline style sheet, forms posting back to this origin, never framed.
 */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The policy of responses that are not HTML (JSON, CSV, scripts): nothing to load, never framed. */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";

const isHtml = (contentType: string | null) => contentType?.startsWith('text/html') ?? false;

/**
 * Security headers on every response: `X-Content-Type-Options: nosniff`,
 * `Referrer-Policy: no-referrer` (token links never leak through a Referer) and a
 * Content-Security-Policy that names no other origin — `PAGE_CSP` on HTML unless the route set
 * its own (the API reference and the queue dashboard do), `DATA_CSP` elsewhere. A policy a route
 * set without `frame-ancestors` gets `frame-ancestors 'none'` added: no page is ever framed.
 *
 * @example
 * app.use('*', securityHeaders);
 */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const headers = c.res.headers;
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Referrer-Policy', 'no-referrer');
  headers.set('X-Frame-Options', 'DENY');
  const given = headers.get('Content-Security-Policy');
  if (given === null) {
    headers.set(
      'Content-Security-Policy',
      isHtml(headers.get('Content-Type')) ? PAGE_CSP : DATA_CSP,
    );
  } else if (!/(^|;)\s*frame-ancestors\s/.test(given)) {
    headers.set('Content-Security-Policy', `${given}; frame-ancestors 'none'`);
  }
});
