import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from './app-env.js';

/** Where the API reference lives; its files are under `/docs/assets/`. */
export const DOCS_PATH = '/docs';

/**
 * The reference page's policy: scripts, styles and requests to this origin only (Swagger UI sets
 * inline style attributes and uses SVG data images). "Try it out" calls the document's server,
 * `PUBLIC_BASE_URL`, which is this origin when the page is opened through it.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  readonly type: string;
  readonly body: Buffer;
  readonly gzipped: Buffer;
}

/** The pinned `swagger-ui-dist` files the page needs, read once, served from this process. */
const ASSET_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  'swagger-ui-bundle.js': {
    file: 'swagger-ui-bundle.js',
    type: 'application/javascript; charset=utf-8',
  },
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'favicon-32x32.png': { file: 'favicon-32x32.png', type: 'image/png' },
};

// Our own start-up script: a file rather than an inline script, so the policy needs no nonce.
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#reference',
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
    persistAuthorization: false,
    displayOperationId: true,
    // Tags start collapsed: swagger-ui 5.35 stops rendering the list part way when all ~150
    // operations are expanded at once (seen in Chromium); a tag opens on a click.
    docExpansion: 'none',
  });
});
`;

const loaded = new Map<string, Asset>();

function assetOf(name: string): Asset | undefined {
  const cached = loaded.get(name);
  if (cached !== undefined) return cached;
  let body: Buffer;
  let type: string;
  if (name === 'init.js') {
    body = Buffer.from(INIT_SCRIPT);
    type = 'application/javascript; charset=utf-8';
  } else {
    const entry = ASSET_FILES[name];
    if (entry === undefined) return undefined;
    const root = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    body = readFileSync(join(root, entry.file));
    type = entry.type;
  }
  const asset = { type, body, gzipped: gzipSync(body) };
  loaded.set(name, asset);
  return asset;
}

function sendAsset(c: Context<AppEnv>, asset: Asset): Response {
  const gzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
  const headers: Record<string, string> = {
    'Content-Type': asset.type,
    'Cache-Control': 'public, max-age=3600',
    Vary: 'Accept-Encoding',
  };
  if (gzip) headers['Content-Encoding'] = 'gzip';
  return c.body(new Uint8Array(gzip ? asset.gzipped : asset.body), 200, headers);
}

const PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Expert Dispatch API / 专家抽取调度服务接口</title><link rel="icon" type="image/png" href="${DOCS_PATH}/assets/favicon-32x32.png"><link rel="stylesheet" href="${DOCS_PATH}/assets/swagger-ui.css"></head><body><div id="reference"></div><script src="${DOCS_PATH}/assets/swagger-ui-bundle.js"></script><script src="${DOCS_PATH}/assets/init.js"></script></body></html>`;

/**
 * Mounts the API reference at `/docs`: Swagger UI from the pinned `swagger-ui-dist` package,
 * served by this process (an intranet without Internet access shows it as well), reading
 * `/openapi.json`. Public, like the document itself.
 *
 * @example
 * mountApiReference(app);
 */
export function mountApiReference(app: OpenAPIHono<AppEnv>): void {
  app.get(DOCS_PATH, (c) => {
    c.header('Content-Security-Policy', DOCS_CSP);
    return c.html(PAGE, 200);
  });
  app.get(`${DOCS_PATH}/assets/:name`, (c) => {
    const asset = assetOf(c.req.param('name'));
    if (asset === undefined) return c.notFound();
    return sendAsset(c, asset);
  });
}
