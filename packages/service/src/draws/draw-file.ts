import { drawFileSchema as plainDrawFileSchema } from '@expert-dispatch/verify';

// The draw file and its replay live in the published @expert-dispatch/verify, so that anyone
// can check an exported draw outside this service; the service names the schema in its API.
export {
  DRAW_FILE_FORMAT,
  type DrawFile,
  type DrawFileVerification,
  verifyDrawFile,
} from '@expert-dispatch/verify';

/**
 * An exported draw (see @expert-dispatch/verify), named `DrawFile` in the OpenAPI document.
 *
 * @example
 * responses: { 200: json(drawFileSchema, 'The draw file') }
 */
export const drawFileSchema = plainDrawFileSchema.openapi('DrawFile');
