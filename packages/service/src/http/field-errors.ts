import type { z } from 'zod';
import type { FieldError } from '../errors.js';
import { fieldMessageZh } from './field-message-zh.js';

/**
 * The failing fields of a zod error as `{ path, message, messageZh }` (English, Simplified
 * Chinese), the path dotted from the root of the input (`industries.2`, `employer.kind`),
 * optionally under a prefix (`query.limit`). The input, when given, names what was received.
 *
 * @example
 * toFieldErrors(schema.safeParse(body).error);
 * // [{ path: 'birthDate', message: 'expected YYYY-MM-DD', messageZh: '无效字符串：…' }]
 */
export function toFieldErrors(
  error: z.ZodError,
  prefix?: string,
  input?: { value: unknown },
): FieldError[] {
  const head = prefix ? [prefix] : [];
  return error.issues.flatMap((issue) =>
    // An unknown field is reported at its own path, not at the object holding it.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: joinPath([...head, ...issue.path.map(String), key]),
          message: 'unknown field',
          messageZh: '未知字段',
        }))
      : [
          {
            path: joinPath([...head, ...issue.path.map(String)]),
            message: issue.message,
            messageZh: fieldMessageZh(issue, input),
          },
        ],
  );
}

/** A dotted path; the empty path (the whole input) is `''`. */
export function joinPath(parts: readonly (string | number)[]): string {
  return parts.map(String).join('.');
}

// NUL cannot be stored in PostgreSQL text or jsonb, and a lone surrogate would be silently
// replaced when encoded to UTF-8 (changing the data and its audit hash). Both are refused.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * The first string in a JSON value that PostgreSQL cannot store faithfully, as a field error.
 *
 * @example
 * findUnstorableString({ name: 'a\u0000' }); // { path: 'name', message: '…U+0000…' }
 */
export function findUnstorableString(
  value: unknown,
  path: readonly (string | number)[] = [],
): FieldError | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) {
      return {
        path: joinPath(path),
        message: 'must not contain the NUL character (U+0000)',
        messageZh: '不得包含 NUL 字符（U+0000）',
      };
    }
    if (LONE_SURROGATE.test(value)) {
      return {
        path: joinPath(path),
        message: 'must be valid Unicode (a lone surrogate was found)',
        messageZh: '须为有效的 Unicode 文本（含有孤立的代理字符）',
      };
    }
    return null;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableString(item, [...path, index]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found =
        findUnstorableString(key, [...path, key]) ?? findUnstorableString(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}
