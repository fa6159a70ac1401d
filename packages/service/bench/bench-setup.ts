import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { yunnanGmy2025 } from '@expert-dispatch/rules';
import type autocannon from 'autocannon';
import { issueApiKey } from '../src/access/issue-api-key.js';
import type { Database } from '../src/db/open-database.js';
import { DEMO_AUTHORITY, seedDemoIfEmpty } from '../src/demo/seed-demo.js';
import { readEnv } from '../src/env.js';
import type { Services } from '../src/http/app-env.js';
import { createLogger } from '../src/logger.js';
import { resolveServiceEnv } from '../src/secrets/resolve-service-env.js';
import { idempotencyKeyOf, taskBody } from './task-bodies.js';

/** The seed of the benchmarks' demo pool, the same in every bench so that figures compare. */
const POOL_SEED = 20_251_217;

/**
 * Seeds an empty scratch database with a demo pool of `poolSize` experts and issues a
 * dispatcher key of the demo authority; returns the headers that send a JSON request as it.
 *
 * @example
 * const headers = await seedBenchPool(scratch.database.db, 2000);
 * await fetch(`${url}/v1/tasks`, { method: 'POST', headers, body });
 */
export async function seedBenchPool(
  db: Database,
  poolSize: number,
): Promise<Record<string, string>> {
  const seeded = await seedDemoIfEmpty(db, { size: poolSize, seed: POOL_SEED, now: new Date() });
  if (seeded === null) throw new Error('the scratch database was not empty');
  const dispatcher = await db.transaction((tx) =>
    issueApiKey(
      tx,
      {
        authority: DEMO_AUTHORITY,
        role: 'dispatcher',
        label: 'bench dispatcher',
        actor: { keyId: 'system:bench', authorityId: null },
      },
      new Date(),
    ),
  );
  return { authorization: `Bearer ${dispatcher.key}`, 'content-type': 'application/json' };
}

/**
 * The services of an API process on the bench's scratch database, silent, with Yunnan's rule
 * set and the wall clock — what `createApp` takes.
 *
 * @example
 * const app = createApp(await benchServices(db, scratch.url));
 */
export async function benchServices(db: Database, databaseUrl: string): Promise<Services> {
  const { env } = await resolveServiceEnv(
    readEnv({ LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl }),
    db,
    'api',
  );
  return {
    db,
    env,
    logger: createLogger('silent'),
    ruleSet: yunnanGmy2025,
    now: () => new Date(),
  };
}

/**
 * Issues another key of the bench's demo authority (an admin's, for the expert updates) and
 * returns the headers that send a JSON request as it.
 *
 * @example
 * const admin = await benchKeyHeaders(db, 'admin');
 */
export async function benchKeyHeaders(
  db: Database,
  role: 'admin' | 'dispatcher',
): Promise<Record<string, string>> {
  const issued = await db.transaction((tx) =>
    issueApiKey(
      tx,
      {
        authority: DEMO_AUTHORITY,
        role,
        label: `bench ${role}`,
        actor: { keyId: 'system:bench', authorityId: null },
      },
      new Date(),
    ),
  );
  return { authorization: `Bearer ${issued.key}`, 'content-type': 'application/json' };
}

/**
 * Sends the `n`-th task of the benchmark (see task-bodies.ts) and fails unless it is created;
 * the warm-up before the load.
 *
 * @example
 * for (let n = 0; n < 10; n++) await postWarmUpTask(url, headers, n);
 */
export async function postWarmUpTask(
  url: string,
  headers: Record<string, string>,
  n: number,
): Promise<void> {
  // A loaded shared machine can make the database gate answer 503 for a moment (Retry-After):
  // the same request (same key) is sent again, up to 10 times.
  let response: Response;
  let text: string;
  for (let attempt = 1; ; attempt++) {
    response = await fetch(`${url}/v1/tasks`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': idempotencyKeyOf(n) },
      body: JSON.stringify(taskBody(n)),
    });
    text = await response.text();
    if (response.status !== 503 || attempt >= 10) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  if (response.status !== 201) {
    throw new Error(
      `warm-up request ${n} to ${url} answered ${response.status}: ${text.slice(0, 500)}`,
    );
  }
}

/**
 * Runs autocannon in a child process (see load-client.ts), so that it does not share the
 * server's event loop, and returns its result and the next unused request number.
 *
 * @example
 * const result = await runLoadClient({ url, headers, connections: 10, durationSeconds: 10, first: 30 });
 */
export async function runLoadClient(options: {
  /** One server, or several (the connections are spread over them in turn). */
  readonly url: string | readonly string[];
  readonly headers: Record<string, string>;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly first: number;
}): Promise<autocannon.Result & { last: number }> {
  const client = new URL('./load-client.ts', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--conditions=@expert-dispatch/source', client, JSON.stringify(options)],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as autocannon.Result & { last: number };
}
