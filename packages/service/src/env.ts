import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * Every setting the service reads from the environment, parsed once at start.
 *
 * - `DEMO` seeds a demo pool into an EMPTY database and prints a first admin key. It defaults to
 *   `true` when `DATABASE_URL` is unset (a local PGlite try-out) and to `false` with PostgreSQL,
 *   so that a production database is never seeded by accident.
 */
export const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
      .optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'expected a redis:// URL')
      .optional(),
    DATA_DIR: z.string().min(1).default('./.data'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /** Largest accepted request body, except bulk imports. */
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    /** Largest accepted bulk import body (JSON or CSV). */
    IMPORT_LIMIT_BYTES: z.coerce.number().int().min(1024).default(16_777_216),
    DEMO: booleanFlag.optional(),
    /** Seed of the demo pool generator, so that a demo is reproducible. */
    DEMO_SEED: z.coerce.number().int().min(0).default(20_251_217),
    DEMO_SIZE: z.coerce.number().int().min(1).max(20_000).default(300),
  })
  .transform((env) => ({ ...env, DEMO: env.DEMO ?? env.DATABASE_URL === undefined }));

export type Env = z.infer<typeof envSchema>;

/**
 * Parses the process environment; throws a readable error naming every bad variable.
 *
 * @example
 * const env = readEnv({ PORT: '8080' }); // env.PORT === 8080, env.DEMO === true
 */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid environment / 环境变量无效:\n${lines.join('\n')}`);
  }
  return result.data;
}
