import type { OpenAPIHono } from '@hono/zod-openapi';
import { rolesRequiredBy } from '../access/authenticate.js';
import {
  SELF_COOKIE_SCHEME,
  SELF_SECURITY_SCHEMES,
  SELF_SESSION_SCHEME,
} from '../self/self-security.js';
import { type AppEnv, ROLES, type Role } from './app-env.js';
import { problems } from './openapi-helpers.js';
import { PAGE_OPERATION_IDS } from './page-operations.js';
import { isRateLimiter } from './rate-limit.js';
import { moveRequestDefaultsToDescriptions } from './request-schema-defaults.js';

/** The OpenAPI 3.1 document as `@hono/zod-openapi` generates it. */
export type OpenApiDocument = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>;

type Operation = Record<string, unknown> & {
  operationId?: string;
  description?: string;
  security?: unknown[];
  parameters?: unknown[];
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, unknown>;
  'x-roles'?: readonly Role[];
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

const RETRY_AFTER = {
  description: 'Seconds to wait before trying again / 建议重试前等待的秒数',
  schema: { type: 'integer', minimum: 0 },
};

const isHandDocumented = (operation: Operation) =>
  typeof operation.operationId === 'string' && PAGE_OPERATION_IDS.has(operation.operationId);

/**
 * True for the paths `app.ts` puts behind an API key (`/v1/*` except the public query).
 *
 * @example
 * isKeyedPath('/v1/tasks'); // true
 * isKeyedPath('/v1/public/experts'); // false
 */
export function isKeyedPath(path: string): boolean {
  // /v1/self/* takes the expert's own session token, not an API key.
  return (
    path.startsWith('/v1/') && !path.startsWith('/v1/public/') && !path.startsWith('/v1/self/')
  );
}

/**
 * `"<method> <path>"` (OpenAPI path syntax) → the roles its `requireRole(...)` middleware lets
 * through, read from the handlers the app actually runs, so the document cannot drift from them.
 */
function requiredRolesByOperation(app: OpenAPIHono<AppEnv>): Map<string, readonly Role[]> {
  const found = new Map<string, readonly Role[]>();
  for (const route of app.routes) {
    const roles = rolesRequiredBy(route.handler);
    if (roles === undefined) continue;
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    found.set(`${route.method.toLowerCase()} ${path}`, roles);
  }
  return found;
}

/**
 * The paths `app.use(path, rateLimit(…))` covers, as predicates on OpenAPI paths (`/x/*` covers
 * everything under `/x/`), read from the app so that 429 is documented wherever it is answered.
 */
function rateLimitedPaths(app: OpenAPIHono<AppEnv>): ((path: string) => boolean)[] {
  return app.routes
    .filter((route) => route.method === 'ALL' && isRateLimiter(route.handler))
    .map(({ path: pattern }) =>
      pattern.endsWith('/*')
        ? (path: string) => path.startsWith(pattern.slice(0, -1))
        : (path: string) => path === pattern,
    );
}

/** Methods whose requests may carry a body, which `limitBody` refuses over the limit (413). */
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

function addProblem(operation: Operation, status: number): void {
  operation.responses ??= {};
  const responses = operation.responses;
  if (responses[String(status)] !== undefined) return;
  const entry = problems(status)[status] as { description: string };
  responses[String(status)] = {
    description: entry.description,
    ...(status === 429 || status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
    content: { 'application/problem+json': { schema: PROBLEM_REF } },
  };
}

const accessSentence = (roles: readonly Role[], self: boolean) =>
  self
    ? "Access / 访问: the expert's own session (selfSession), no API key / 专家本人会话，无需 API 密钥."
    : roles.length === 0
      ? 'Access / 访问: public, no API key / 公开，无需 API 密钥.'
      : `Roles / 允许的角色: ${roles.join(', ')}.`;

/**
 * True for an operation that needs the expert's own session (the selfSession bearer token or
 * its cookie) instead of an API key.
 *
 * @example
 * isSelfSessionOperation({ security: [{ selfSession: [] }] }); // true
 */
export function isSelfSessionOperation(operation: { readonly security?: readonly unknown[] }) {
  return (operation.security ?? []).some(
    (requirement) =>
      typeof requirement === 'object' &&
      requirement !== null &&
      (SELF_SESSION_SCHEME in requirement || SELF_COOKIE_SCHEME in requirement),
  );
}

/**
 * States who may call one operation and every status the service's middleware can answer on it:
 * `x-roles` (from `requireRole`, else what the route declared, else every role under `/v1`;
 * `[]` for public routes) and the
 * same in a sentence of the description; `security: []` on public routes; 401 with a key, 403
 * when roles are restricted, 400/413/415 with a JSON body (413 with any body or a method that
 * may carry one, 415 with any body), 422 when anything is validated, 429 under a `rateLimit`
 * middleware, 503 everywhere (storage down).
 */
function describeOperation(
  operation: Operation,
  { method, path, rateLimited }: { method: string; path: string; rateLimited: boolean },
  derived: readonly Role[] | undefined,
): void {
  const keyed = isKeyedPath(path);
  if (!keyed) operation.security ??= [];
  const hasKey = (operation.security ?? []).length > 0;
  // The expert's own session is no API-key role: x-roles [] with its own sentence.
  const self = isSelfSessionOperation(operation);
  // Under /v1 the app authenticates every key; without requireRole any role may call.
  const roles =
    derived ?? operation['x-roles'] ?? (keyed ? ROLES : hasKey && !self ? undefined : []);
  if (roles !== undefined) {
    operation['x-roles'] = roles;
    const sentence = accessSentence(roles, self);
    operation.description = operation.description
      ? `${operation.description}\n\n${sentence}`
      : sentence;
  }
  const body = Object.keys(operation.requestBody?.content ?? {});
  // Pages and the SMS hook read their input themselves: only size limits and storage apply.
  const validated = !isHandDocumented(operation);
  if (validated && body.some((type) => type.includes('json'))) addProblem(operation, 400);
  if (hasKey) addProblem(operation, 401);
  if (derived !== undefined && derived.length < ROLES.length) addProblem(operation, 403);
  if (body.length > 0 || BODY_METHODS.has(method)) addProblem(operation, 413);
  if (validated && body.length > 0) addProblem(operation, 415);
  if (validated && (body.length > 0 || (operation.parameters ?? []).length > 0)) {
    addProblem(operation, 422);
  }
  if (rateLimited) addProblem(operation, 429);
  addProblem(operation, 503);
}

/**
 * The service's OpenAPI 3.1 document for generators: servers, license, every operation
 * described by `describeOperation`, and request defaults as documentation only.
 *
 * @example
 * app.get('/openapi.json', (c) => c.json(buildOpenApiDocument(app, env.PUBLIC_BASE_URL)));
 */
export function buildOpenApiDocument(
  app: OpenAPIHono<AppEnv>,
  publicBaseUrl: string,
): OpenApiDocument {
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Expert Dispatch API / 专家抽取调度服务',
      version: '0.1.0',
      description:
        'The Yunnan industry-and-trade safety expert pool, tasks and verifiable draws ' +
        '(云应急办〔2025〕19号). Errors are RFC 9457 application/problem+json. ' +
        'Each operation states the API-key roles it allows (`x-roles`; `[]` = public).',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    servers: [{ url: publicBaseUrl, description: 'This deployment (PUBLIC_BASE_URL) / 本部署' }],
  });
  // The expert's own session: its bearer token and the pages' cookie (issue 15).
  document.components = {
    ...document.components,
    securitySchemes: { ...document.components?.securitySchemes, ...SELF_SECURITY_SCHEMES },
  };
  const roles = requiredRolesByOperation(app);
  const limited = rateLimitedPaths(app);
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Record<string, unknown>)[method] as Operation | undefined;
      if (operation === undefined) continue;
      const rateLimited = limited.some((covers) => covers(path));
      describeOperation(operation, { method, path, rateLimited }, roles.get(`${method} ${path}`));
    }
  }
  moveRequestDefaultsToDescriptions(document);
  return document;
}
