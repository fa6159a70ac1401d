import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import type { Services } from './app-env.js';

const backends = await availableBackends();

describe.each(backends)('the app on %s', (kind) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(kind, { BODY_LIMIT_BYTES: '4096' });
  });
  afterAll(() => t.close());

  it('answers /healthz and /readyz', async () => {
    expect((await call(t, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await call(t, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', database: 'ok', redis: 'not_configured' });
  });

  it('serves an OpenAPI 3.1 document and the reference page', async () => {
    const doc = await call(t, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths as object)).toEqual(
      expect.arrayContaining([
        '/v1/experts',
        '/v1/experts/{id}/actions/{action}',
        '/v1/audit/verify',
      ]),
    );
    const docs = await call(t, 'GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.contentType).toMatch(/text\/html/);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await call(t, 'GET', '/v1/nothing-here', { key: 'yn.viewer' });
    expect(response.status).toBe(404);
    expect(response.contentType).toBe('application/problem+json');
    expect(response.body).toMatchObject({
      code: 'not_found',
      status: 404,
      instance: '/v1/nothing-here',
    });
  });

  it('echoes a well-formed X-Request-Id and makes one otherwise', async () => {
    const echoed = await call(t, 'GET', '/healthz', { headers: { 'x-request-id': 'req-42' } });
    expect(echoed.headers.get('x-request-id')).toBe('req-42');
    const made = await call(t, 'GET', '/healthz', { headers: { 'x-request-id': 'bad id\u0001' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('carries the request id into problems', async () => {
    const response = await call(t, 'GET', '/v1/experts', { headers: { 'x-request-id': 'req-7' } });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ requestId: 'req-7', code: 'unauthenticated' });
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses malformed JSON with a 400 problem', async () => {
    const response = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      body: '{"id": "e-1",',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'malformed_json', titleZh: 'JSON 格式错误' });
  });

  it('refuses a body over the limit with a 413 problem', async () => {
    const response = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: { name: 'x'.repeat(5000) },
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ code: 'payload_too_large' });
  });

  it('refuses a body that is not JSON with a 415 problem, in Chinese and English', async () => {
    const response = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({
      code: 'unsupported_media_type',
      titleZh: '不支持的内容类型',
      detailZh: '不支持该请求体类型：JSON 接口请发送 Content-Type: application/json',
      detail: 'unsupported media type: send Content-Type: application/json to a JSON route',
    });
  });
});

describe.each(backends)('failures of dependencies on %s', (kind) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(kind);
  });
  afterAll(() => t.close());

  // A database handle whose every use fails the way a dropped connection does.
  const brokenDb = new Proxy(
    {},
    {
      get() {
        throw new Error('connect ECONNREFUSED 10.1.2.3:5432 password=hunter2');
      },
    },
  ) as Services['db'];

  it('answers an unexpected failure with a bare 500 problem that leaks nothing', async () => {
    const app = createApp({ ...t.services, db: brokenDb });
    const response = await call({ app, keys: t.keys }, 'GET', '/v1/experts', { key: 'yn.viewer' });
    expect(response.status).toBe(500);
    expect(response.contentType).toBe('application/problem+json');
    expect(response.body).toMatchObject({ code: 'internal_error', status: 500 });
    expect(response.text).not.toMatch(/ECONNREFUSED|hunter2|10\.1\.2\.3|at /);
  });

  it('reports 503 from /readyz when the database does not answer', async () => {
    const app = createApp({ ...t.services, db: brokenDb });
    const response = await call({ app, keys: t.keys }, 'GET', '/readyz');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ code: 'service_unavailable' });
  });

  it.each([
    ['fails', () => Promise.reject(new Error('ECONNREFUSED'))],
    ['never answers', () => new Promise<string>(() => {})],
    ['answers oddly', () => Promise.resolve('LOADING')],
  ])('reports 503 from /readyz when Redis %s', async (_name, ping) => {
    const app = createApp({ ...t.services, redis: { ping } });
    const response = await call({ app, keys: t.keys }, 'GET', '/readyz');
    expect(response.status).toBe(503);
    expect(response.body.detail).toBe('Redis does not answer');
  });

  it('reports ready when Redis answers PONG', async () => {
    const app = createApp({ ...t.services, redis: { ping: () => Promise.resolve('PONG') } });
    const response = await call({ app, keys: t.keys }, 'GET', '/readyz');
    expect(response.body).toMatchObject({ status: 'ok', redis: 'ok' });
  });
});
