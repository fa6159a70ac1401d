import { z } from 'zod';
import { isSigningKeyText } from './audit/checkpoint-key.js';
import { parseOutboundAllowList } from './outbound/outbound-policy.js';
import { parseClusterNodes } from './queue/redis-target.js';

/** Why `REDIS_CLUSTER_NODES` does not parse, or null. */
function clusterNodesProblem(text: string): string | null {
  try {
    parseClusterNodes(text);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Whether `OUTBOUND_ALLOW_HOSTS` parses (host names, addresses, CIDRs). */
function isOutboundAllowList(text: string): boolean {
  try {
    parseOutboundAllowList(text);
    return true;
  } catch {
    return false;
  }
}

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** What production must set explicitly: never generated, never guessed from PORT. */
export const PRODUCTION_REQUIRED = [
  'REPLY_LINK_SECRET',
  'NOTIFY_SIGNING_SECRET',
  'PUBLIC_BASE_URL',
] as const;

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
    /**
     * A streaming replica of DATABASE_URL for the report and public reads (db/read-replica.ts):
     * used once it has replayed every write made before the request, else the primary.
     */
    DATABASE_REPLICA_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
      .optional(),
    /** How long such a read waits for the replica to catch up before it reads the primary. */
    DATABASE_REPLICA_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(100),
    /** Named prepared statements on PostgreSQL (db/prepared-client.ts); false behind an old PgBouncer. */
    DATABASE_PREPARED_STATEMENTS: booleanFlag.default(true),
    /** How long opening a PostgreSQL connection may take before the request gets a 503. */
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
    /** PostgreSQL `statement_timeout` of the service's connections (0: none). */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
    /**
     * On SIGTERM: how long requests in flight may take to finish before their connections are
     * closed anyway; then the workers, the database and Redis are closed.
     */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
    /**
     * Outbound targets (callback URLs, webhook contacts, gateways, the SMTP server) allowed
     * although they resolve to loopback, private, link-local or other internal addresses: a
     * comma-separated list of host names (`sms.intranet.gov.cn`), addresses or CIDRs (`10.20.0.0/16`).
     */
    OUTBOUND_ALLOW_HOSTS: z
      .string()
      .refine(isOutboundAllowList, 'expected host names, addresses or CIDRs, comma-separated')
      .optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'expected a redis:// URL')
      .optional(),
    /**
     * A Redis Cluster instead of one Redis: its seed nodes, comma-separated `host:port` (or
     * `redis[s]://[user:password@]host:port`, the same credentials on each). BullMQ's keys go
     * under the hash tag `{QUEUE_PREFIX}`, so that each queue lives in one slot.
     */
    REDIS_CLUSTER_NODES: z
      .string()
      .superRefine((text, context) => {
        const problem = clusterNodesProblem(text);
        if (problem !== null) {
          context.addIssue({ code: 'custom', message: `expected host:port,…: ${problem}` });
        }
      })
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
    /** Days an answered Idempotency-Key is kept (daily purge); a later retry is a new request. */
    IDEMPOTENCY_KEY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** Days a relayed outbox row is kept after it was due (daily purge; unfinished ones stay). */
    OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
    /** Days an expired self-service login code or session is kept (daily purge); 0: purged at once. */
    SELF_SERVICE_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(1),
    DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
    DELIVERY_BACKOFF_MS: z.coerce.number().int().min(1).default(2000),
    /**
     * Least total backoff of a notification's retries before it is given up and the
     * invitation is `undeliverable` (default 15 minutes; the retries double from
     * DELIVERY_BACKOFF_MS, never fewer than DELIVERY_ATTEMPTS attempts).
     */
    DELIVERY_RETRY_WINDOW_MS: z.coerce.number().int().min(0).default(900_000),
    /** How long a gateway may take to accept a notification. */
    NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    /** Most notifications one expert receives per hour; more wait (0: no limit). */
    NOTIFY_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(0).default(10),
    /** HMAC-SHA256 key of webhook and SMS gateway requests; unset: generated, kept in the database. */
    NOTIFY_SIGNING_SECRET: z.string().min(32).optional(),
    SMS_GATEWAY_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Enables the e-mail channel: `smtp://user:pass@host:587` or `smtps://…`. */
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: z.string().min(3).default('专家抽取调度 <no-reply@localhost>'),
    /** HMAC-SHA256 key of reply, rating and withdrawal links and admin session cookies; unset: generated, kept in the database. */
    REPLY_LINK_SECRET: z.string().min(32).optional(),
    /**
     * The address experts open reply links on. Unset (development only): the API's
     * http://localhost:PORT, which it records for a worker running apart (service-secrets.ts).
     */
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
    /**
     * The Ed25519 key that signs audit checkpoints: PKCS8 PEM (`openssl genpkey -algorithm
     * ed25519`) or its DER in base64. Unset: generated at first start and kept in the database.
     */
    AUDIT_SIGNING_KEY: z
      .string()
      .refine(isSigningKeyText, 'expected an Ed25519 private key (PKCS8 PEM or base64 DER)')
      .optional(),
    /** Where each audit checkpoint is POSTed (signed like webhooks), through the outbox. */
    AUDIT_CHECKPOINT_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** A file each audit checkpoint is appended to as one JSON line (by the worker). */
    AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  })
  .superRefine((env, context) => {
    if (env.DATABASE_REPLICA_URL !== undefined && env.DATABASE_URL === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['DATABASE_REPLICA_URL'],
        message: 'a replica needs DATABASE_URL (its primary)',
      });
    }
    if (env.REDIS_URL !== undefined && env.REDIS_CLUSTER_NODES !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['REDIS_CLUSTER_NODES'],
        message: 'set REDIS_URL (one Redis) or REDIS_CLUSTER_NODES (a cluster), not both',
      });
    }
    if (env.NODE_ENV !== 'production') return;
    for (const name of PRODUCTION_REQUIRED) {
      if (env[name] === undefined) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message:
            name === 'PUBLIC_BASE_URL'
              ? 'required in production (the address experts open links on) / 生产环境必须设置（专家打开链接的地址）'
              : 'required in production (e.g. openssl rand -hex 32) / 生产环境必须设置（例如 openssl rand -hex 32）',
        });
      }
    }
  })
  .transform((env) => ({ ...env, DEMO: env.DEMO ?? env.DATABASE_URL === undefined }));

/** The settings as read: secrets and the public address may still be missing. */
export type EnvSettings = z.infer<typeof envSchema>;

/**
 * The settings a process runs with, once `resolveServiceSecrets` has filled in the secrets
 * (configured, or generated and kept in the database) and the public address.
 */
export type Env = Omit<EnvSettings, (typeof PRODUCTION_REQUIRED)[number]> & {
  readonly REPLY_LINK_SECRET: string;
  readonly NOTIFY_SIGNING_SECRET: string;
  readonly PUBLIC_BASE_URL: string;
};

/**
 * Parses the process environment; throws a readable error naming every bad variable.
 *
 * @example
 * const env = readEnv({ PORT: '8080' }); // env.PORT === 8080, env.DEMO === true
 */
export function readEnv(source: Record<string, string | undefined> = process.env): EnvSettings {
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
