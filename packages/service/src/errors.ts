import { z } from '@hono/zod-openapi';

/**
 * The closed list of error codes the service answers with. Adding one forces a status and a
 * title below (the records are exhaustive), so no refusal goes out without a clear reason.
 */
export const ERROR_CODES = [
  'bad_request',
  'malformed_json',
  'unauthenticated',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'already_exists',
  'illegal_transition',
  'version_conflict',
  'idempotency_in_progress',
  'payload_too_large',
  'unsupported_media_type',
  'validation_failed',
  'admission_refused',
  'idempotency_key_reused',
  'panel_infeasible',
  'audit_chain_broken',
  'calendar_year_unknown',
  'notice_objected',
  'notice_closed',
  'rate_limited',
  'internal_error',
  'service_unavailable',
  'database_unavailable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP status of each error code. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  malformed_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  already_exists: 409,
  illegal_transition: 409,
  version_conflict: 409,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  admission_refused: 422,
  idempotency_key_reused: 422,
  panel_infeasible: 422,
  audit_chain_broken: 409,
  calendar_year_unknown: 422,
  notice_objected: 409,
  notice_closed: 409,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
  database_unavailable: 503,
};

/** The bilingual title of each error code (`title` is English, `titleZh` Chinese). */
export const ERROR_TITLE: Readonly<Record<ErrorCode, { zh: string; en: string }>> = {
  bad_request: { zh: '请求无效', en: 'Bad request' },
  malformed_json: { zh: 'JSON 格式错误', en: 'Malformed JSON' },
  unauthenticated: { zh: '未认证', en: 'Authentication required' },
  forbidden: { zh: '无权操作', en: 'Forbidden' },
  not_found: { zh: '未找到', en: 'Not found' },
  method_not_allowed: { zh: '不支持的请求方法', en: 'Method not allowed' },
  already_exists: { zh: '已存在', en: 'Already exists' },
  illegal_transition: { zh: '不允许的状态变更', en: 'Illegal state transition' },
  version_conflict: { zh: '数据已被修改', en: 'Version conflict' },
  idempotency_in_progress: { zh: '相同请求正在处理', en: 'Request in progress' },
  payload_too_large: { zh: '请求体过大', en: 'Payload too large' },
  unsupported_media_type: { zh: '不支持的内容类型', en: 'Unsupported media type' },
  validation_failed: { zh: '数据校验失败', en: 'Validation failed' },
  admission_refused: { zh: '不符合入库条件', en: 'Admission refused' },
  idempotency_key_reused: { zh: '幂等键已用于其他请求', en: 'Idempotency key reused' },
  panel_infeasible: { zh: '无法组成专家组', en: 'Panel infeasible' },
  audit_chain_broken: { zh: '审计哈希链已断', en: 'Audit chain broken' },
  calendar_year_unknown: { zh: '缺少该年度工作日历', en: 'Calendar year unknown' },
  notice_objected: { zh: '公示有未处理或成立的异议', en: 'Public notice objected to' },
  notice_closed: { zh: '不在公示期内', en: 'Outside the public notice' },
  rate_limited: { zh: '请求过于频繁', en: 'Too many requests' },
  internal_error: { zh: '服务内部错误', en: 'Internal error' },
  service_unavailable: { zh: '服务暂不可用', en: 'Service unavailable' },
  database_unavailable: { zh: '数据库暂不可用', en: 'Database unavailable' },
};

/**
 * One failing field: a dotted path into the input (`industries.2`) and what is wrong, in
 * English (`message`) and Simplified Chinese (`messageZh`; every schema-validation error has it).
 */
export interface FieldError {
  readonly path: string;
  readonly message: string;
  readonly messageZh?: string;
}

/** A bilingual message, Simplified Chinese with English alongside. */
export interface Message {
  readonly zh: string;
  readonly en: string;
}

/** An RFC 9457 problem document as the service sends it. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    titleZh: z.string(),
    status: z.number().int(),
    detail: z.string(),
    detailZh: z.string(),
    instance: z.string(),
    code: z.enum(ERROR_CODES),
    requestId: z.string(),
    errors: z
      .array(
        z.object({
          path: z
            .string()
            .openapi({ description: 'Dotted path into the input, e.g. `industries.2`' }),
          message: z.string().openapi({ description: 'What is wrong, in English' }),
          messageZh: z.string().optional().openapi({
            description:
              'What is wrong, in Simplified Chinese (present on every schema-validation error)',
          }),
        }),
      )
      .optional(),
  })
  .catchall(z.unknown())
  .openapi('Problem');

export type Problem = z.infer<typeof problemSchema>;

/** The problem type URI of a code. */
export function problemType(code: ErrorCode): string {
  return `urn:expert-dispatch:problem:${code}`;
}

/**
 * A refusal on its way to the client. Throw it anywhere inside a request; the error handler
 * turns it into `application/problem+json`.
 *
 * @example
 * throw new ProblemError('not_found', { zh: '专家不存在', en: 'no such expert' });
 */
export class ProblemError extends Error {
  readonly code: ErrorCode;
  readonly detail: Message;
  readonly errors: readonly FieldError[] | undefined;
  /** Extra members of the problem document, e.g. `{ from, to }` of a refused transition. */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    detail?: Message,
    options: { errors?: readonly FieldError[]; extensions?: Record<string, unknown> } = {},
  ) {
    const resolved = detail ?? ERROR_TITLE[code];
    super(resolved.en);
    this.name = 'ProblemError';
    this.code = code;
    this.detail = resolved;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/**
 * The problem document of an error.
 *
 * @example
 * toProblem(new ProblemError('forbidden'), { instance: '/v1/keys', requestId: 'r1' }).status; // 403
 */
export function toProblem(
  error: ProblemError,
  context: { instance: string; requestId: string },
): Problem {
  const title = ERROR_TITLE[error.code];
  return {
    ...error.extensions,
    type: problemType(error.code),
    title: title.en,
    titleZh: title.zh,
    status: error.status,
    detail: error.detail.en,
    detailZh: error.detail.zh,
    instance: context.instance,
    code: error.code,
    requestId: context.requestId,
    ...(error.errors ? { errors: [...error.errors] } : {}),
  };
}
