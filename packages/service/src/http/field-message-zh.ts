import { z } from 'zod';

type Issue = z.core.$ZodIssue;

// zod's own Simplified Chinese locale covers every issue code; only the type names and the
// "received" of a missing or mistyped value (its input is dropped from a finished issue) are ours.
const ZH_CN = z.locales.zhCN().localeError;

const TYPE_ZH: Readonly<Record<string, string>> = {
  string: '字符串',
  number: '数字',
  int: '整数',
  boolean: '布尔值',
  bigint: '大整数',
  object: '对象',
  array: '数组',
  date: '日期',
  null: '空值（null）',
  undefined: '空（未填写）',
  nan: 'NaN',
  symbol: 'symbol',
  function: '函数',
};

const typeZh = (name: string): string => TYPE_ZH[name] ?? name;

/** What kind of JSON value `value` is, in the words zod uses (`array`, `null`, `string`…). */
function receivedTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'nan';
  return typeof value;
}

/** The value at a zod path inside the input, or undefined. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * The Simplified Chinese message of a zod issue, for officials reading a refusal; the English
 * `issue.message` goes alongside it. The input, when given, names what was received.
 *
 * @example
 * fieldMessageZh({ code: 'invalid_type', expected: 'string', path: ['name'], message: '…' }, {});
 * // '无效输入：期望 字符串，实际接收 空（未填写）'
 */
export function fieldMessageZh(issue: Issue, input?: { value: unknown }): string {
  if (issue.code === 'invalid_type') {
    const received =
      input !== undefined
        ? receivedTypeOf(valueAt(input.value, issue.path))
        : /received (\S+)$/.exec(issue.message)?.[1];
    const expected = /^[A-Z]/.test(issue.expected)
      ? `instanceof ${issue.expected}`
      : typeZh(issue.expected);
    return received === undefined
      ? `无效输入：期望 ${expected}`
      : `无效输入：期望 ${expected}，实际接收 ${typeZh(received)}`;
  }
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    const localized = ZH_CN({ ...issue, input: undefined });
    const message = typeof localized === 'string' ? localized : localized?.message;
    return (message ?? '无效输入').replace(
      /期望 (\w+) /,
      (_, origin: string) => `期望 ${typeZh(origin)} `,
    );
  }
  // A pattern means nothing to the person filling in the form; the English names the format.
  if (issue.code === 'invalid_format' && issue.format === 'regex') return '格式不正确';
  const localized = ZH_CN({ ...issue, input: undefined });
  return (typeof localized === 'string' ? localized : localized?.message) ?? '无效输入';
}
