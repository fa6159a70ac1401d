import type { z } from '@hono/zod-openapi';
import { problemSchema } from '../errors.js';

/** Routes under /v1 need an API key. */
export const BEARER_SECURITY = [{ bearerAuth: [] }];

const STATUS_TEXT: Record<number, string> = {
  400: 'Malformed request / 请求格式错误',
  401: 'Missing or invalid API key / 未认证',
  403: 'Role not allowed / 无权操作',
  404: 'Not found, or not visible to your authority / 未找到',
  409: 'Conflict / 冲突',
  413: 'Body too large / 请求体过大',
  415: 'Unsupported media type / 不支持的内容类型',
  422: 'Validation failed, with field paths / 校验失败',
  429: 'Too many requests / 请求过于频繁',
  503: 'Unavailable / 暂不可用',
};

/**
 * OpenAPI response entries for the problem documents a route may send.
 *
 * @example
 * responses: { 200: json(expertViewSchema, 'The expert'), ...problems(401, 404) }
 */
export function problems(...statuses: readonly number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: STATUS_TEXT[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    ]),
  );
}

/** An OpenAPI JSON response entry. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return {
    required: true,
    ...(description ? { description } : {}),
    content: { 'application/json': { schema } },
  };
}
