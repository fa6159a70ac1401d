import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const DEV_SECRET = 'expert-dispatch-development-secret-not-for-production';

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
    /** Named prepared statements on PostgreSQL (db/prepared-client.ts); false behind an old PgBouncer. */
    DATABASE_PREPARED_STATEMENTS: booleanFlag.default(true),
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
    NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
    /** The BullMQ key prefix, so that deployments sharing a Redis do not mix. */
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/)
      .default('ed'),
    /** How long the jobs of a worker that died stay locked before another worker takes them. */
    QUEUE_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
    /** Run the dispatch worker inside the service (false when `npm run worker` runs apart). */
    DISPATCH_WORKERS: booleanFlag.default(true),
    DISPATCH_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
    OUTBOX_RELAY_INTERVAL_MS: z.coerce.number().int().min(10).default(1000),
    SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
    /** An unfinished delivery this old whose job the queue has lost is relayed again. */
    DELIVERY_STALE_MS: z.coerce.number().int().min(1000).default(120_000),
    DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
    DELIVERY_BACKOFF_MS: z.coerce.number().int().min(1).default(2000),
    /** How long a gateway may take to accept a notification. */
    NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    /** Most notifications one expert receives per hour; more wait (0: no limit). */
    NOTIFY_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(0).default(10),
    /** HMAC-SHA256 key of webhook and SMS gateway requests. */
    NOTIFY_SIGNING_SECRET: z.string().min(32).optional(),
    SMS_GATEWAY_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Enables the e-mail channel: `smtp://user:pass@host:587` or `smtps://…`. */
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: z.string().min(3).default('专家抽取调度 <no-reply@localhost>'),
    /** HMAC-SHA256 key of reply links. */
    REPLY_LINK_SECRET: z.string().min(32).optional(),
    /** The address experts open reply links on; defaults to http://localhost:PORT. */
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** How often the scheduler (term lapse, profile reminders, monthly digest) checks its jobs. */
    SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
    /** Where the department's monthly digest is e-mailed (needs SMTP_URL); none: no e-mail. */
    DEPARTMENT_DIGEST_EMAIL: z.email().optional(),
    /** Where the department's monthly digest is posted, signed like other webhooks. */
    DEPARTMENT_DIGEST_WEBHOOK: z.url({ protocol: /^https?$/ }).optional(),
    /** A static bearer token Prometheus sends to `/metrics` (besides admin and auditor keys). */
    METRICS_TOKEN: z
      .string()
      .regex(/^[\x21-\x7e]{32,256}$/, 'expected 32–256 printable ASCII characters')
      .optional(),
    /** `npm run worker` only: serve its `/metrics` (job timings, queue depth) on this port. */
    METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  })
  .superRefine((env, context) => {
    if (env.NODE_ENV !== 'production') return;
    for (const name of ['NOTIFY_SIGNING_SECRET', 'REPLY_LINK_SECRET', 'PUBLIC_BASE_URL'] as const) {
      if (env[name] === undefined) {
        context.addIssue({ code: 'custom', path: [name], message: 'required in production' });
      }
    }
  })
  .transform((env) => ({
    ...env,
    DEMO: env.DEMO ?? env.DATABASE_URL === undefined,
    // Development defaults only: production refuses to start without real secrets (above).
    NOTIFY_SIGNING_SECRET: env.NOTIFY_SIGNING_SECRET ?? DEV_SECRET,
    REPLY_LINK_SECRET: env.REPLY_LINK_SECRET ?? DEV_SECRET,
    PUBLIC_BASE_URL: env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`,
  }));

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
