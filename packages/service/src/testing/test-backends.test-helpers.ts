import { yunnanGmy2025 } from '@expert-dispatch/rules';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { count } from 'drizzle-orm';
import postgres from 'postgres';
import { issueApiKey } from '../access/issue-api-key.js';
import { createApp } from '../app.js';
import { type DatabaseKind, type OpenDatabase, openDatabase } from '../db/open-database.js';
import { auditLog } from '../db/schema.js';
import { readEnv } from '../env.js';
import type { AppEnv, Role, Services } from '../http/app-env.js';
import { createLogger } from '../logger.js';
import { resolveServiceEnv } from '../secrets/resolve-service-env.js';
import { migratedPgliteDump } from './migrated-templates.test-helpers.js';
import { createScratchPostgres } from './scratch-postgres.test-helpers.js';

/** The server the PostgreSQL variant creates its scratch databases on. */
export const POSTGRES_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let probed: Promise<DatabaseKind[]> | undefined;

/**
 * The storage backends the integration suites run on: PGlite always, PostgreSQL when it answers.
 * In CI (`CI=true`) an unreachable PostgreSQL fails the suite; elsewhere it is left out with a
 * warning, so a laptop without PostgreSQL still runs the PGlite variant.
 */
export function availableBackends(): Promise<DatabaseKind[]> {
  probed ??= probeBackends();
  return probed;
}

async function probeBackends(): Promise<DatabaseKind[]> {
  const sql = postgres(POSTGRES_ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return ['pglite', 'postgres'];
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (process.env.CI === 'true') {
      throw new Error(
        `PostgreSQL at ${POSTGRES_ADMIN_URL} is unreachable (${why}); CI must run the PostgreSQL variant`,
      );
    }
    console.warn(
      `PostgreSQL at ${POSTGRES_ADMIN_URL} is unreachable (${why}): running the service suite on PGlite only.`,
    );
    return ['pglite'];
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

/**
 * A fresh, migrated database: PGlite in memory, or `ed_test_<random>` on the PostgreSQL server,
 * dropped again by `close`. Both start from a copy migrated once (migrated-templates.test-helpers).
 */
export async function createTestDatabase(kind: DatabaseKind): Promise<OpenDatabase> {
  if (kind === 'pglite') {
    const opened = await openDatabase({ kind: 'pglite', loadDataDir: await migratedPgliteDump() });
    await opened.migrate();
    return opened;
  }
  const scratch = await createScratchPostgres(POSTGRES_ADMIN_URL, 'ed_test', 8);
  return { ...scratch.database, close: scratch.drop };
}

/** A settable clock for tests. */
export interface TestClock {
  now: () => Date;
  set: (iso: string) => void;
}

export function createClock(start = '2026-03-02T09:00:00+08:00'): TestClock {
  let current = new Date(start);
  return { now: () => new Date(current), set: (iso) => (current = new Date(iso)) };
}

/** Authorities the suites use: the province, two cities, a county of Kunming. */
export const AUTHORITIES = {
  yn: { id: 'yn-yjt', tier: 'province', region: '530000', name: '云南省应急管理厅' },
  km: { id: 'km-yjj', tier: 'city', region: '530100', name: '昆明市应急管理局' },
  dl: { id: 'dl-yjj', tier: 'city', region: '532900', name: '大理州应急管理局' },
  wh: { id: 'wh-yjj', tier: 'county', region: '530102', name: '五华区应急管理局' },
} as const;

export type AuthorityName = keyof typeof AUTHORITIES;
export type KeyName = `${AuthorityName}.${Role}`;

export interface TestContext {
  readonly kind: DatabaseKind;
  readonly database: OpenDatabase;
  readonly app: OpenAPIHono<AppEnv>;
  readonly services: Services;
  readonly clock: TestClock;
  /** The secret of each authority's key of each role, e.g. `keys['km.admin']`. */
  readonly keys: Record<KeyName, string>;
  readonly keyIds: Record<KeyName, string>;
  readonly close: () => Promise<void>;
}

/**
 * A fresh database, the app over it, and one key per authority and role.
 *
 * @example
 * const t = await createTestContext('pglite');
 * await call(t, 'GET', '/v1/experts', { key: 'yn.viewer' });
 */
export async function createTestContext(
  kind: DatabaseKind,
  envOverrides: Record<string, string> = {},
  serviceOverrides: Partial<Services> = {},
): Promise<TestContext> {
  const database = await createTestDatabase(kind);
  const clock = createClock();
  const services: Services = {
    db: database.db,
    // Secrets not given come from the database, as in a process started without them.
    env: (
      await resolveServiceEnv(
        // The suites' receivers listen on 127.0.0.1: allowed as an operator would allow them.
        readEnv({ LOG_LEVEL: 'silent', OUTBOUND_ALLOW_HOSTS: '127.0.0.1', ...envOverrides }),
        database.db,
        'api',
      )
    ).env,
    logger: createLogger('silent'),
    ruleSet: yunnanGmy2025,
    now: clock.now,
    ...serviceOverrides,
  };
  const keys = {} as Record<KeyName, string>;
  const keyIds = {} as Record<KeyName, string>;
  await database.db.transaction(async (tx) => {
    for (const [name, authority] of Object.entries(AUTHORITIES)) {
      for (const role of ['admin', 'dispatcher', 'auditor', 'viewer'] as const) {
        const issued = await issueApiKey(
          tx,
          {
            authority,
            role,
            label: `${name} ${role}`,
            actor: { keyId: 'system:test', authorityId: null },
          },
          clock.now(),
        );
        keys[`${name as AuthorityName}.${role}`] = issued.key;
        keyIds[`${name as AuthorityName}.${role}`] = issued.id;
      }
    }
  });
  return {
    kind,
    database,
    app: createApp(services),
    services,
    clock,
    keys,
    keyIds,
    close: () => database.close(),
  };
}

export interface CallOptions {
  readonly key?: KeyName | { readonly secret: string };
  readonly json?: unknown;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

/** A parsed response body: the fields the suites read often are typed, the rest is unknown. */
export interface TestBody {
  readonly [key: string]: unknown;
  readonly code?: string;
  readonly errors?: { path: string; message: string }[];
  readonly items?: TestBody[];
  readonly id?: string;
  readonly key?: string;
  readonly nextCursor?: string | null;
  readonly rows?: TestBody[];
  readonly summary?: Record<string, number>;
}

export interface CallResult {
  readonly status: number;
  readonly headers: Headers;
  readonly contentType: string;
  readonly body: TestBody;
  readonly text: string;
}

/** One request through `app.request()`; JSON and problem+json bodies come back parsed. */
export async function call(
  t: Pick<TestContext, 'app' | 'keys'>,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) {
    const secret = typeof options.key === 'string' ? t.keys[options.key] : options.key.secret;
    headers.authorization = `Bearer ${secret}`;
  }
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await t.app.request(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  const parsed: TestBody = /json/.test(contentType) && text !== '' ? JSON.parse(text) : { text };
  return { status: response.status, headers: response.headers, contentType, body: parsed, text };
}

/** How many audit entries there are: a write that was refused must not add one. */
export async function countAuditEntries(t: Pick<TestContext, 'database'>): Promise<number> {
  const [row] = await t.database.db.select({ n: count() }).from(auditLog);
  return row?.n ?? 0;
}
