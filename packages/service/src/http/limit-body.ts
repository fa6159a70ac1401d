import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { Env } from '../env.js';
import { ProblemError } from '../errors.js';
import type { AppEnv } from './app-env.js';
import { closeConnectionAfter } from './close-connection.js';

/**
 * Paths that take bulk uploads and so get `IMPORT_LIMIT_BYTES` instead of `BODY_LIMIT_BYTES`:
 * imports, and the application form with its proofs (up to 6 files, each limited on its own).
 */
const BULK_PATHS = /(\/import|^\/v1\/public\/applications|^\/apply)$/;

/**
 * Refuses bodies over the configured size with a 413 problem, before anything is parsed, and
 * closes the connection after it (`Connection: close`, see close-connection.ts).
 *
 * @example
 * app.use('*', limitBody(env));
 */
export function limitBody(env: Pick<Env, 'BODY_LIMIT_BYTES' | 'IMPORT_LIMIT_BYTES'>) {
  const make = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) => {
        // The unread rest of the body must not be taken for the next request: close cleanly.
        closeConnectionAfter(c);
        throw new ProblemError('payload_too_large', {
          zh: `请求体超过 ${maxSize} 字节上限`,
          en: `the request body exceeds the limit of ${maxSize} bytes`,
        });
      },
    });
  const regular = make(env.BODY_LIMIT_BYTES);
  const bulk = make(env.IMPORT_LIMIT_BYTES);
  return createMiddleware<AppEnv>((c, next) =>
    (BULK_PATHS.test(c.req.path) ? bulk : regular)(c, next),
  );
}
