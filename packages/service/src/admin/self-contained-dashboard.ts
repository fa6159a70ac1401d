import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/app-env.js';

/**
 * The dashboard page's policy: bull-board's own scripts, styles, images and API calls, all from
 * this origin (its page sets `<base href="/admin/queues/">`, inline style attributes and an inline
 * keyframes style).
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** `<link>` elements that load from another origin (bull-board's Google Fonts sheet). */
const EXTERNAL_LINK = /<link\b[^>]*\bhref="(?:https?:)?\/\/[^"]*"[^>]*>\s*/gi;

/**
 * Removes what bull-board's page would load from the Internet (its web fonts: the page falls back
 * to the machine's fonts) and sets `DASHBOARD_CSP`, so that the dashboard works on an intranet
 * and a browser refuses anything external that a later bull-board version might add.
 *
 * @example
 * withoutExternalLinks('<link href="https://fonts.googleapis.com/css2" rel="stylesheet"><p>');
 * // '<p>'
 */
export function withoutExternalLinks(html: string): string {
  return html.replace(EXTERNAL_LINK, '');
}

/**
 * Rewrites the dashboard's HTML responses as `withoutExternalLinks` says and gives them
 * `DASHBOARD_CSP`; its scripts, styles and JSON pass unchanged.
 *
 * @example
 * app.use('/admin/queues/*', selfContainedDashboard);
 */
export const selfContainedDashboard = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (!(c.res.headers.get('Content-Type') ?? '').startsWith('text/html')) return;
  const html = withoutExternalLinks(await c.res.text());
  const headers = new Headers(c.res.headers);
  headers.delete('Content-Length');
  headers.set('Content-Security-Policy', DASHBOARD_CSP);
  const status = c.res.status;
  // Hono copies the old response's headers over a new one; the old length would be wrong.
  c.res = undefined;
  c.res = new Response(html, { status, headers });
});
