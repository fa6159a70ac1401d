import { drawFileSchema as plainDrawFileSchema } from '@expert-dispatch/verify';
import { z } from '@hono/zod-openapi';

// The draw file and its replay live in the published @expert-dispatch/verify, so that anyone
// can check an exported draw outside this service; the service names the schema in its API.
export {
  DRAW_FILE_FORMAT,
  type DrawFile,
  type DrawFileVerification,
  verifyDrawFile,
} from '@expert-dispatch/verify';

/**
 * An exported draw (see @expert-dispatch/verify), named `DrawFile` in the OpenAPI document. The
 * object is made here, from the published shape: a zod schema gets `.openapi()` only when it
 * is created after `@hono/zod-openapi` has loaded, which the verifier's need not be.
 *
 * @example
 * responses: { 200: json(drawFileSchema, 'The draw file') }
 */
export const drawFileSchema = z.object(plainDrawFileSchema.shape).openapi('DrawFile');
