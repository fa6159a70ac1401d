import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutExternalLinks } from '../admin/self-contained-dashboard.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { DOCS_CSP } from './api-reference.js';
import { DATA_CSP, PAGE_CSP } from './security-headers.js';
import { isForeignSubmission } from './token-page-guard.js';

const backends = await availableBackends();
const PUBLIC = 'https://dispatch.example.gov.cn';

describe('isForeignSubmission', () => {
  const base = { host: '10.0.0.5:3000', publicBaseUrl: PUBLIC, fetchSite: undefined };
  it.each([
    ['the public origin', { origin: PUBLIC }, false],
    ['the public origin behind another scheme', { origin: 'http://dispatch.example.gov.cn' }, true],
    ['the host the request was sent to', { origin: 'http://10.0.0.5:3000' }, false],
    ['the same host over https (a TLS proxy)', { origin: 'https://10.0.0.5:3000' }, false],
    ['another site', { origin: 'https://evil.example' }, true],
    ['another port of the same machine', { origin: 'http://10.0.0.5:3001' }, true],
    ['an unparsable origin', { origin: 'not a url' }, true],
    ['no Origin from a non-browser client', { origin: undefined }, false],
    [
      'Origin null from our own page (no-referrer)',
      { origin: 'null', fetchSite: 'same-origin' },
      false,
    ],
    ['Origin null from another site', { origin: 'null', fetchSite: 'cross-site' }, true],
    ['no Origin but a same-site fetch', { origin: undefined, fetchSite: 'same-site' }, true],
  ] as const)('%s → foreign: %s', (_label, given, foreign) => {
    expect(isForeignSubmission({ ...base, ...given })).toBe(foreign);
  });
});

describe('withoutExternalLinks', () => {
  it("drops bull-board's Google Fonts sheet and keeps its own files", () => {
    const html =
      '<link href="https://fonts.googleapis.com/css2?family=IBM+Plex+Sans" rel="stylesheet">\n' +
      '<link href="static/css/main.css" rel="stylesheet"><link rel="icon" href="//cdn.example/x.png">';
    expect(withoutExternalLinks(html)).toBe('<link href="static/css/main.css" rel="stylesheet">');
  });
});

// Issue 12, item 6: headers of every page, the token pages' guard, the reference's own files.
describe.each(backends)('security headers on %s', (kind) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(kind, { PUBLIC_BASE_URL: PUBLIC });
  });
  afterAll(() => t.close());

  it('sends nosniff, no-referrer, DENY and a policy without other origins on every response', async () => {
    for (const [path, csp] of [
      ['/healthz', DATA_CSP],
      ['/openapi.json', DATA_CSP],
      ['/admin/login', PAGE_CSP],
      ['/docs', DOCS_CSP],
    ] as const) {
      const response = await call(t, 'GET', path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('content-security-policy'), path).toBe(csp);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/https?:|\*/);
    }
  });

  it("adds frame-ancestors 'none' to the report page's own policy (第二十条)", async () => {
    const report = await call(t, 'GET', '/v1/reports/annual?year=2026&format=html', {
      key: 'yn.auditor',
    });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
  });

  it('serves the reference page and its Swagger UI files from this process, gzipped when asked', async () => {
    const page = await call(t, 'GET', '/docs');
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBe(4);
    for (const source of sources) expect(source).toMatch(/^\/docs\/assets\/[\w.-]+$/);
    const bundle = await call(t, 'GET', '/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.contentType).toBe('application/javascript; charset=utf-8');
    expect(bundle.text).toContain('SwaggerUIBundle');
    const gzipped = await t.app.request('/docs/assets/swagger-ui.css', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    const css = gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString();
    expect(css).toContain('.swagger-ui');
    expect(css).not.toMatch(/@import|url\(\s*["']?https?:/);
    const init = await call(t, 'GET', '/docs/assets/init.js');
    expect(init.text).toContain("url: '/openapi.json'");
    expect(init.text).toContain('validatorUrl: null');
    expect((await call(t, 'GET', '/docs/assets/package.json')).status).toBe(404);
  });

  it('sends the token pages with Cache-Control: no-store (第十五条, 第二十条)', async () => {
    for (const path of ['/r/not-a-token', '/rate/not-a-token']) {
      const page = await call(t, 'GET', path);
      expect(page.status, path).toBe(403);
      expect(page.headers.get('cache-control'), path).toBe('no-store');
      expect(page.headers.get('content-security-policy'), path).toBe(PAGE_CSP);
    }
  });

  it('refuses a reply or rating post from a foreign Origin with a 403 problem in Chinese and English', async () => {
    for (const path of ['/r/not-a-token', '/rate/not-a-token']) {
      const refused = await call(t, 'POST', path, {
        body: 'answer=accept',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example',
        },
      });
      expect(refused.status, path).toBe(403);
      expect(refused.contentType, path).toBe('application/problem+json');
      expect(refused.body).toMatchObject({ code: 'forbidden', status: 403 });
      expect(refused.body.detailZh).toMatch(/其他网站/);
      expect(refused.body.detail).toMatch(/another site/);
      expect(refused.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('lets posts from the public origin, the request host and non-browser clients reach the page', async () => {
    for (const headers of [
      { origin: PUBLIC },
      { origin: 'http://localhost', host: 'localhost' },
      { origin: 'null', 'sec-fetch-site': 'same-origin' },
      {},
    ]) {
      const answered = await call(t, 'POST', '/r/not-a-token', {
        body: 'answer=accept',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
      // Past the guard: the page itself says the link is invalid.
      expect(answered.status).toBe(403);
      expect(answered.contentType).toMatch(/^text\/html/);
      expect(answered.text).toContain('链接无效');
    }
  });
});
