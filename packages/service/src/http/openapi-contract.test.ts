import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_REQUESTS_PER_MINUTE } from '../app.js';
import { addRecommenderKey } from '../testing/recommender.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type KeyName,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { ROLES, type Role } from './app-env.js';
import { isKeyedPath, isSelfSessionOperation } from './openapi-document.js';
import { PAGE_OPERATION_IDS } from './page-operations.js';
import { isRateLimiter } from './rate-limit.js';

const backends = await availableBackends();

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema?: { readonly pattern?: string; readonly enum?: readonly string[] };
}

interface Operation {
  readonly operationId?: string;
  readonly description?: string;
  readonly security?: readonly unknown[];
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content?: Record<string, unknown> };
  readonly responses: Record<string, unknown>;
  readonly 'x-roles'?: readonly Role[];
}

interface Listed {
  readonly method: string;
  readonly path: string;
  readonly operation: Operation;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const LIMIT = 4096;

function operationsOf(document: { paths: Record<string, Record<string, Operation>> }): Listed[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => ({
      method,
      path,
      operation: item[method] as Operation,
    })),
  );
}

const SAMPLES = ['1', '2026', '2026-03-02', 'x1', 'e-1'];

/** A value a parameter's schema accepts, so that a request gets past its validation. */
function sampleOf(parameter: Parameter): string {
  if (parameter.schema?.enum?.[0] !== undefined) return parameter.schema.enum[0];
  if (parameter.name.toLowerCase() === 'idempotency-key') return 'contract-key-1';
  const pattern = new RegExp(parameter.schema?.pattern ?? '.');
  return SAMPLES.find((sample) => pattern.test(sample)) ?? 'x1';
}

/** The operation's path with sample values, and the required headers and query. */
function requestOf({ path, operation }: Listed) {
  const parameters = operation.parameters ?? [];
  let url = path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const parameter of parameters) {
    const value = sampleOf(parameter);
    if (parameter.in === 'path') url = url.replace(`{${parameter.name}}`, value);
    if (parameter.in === 'query' && parameter.required) query.set(parameter.name, value);
    if (parameter.in === 'header' && parameter.required) headers[parameter.name] = value;
  }
  const search = query.toString();
  return { url: search ? `${url}?${search}` : url, headers };
}

const keyOf = (role: Role): KeyName => `yn.${role}`;
const hasJsonBody = (operation: Operation) =>
  Object.keys(operation.requestBody?.content ?? {}).some((type) => type.includes('json'));

