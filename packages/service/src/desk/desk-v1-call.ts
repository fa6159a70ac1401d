import type { Context } from 'hono';
import { keyRoutes } from '../access/key-routes.js';
import { auditRoutes } from '../audit/audit-routes.js';
import { certificateRoutes } from '../certificates/certificate-routes.js';
import { evaluationRoutes } from '../evaluations/evaluation-routes.js';
import { expertRoutes } from '../experts/expert-routes.js';
import { expertImportRoutes } from '../experts/import/expert-import-routes.js';
import { expertActionRoutes } from '../experts/lifecycle/expert-action-routes.js';
import type { AppEnv, Principal, Services } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { handleError, handleNotFound } from '../http/error-handler.js';
import { reportRoutes } from '../reports/report-routes.js';
import { declineReviewRoutes } from '../reviews/decline-review-routes.js';

/** What a desk page hands the API for one call: the signed-in principal and the services. */
interface CallContext {
  readonly principal: Principal;
  readonly services: Services;
  readonly requestId: string;
}

/** Calls in flight, keyed by their Request: the inner app's first middleware reads them. */
const CALLS = new WeakMap<Request, CallContext>();

/**
 * The /v1 route modules the desk's pool, review, list, report and key pages use, mounted as
 * `app.ts` mounts them (import before `/v1/experts/{id}`). Their own role checks, validation,
 * transactions and audit entries apply unchanged: the desk is one more client of the API.
 */
const inner = createRouter();
inner.use('*', async (c, next) => {
  const call = CALLS.get(c.req.raw);
  if (call === undefined) return c.notFound();
  c.set('services', call.services);
  c.set('db', call.services.db);
  c.set('logger', call.services.logger);
  c.set('requestId', call.requestId);
  c.set('principal', call.principal);
  await next();
  return undefined;
});
for (const module of [
  keyRoutes,
  expertImportRoutes,
  expertRoutes,
  expertActionRoutes,
  certificateRoutes,
  auditRoutes,
  reportRoutes,
  evaluationRoutes,
  declineReviewRoutes,
]) {
  inner.route('/', module);
}
inner.onError(handleError);
inner.notFound(handleNotFound);

/** The answer of an API call: its status and its body (JSON parsed; problem documents too). */
export interface V1Answer<T> {
  readonly status: number;
  readonly ok: boolean;
  readonly body: T;
}

/** A problem document as far as the desk shows it. */
export interface DeskProblem {
  readonly detail?: string;
  readonly detailZh?: string;
  readonly errors?: readonly {
    readonly path: string;
    readonly message: string;
    readonly messageZh?: string;
  }[];
}

/**
 * Calls a /v1 operation as the desk session's principal, without a key secret: the request
 * goes through the operation's own middleware (requireRole), validation and handler, so a
 * viewer's forged form is refused by the same check that refuses the viewer's API call.
 *
 * @example
 * const answer = await callV1<ExpertList>(c, 'GET', '/v1/experts?status=active');
 * if (answer.ok) answer.body.items;
 */
export async function callV1<T>(
  c: Context<AppEnv>,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: { readonly json: unknown } | { readonly bytes: Uint8Array; readonly type: string },
): Promise<V1Answer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: string | Uint8Array | undefined;
  if (body !== undefined && 'json' in body) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body !== undefined) {
    // Bytes as uploaded: the API itself tells GB18030 from UTF-8 and a workbook from a CSV.
    headers['content-type'] = body.type;
    payload = body.bytes;
  }
  const request = new Request(new URL(path, 'http://desk.internal'), {
    method,
    headers,
    ...(payload === undefined ? {} : { body: payload }),
  });
  CALLS.set(request, {
    principal: c.var.principal,
    services: c.var.services,
    requestId: c.var.requestId,
  });
  const response = await inner.fetch(request);
  const text = await response.text();
  return {
    status: response.status,
    ok: response.ok,
    body: (text === '' ? null : JSON.parse(text)) as T,
  };
}

/**
 * A refused call as a line for the page, Chinese first, the field errors after it.
 *
 * @example
 * problemText(answer.body); // '请求数据未通过校验 / the request did not pass validation: reason …'
 */
export function problemText(problem: DeskProblem | null): string {
  if (problem === null) return '';
  const fields = (problem.errors ?? []).map((e) => `${e.path}: ${fieldText(e)}`).join('; ');
  return `${problem.detailZh ?? ''} / ${problem.detail ?? ''}${fields === '' ? '' : ` — ${fields}`}`;
}

/**
 * A field error as the desk shows it: Chinese first, the English alongside when it differs.
 *
 * @example
 * fieldText({ message: 'Too small', messageZh: '数值过小' }); // '数值过小 (Too small)'
 */
export function fieldText(error: {
  readonly message: string;
  readonly messageZh?: string;
}): string {
  if (error.messageZh === undefined || error.messageZh === error.message) return error.message;
  return `${error.messageZh} (${error.message})`;
}
