import { createRoute, z as zo } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { problemSchema } from '../errors.js';
import { createRouter } from './create-router.js';
import { handleError } from './error-handler.js';
import { findUnstorableString, toFieldErrors } from './field-errors.js';

const HAN = /\p{Script=Han}/u;

// One schema and input per zod issue code, so a code the Chinese messages miss shows here.
const CASES: readonly [string, z.ZodType, unknown, RegExp][] = [
  ['invalid_type', z.object({ name: z.string() }), {}, /期望 字符串，实际接收 空（未填写）/],
  ['too_big', z.object({ name: z.string().max(2) }), { name: 'abc' }, /过大.*字符串 <=2/],
  ['too_small', z.object({ years: z.number().min(3) }), { years: 1 }, /过小.*数字 >=3/],
  ['invalid_format', z.object({ email: z.email() }), { email: 'x' }, /无效电子邮件/],
  ['not_multiple_of', z.object({ n: z.number().multipleOf(5) }), { n: 3 }, /5 的倍数/],
  ['unrecognized_keys', z.strictObject({}), { extra: 1 }, /^未知字段$/],
  ['invalid_union', z.object({ u: z.union([z.string(), z.number()]) }), { u: true }, /无效输入/],
  ['invalid_key', z.record(z.string().length(1), z.number()), { ab: 1 }, /键\(key\)无效/],
  ['invalid_element', z.map(z.object({}), z.number()), new Map([[{}, 'x']]), /无效值/],
  ['invalid_value', z.object({ k: z.enum(['a', 'b']) }), { k: 'c' }, /期望以下之一 "a"\|"b"/],
  ['custom', z.object({ s: z.string().refine(() => false) }), { s: 'x' }, /无效输入/],
];

describe('toFieldErrors', () => {
  it.each(CASES)('gives %s a Chinese message beside the English one', (code, schema, input, zh) => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues.map((issue) => issue.code)).toContain(code);
    const [error] = toFieldErrors(result.error, undefined, { value: input });
    expect(error?.message).not.toMatch(HAN);
    expect(error?.messageZh).toMatch(HAN);
    expect(error?.messageZh).toMatch(zh);
  });

  it('names what was received from the English message when the input is not at hand', () => {
    const result = z.object({ n: z.number() }).safeParse({ n: 'x' });
    if (result.success) throw new Error('expected a refusal');
    expect(toFieldErrors(result.error, 'query')).toEqual([
      {
        path: 'query.n',
        message: 'Invalid input: expected number, received string',
        messageZh: '无效输入：期望 数字，实际接收 字符串',
      },
    ]);
  });

  it('says in Chinese why a string cannot be stored', () => {
    expect(findUnstorableString({ name: 'a\u0000' })?.messageZh).toMatch(/NUL/);
    expect(findUnstorableString({ name: '\uD800' })?.messageZh).toMatch(HAN);
  });
});

describe('a route refusing its input', () => {
  const router = createRouter();
  router.onError(handleError);
  router.openapi(
    createRoute({
      method: 'post',
      path: '/things',
      request: {
        body: {
          content: {
            'application/json': {
              schema: zo.object({ name: zo.string(), count: zo.number().int().min(1) }).strict(),
            },
          },
        },
      },
      responses: { 204: { description: 'ok' } },
    }),
    (c) => c.body(null, 204),
  );

  it('answers 422 with each field in Chinese and English, as the Problem schema says', async () => {
    const response = await router.request('/things', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 7, count: 0, colour: 'red' }),
    });
    expect(response.status).toBe(422);
    const problem = problemSchema.parse(await response.json());
    expect(problem.errors).toEqual([
      {
        path: 'name',
        message: 'Invalid input: expected string, received number',
        messageZh: '无效输入：期望 字符串，实际接收 数字',
      },
      { path: 'count', message: expect.any(String), messageZh: expect.stringMatching(/数值过小/) },
      { path: 'colour', message: 'unknown field', messageZh: '未知字段' },
    ]);
  });
});