// The contract generators read (issue 12, item 7): every operation is named, says who may call
// it and documents every status the middleware can answer — and the app answers accordingly.
// A route added without an operationId, or whose roles the document does not match, fails here.
describe.each(backends)('the OpenAPI contract on %s', (kind) => {
  let t: TestContext;
  let operations: Listed[];
  let document: Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestContext(kind, {
      BODY_LIMIT_BYTES: String(LIMIT),
      IMPORT_LIMIT_BYTES: String(LIMIT),
      PUBLIC_BASE_URL: 'https://dispatch.example.gov.cn',
    });
    await addRecommenderKey(t);
    const response = await call(t, 'GET', '/openapi.json');
    document = response.body as Record<string, unknown>;
    operations = operationsOf(document as Parameters<typeof operationsOf>[0]);
  });
  afterAll(() => t.close());

  it('names its server and its licence', () => {
    expect(document.servers).toEqual([
      expect.objectContaining({ url: 'https://dispatch.example.gov.cn' }),
    ]);
    expect((document.info as { license?: unknown }).license).toMatchObject({ name: 'Apache-2.0' });
  });

  it('gives every operation a unique camelCase operationId', () => {
    const missing = operations
      .filter(({ operation }) => !/^[a-z][a-zA-Z0-9]*$/.test(operation.operationId ?? ''))
      .map(({ method, path }) => `${method} ${path}`);
    expect(missing).toEqual([]);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(operations.length).toBeGreaterThan(50);
  });

  it('states the allowed roles of every operation, as x-roles and in its description', () => {
    const unstated = operations
      .filter(({ operation }) => {
        const roles = operation['x-roles'];
        if (!Array.isArray(roles) || !roles.every((role) => ROLES.includes(role))) return true;
        const sentence = isSelfSessionOperation(operation)
          ? "the expert's own session (selfSession), no API key"
          : roles.length === 0
            ? 'public, no API key'
            : `Roles / 允许的角色: ${roles.join(', ')}.`;
        return !(operation.description ?? '').includes(sentence);
      })
      .map(({ method, path }) => `${method} ${path}`);
    expect(unstated).toEqual([]);
  });

  it('marks the routes without a key public (security: []) and the others with bearerAuth', () => {
    for (const { path, operation, method } of operations) {
      const label = `${method} ${path}`;
      if (isKeyedPath(path)) {
        expect(operation.security, label).toEqual([{ bearerAuth: [] }]);
        expect(operation.responses, label).toHaveProperty('401');
      } else if (path.startsWith('/v1/self/') && operation.operationId !== undefined) {
        // The expert's own session, except the two operations that open it.
        const opens = ['requestSelfLoginCode', 'openSelfSession'].includes(operation.operationId);
        expect(operation.security, label).toEqual(opens ? [] : [{ selfSession: [] }]);
        if (!opens) expect(operation.responses, label).toHaveProperty('401');
      } else if (isSelfSessionOperation(operation)) {
        expect(operation.security, label).toEqual([{ selfSessionCookie: [] }]);
      } else if ((operation['x-roles'] ?? []).length === 0) {
        expect(operation.security, label).toEqual([]);
      }
    }
    expect(operations.map(({ path }) => path)).toEqual(
      expect.arrayContaining(['/r/{token}', '/rate/{token}', '/hooks/sms']),
    );
  });

  it('documents 503 everywhere, 413 where a body may come, 400/415 on JSON bodies, 422 on validated input and 429 under every rate limit', () => {
    // The app's own rate-limit middleware, as registered: /v1/public/*, the public pages…
    const limited = t.app.routes
      .filter((route) => route.method === 'ALL' && isRateLimiter(route.handler))
      .map((route) => route.path);
    expect(limited).toEqual(expect.arrayContaining(['/v1/public/*', '/notices', '/announcements']));
    const isLimited = (path: string) =>
      limited.some((pattern) =>
        pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern,
      );
    const undocumented: string[] = [];
    for (const { method, path, operation } of operations) {
      const expected = ['503'];
      const body = Object.keys(operation.requestBody?.content ?? {});
      const validated = !PAGE_OPERATION_IDS.has(operation.operationId ?? '');
      if (body.length > 0 || method !== 'get') expected.push('413');
      if (validated && hasJsonBody(operation)) expected.push('400', '415', '422');
      if (validated && (operation.parameters ?? []).length > 0) expected.push('422');
      if (isLimited(path)) expected.push('429');
      for (const status of expected) {
        if (operation.responses[status] === undefined) {
          undocumented.push(`${method} ${path} ${status}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('answers 401 without a key and 403 to every role x-roles leaves out, on every keyed operation', async () => {
    const mismatched: string[] = [];
    for (const listed of operations) {
      if (!isKeyedPath(listed.path)) continue;
      const { url, headers } = requestOf(listed);
      const method = listed.method.toUpperCase();
      const anonymous = await call(t, method, url, { headers });
      if (anonymous.status !== 401)
        mismatched.push(`${method} ${url} without a key: ${anonymous.status}`);
      const allowed = listed.operation['x-roles'] ?? [];
      for (const role of ROLES.filter((r) => !allowed.includes(r))) {
        const refused = await call(t, method, url, { key: keyOf(role), headers });
        if (refused.status !== 403)
          mismatched.push(`${method} ${url} as ${role}: ${refused.status}`);
      }
    }
    expect(mismatched).toEqual([]);
  });

  it('answers 400 to malformed JSON, 415 to another media type and 413 to an oversized body, on every JSON operation', async () => {
    const mismatched: string[] = [];
    for (const listed of operations) {
      const { operation } = listed;
      if (!hasJsonBody(operation) || PAGE_OPERATION_IDS.has(operation.operationId ?? '')) continue;
      const { url, headers } = requestOf(listed);
      const method = listed.method.toUpperCase();
      const role = operation['x-roles']?.[0];
      const key = role !== undefined && isKeyedPath(listed.path) ? keyOf(role) : undefined;
      const send = (body: string, type: string) =>
        call(t, method, url, {
          ...(key === undefined ? {} : { key }),
          body,
          headers: { ...headers, 'content-type': type },
        });
      const malformed = await send('{"answer":', 'application/json');
      if (malformed.status !== 400 || malformed.body.code !== 'malformed_json') {
        mismatched.push(`${method} ${url} malformed: ${malformed.status}`);
      }
      const text = await send('answer=accept', 'text/plain');
      if (text.status !== 415) mismatched.push(`${method} ${url} text/plain: ${text.status}`);
      const large = await send(`{"x":"${'a'.repeat(LIMIT)}"}`, 'application/json');
      if (large.status !== 413) mismatched.push(`${method} ${url} oversized: ${large.status}`);
    }
    expect(mismatched).toEqual([]);
  });

  it('answers 413 to an oversized body on every operation whose method may carry one (forms, pages, hooks too)', async () => {
    const mismatched: string[] = [];
    for (const listed of operations) {
      if (listed.method === 'get') continue;
      const { url, headers } = requestOf(listed);
      const large = await call(t, listed.method.toUpperCase(), url, {
        body: 'a'.repeat(LIMIT + 1),
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      });
      if (large.status !== 413) mismatched.push(`${listed.method} ${url}: ${large.status}`);
    }
    expect(mismatched).toEqual([]);
  });

  it.each(['/notices', '/announcements'])(
    'answers %s with 429 and Retry-After past the public limit, as documented',
    async (path) => {
      let last = await call(t, 'GET', path);
      for (let sent = 1; sent <= PUBLIC_REQUESTS_PER_MINUTE && last.status !== 429; sent += 1) {
        last = await call(t, 'GET', path);
      }
      expect(last.status).toBe(429);
      expect(last.headers.get('retry-after')).toMatch(/^\d+$/);
      const documented = operations.find(
        (listed) => listed.path === path && listed.method === 'get',
      );
      expect(documented?.operation.responses['429']).toBeDefined();
    },
  );
});
