import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ProblemError } from '../errors.js';
import type { AppEnv } from './app-env.js';

/** `Sec-Fetch-Site` values a browser sends for a request another site started. */
const FOREIGN_FETCH_SITES = new Set(['cross-site', 'same-site']);

/**
 * Whether a form post comes from a page of another origin: its `Origin` is neither
 * `PUBLIC_BASE_URL`'s origin nor on the host the request was sent to (a TLS-terminating proxy
 * changes the scheme, not the host). Under `Referrer-Policy: no-referrer` a browser sends
 * `Origin: null` even for our own forms; then the browser's `Sec-Fetch-Site` decides. A client
 * that sends neither header (curl, a gateway) is not a browser page and is let through.
 *
 * @example
 * isForeignSubmission({ origin: 'https://evil.example', host: 'dispatch.gov.cn',
 *   publicBaseUrl: 'https://dispatch.gov.cn', fetchSite: undefined }); // true
 */
export function isForeignSubmission(request: {
  readonly origin: string | undefined;
  readonly host: string | undefined;
  readonly publicBaseUrl: string;
  readonly fetchSite: string | undefined;
}): boolean {
  const { origin, host, publicBaseUrl, fetchSite } = request;
  if (origin === undefined || origin === 'null') {
    return fetchSite !== undefined && FOREIGN_FETCH_SITES.has(fetchSite);
  }
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return true;
  }
  if (parsed.origin === new URL(publicBaseUrl).origin) return false;
  return host === undefined || parsed.host !== host.toLowerCase();
}

function refuseForeign(c: Context<AppEnv>): void {
  const foreign = isForeignSubmission({
    origin: c.req.header('origin'),
    host: c.req.header('host'),
    publicBaseUrl: c.var.services.env.PUBLIC_BASE_URL,
    fetchSite: c.req.header('sec-fetch-site'),
  });
  if (foreign) {
    throw new ProblemError('forbidden', {
      zh: '拒绝来自其他网站的提交：请在本系统的答复或评价页面中提交',
      en: 'a submission from another site is refused: answer on the page of this service',
    });
  }
}

/**
 * The guard of the token pages (`/r/{token}`, `/rate/{token}`), whose link is the credential:
 * nothing about them is stored by a browser or a proxy (`Cache-Control: no-store`), and a post
 * from another site's page is refused with a 403 problem (a forged answer in the expert's name).
 *
 * @example
 * app.use('/r/*', tokenPageGuard);
 */
export const tokenPageGuard = createMiddleware<AppEnv>(async (c, next) => {
  c.header('Cache-Control', 'no-store');
  if (c.req.method === 'POST') refuseForeign(c);
  await next();
  c.res.headers.set('Cache-Control', 'no-store');
});
