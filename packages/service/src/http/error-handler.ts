import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { unavailableCodeOf } from '../db/database-unavailable.js';
import { type ErrorCode, ProblemError, toProblem } from '../errors.js';
import type { AppEnv } from './app-env.js';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailable } from './database-gate.js';

const PROBLEM_TYPE = 'application/problem+json';

/**
 * Sends a problem document with `Content-Type: application/problem+json`.
 *
 * @example
 * return sendProblem(c, new ProblemError('not_found'));
 */
export function sendProblem(c: Context<AppEnv>, error: ProblemError): Response {
  const body = toProblem(error, {
    instance: c.req.path,
    requestId: c.get('requestId') ?? 'unknown',
  });
  if (error.code === 'database_unavailable') {
    c.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
  }
  // c.body keeps headers set earlier with c.header (X-Request-Id, WWW-Authenticate).
  return c.body(JSON.stringify(body), error.status as ContentfulStatusCode, {
    'Content-Type': PROBLEM_TYPE,
  });
}

/** Turns anything thrown in a request into a problem; unexpected errors become a bare 500. */
export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof ProblemError) return sendProblem(c, error);
  if (error instanceof HTTPException) return sendProblem(c, fromHttpException(error));
  const database = databaseErrorOf(error);
  const unavailable = unavailableCodeOf(error);
  if (unavailable !== undefined) {
    // Unreachable, shutting down, or over statement_timeout: retry later, not a bug here.
    c.get('logger')?.warn(
      { requestId: c.get('requestId'), err: { name: errorName(error), code: unavailable } },
      'database unavailable',
    );
    return sendProblem(c, databaseUnavailable());
  }
  if (database?.code === '23505') {
    return sendProblem(
      c,
      new ProblemError('already_exists', {
        zh: '记录已存在（并发写入）',
        en: 'the record already exists (a concurrent write)',
      }),
    );
  }
  // Only the name, message and SQLSTATE: a driver's `detail` can quote row values.
  c.get('logger')?.error(
    {
      requestId: c.get('requestId'),
      err: { name: errorName(error), message: errorMessage(error), code: database?.code },
    },
    'unexpected error',
  );
  return sendProblem(
    c,
    new ProblemError('internal_error', {
      zh: '服务内部错误，请凭 requestId 联系管理员',
      en: 'internal error; quote the requestId to the operator',
    }),
  );
};

/** Unknown routes are 404 problems. */
export const handleNotFound: NotFoundHandler<AppEnv> = (c) =>
  sendProblem(
    c,
    new ProblemError('not_found', {
      zh: `没有此接口：${c.req.method} ${c.req.path}`,
      en: `no such route: ${c.req.method} ${c.req.path}`,
    }),
  );

function fromHttpException(error: HTTPException): ProblemError {
  const byStatus: Record<number, ErrorCode> = {
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
  };
  if (error.status === 400 && /json/i.test(error.message)) {
    return new ProblemError('malformed_json', {
      zh: '请求体不是有效的 JSON',
      en: 'the request body is not valid JSON',
    });
  }
  const code = byStatus[error.status] ?? (error.status >= 500 ? 'internal_error' : 'bad_request');
  return new ProblemError(
    code,
    DETAILS_BY_STATUS[error.status] ?? { zh: error.message, en: error.message },
  );
}

/** What the framework's own refusals (English only) say, in Chinese and English. */
const DETAILS_BY_STATUS: Readonly<Record<number, { zh: string; en: string }>> = {
  415: {
    zh: '不支持该请求体类型：JSON 接口请发送 Content-Type: application/json',
    en: 'unsupported media type: send Content-Type: application/json to a JSON route',
  },
};

function databaseErrorOf(error: unknown): { code: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    if (typeof current === 'object' && current !== null) {
      const code = (current as { code?: unknown }).code;
      if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return { code };
      current = (current as { cause?: unknown }).cause;
    } else {
      break;
    }
  }
  return undefined;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * The first line of the message, and of its cause's: a failed query's message goes on with
 * `params: …`, which hold what the caller sent (a key's hash, personal data) and never reach a log.
 */
function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return 'non-error thrown';
  const firstLine = (message: string) => (message.split('\n')[0] ?? '').slice(0, 500);
  const cause = error.cause instanceof Error ? ` (cause: ${firstLine(error.cause.message)})` : '';
  return `${firstLine(error.message)}${cause}`;
}
