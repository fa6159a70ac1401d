import { OpenAPIHono } from '@hono/zod-openapi';
import { ProblemError } from '../errors.js';
import type { AppEnv } from './app-env.js';
import { findUnstorableString, toFieldErrors } from './field-errors.js';

const PREFIX: Record<string, string | undefined> = {
  json: undefined,
  form: undefined,
  query: 'query',
  param: 'params',
  header: 'headers',
  cookie: 'cookies',
};

/**
 * A router whose validation failures are 422 problems with field paths. Every route module
 * builds its routes on one of these and `app.ts` mounts it.
 *
 * @example
 * export const expertRoutes = createRouter();
 * expertRoutes.openapi(getExpertRoute, async (c) => c.json(await loadExpert(c), 200));
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      const prefix = PREFIX[result.target];
      if (!result.success) {
        throw new ProblemError(
          'validation_failed',
          { zh: '请求数据未通过校验', en: 'the request did not pass validation' },
          { errors: toFieldErrors(result.error, prefix, inputOf(result)) },
        );
      }
      const unstorable = findUnstorableString(result.data, prefix ? [prefix] : []);
      if (unstorable) {
        throw new ProblemError(
          'validation_failed',
          {
            zh: '请求数据包含无法保存的字符',
            en: 'the request holds characters that cannot be stored',
          },
          { errors: [unstorable] },
        );
      }
    },
  });
}

/** The validated input, which @hono/zod-validator passes to the hook beside a failed result. */
function inputOf(result: object): { value: unknown } | undefined {
  return 'data' in result ? { value: result.data } : undefined;
}
