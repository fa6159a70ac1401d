import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../access/issue-api-key.js';
import { createApp } from '../app.js';
import { readEnv } from '../env.js';
import { createLogger } from '../logger.js';
import { resolveServiceEnv } from '../secrets/resolve-service-env.js';
import {
  hasPostgresBinaries,
  type PrivatePostgres,
  startPrivatePostgres,
} from '../testing/private-postgres.test-helpers.js';
import { isDatabaseUnavailable, unavailableCodeOf } from './database-unavailable.js';
import { type OpenDatabase, openDatabase } from './open-database.js';

/** Concurrent requests of each burst while PostgreSQL is down. */
const CONCURRENCY = 50;
const BURSTS = 4;

interface Answer {
  readonly status: number;
  readonly code: unknown;
  readonly retryAfter: string | null;
  readonly contentType: string | null;
  readonly ms: number;
}

// The service over a PostgreSQL cluster of this file's own, which the tests stop and start:
// requests get a fast 503 `database_unavailable` with Retry-After while it is down and are
// served again, without a restart, once it is back.
describe.runIf(hasPostgresBinaries())('PostgreSQL unreachable', () => {
  let pg: PrivatePostgres;
  let database: OpenDatabase;
  let app: ReturnType<typeof createApp>;
  let key: string;
  /** 503 latencies: of the first burst (sent as PostgreSQL went down), and of the later ones. */
  const latencies = { first: [] as number[], later: [] as number[], frozen: [] as number[] };

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    database = await openDatabase({ kind: 'postgres', url: pg.url, maxConnections: 10 });
    await database.migrate();
    const env = (
      await resolveServiceEnv(
        readEnv({ LOG_LEVEL: 'silent', DATABASE_URL: pg.url }),
        database.db,
        'api',
      )
    ).env;
    const issued = await database.db.transaction((tx) =>
      issueApiKey(
        tx,
        {
          authority: { id: 'yn-yjt', tier: 'province', region: '530000', name: '云南省应急管理厅' },
          role: 'admin',
          label: 'outage test',
          actor: { keyId: 'system:test', authorityId: null },
        },
        new Date('2026-03-02T09:00:00+08:00'),
      ),
    );
    key = issued.key;
    app = createApp({
      db: database.db,
      env,
      logger: createLogger('silent'),
      ruleSet: yunnanGmy2025,
      now: () => new Date('2026-03-02T09:00:00+08:00'),
      // As main.ts: a server that answers nothing is found by a ping on its own connection.
      databaseLiveness: database.ping,
    });
  });

  afterAll(async () => {
    await database?.close().catch(() => {});
    await pg?.close();
    const describe = (label: string, values: readonly number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const at = (q: number) =>
        sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.toFixed(1);
      return `${label} (${sorted.length}): p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`;
    };
    const all = [...latencies.first, ...latencies.later];
    if (all.length > 0) {
      console.log(
        `503 latency with PostgreSQL down, ${CONCURRENCY} concurrent: ${describe('all', all)}; ` +
          `${describe('first burst', latencies.first)}; ${describe('later bursts', latencies.later)}`,
      );
    }
    if (latencies.frozen.length > 0) {
      console.log(
        `503 latency with PostgreSQL frozen (connections taken, nothing answered), ${CONCURRENCY} concurrent: ${describe('all', latencies.frozen)}`,
      );
    }
  });

  const ask = async (path = '/v1/experts?limit=1'): Promise<Answer> => {
    const started = performance.now();
    const response = await app.request(path, { headers: { authorization: `Bearer ${key}` } });
    const body = (await response.json()) as { code?: unknown };
    return {
      status: response.status,
      code: body.code,
      retryAfter: response.headers.get('retry-after'),
      contentType: response.headers.get('content-type'),
      ms: performance.now() - started,
    };
  };

  const askUntilServed = async (): Promise<Answer> => {
    let last = await ask();
    // Bounded: the service must serve again by itself soon after PostgreSQL is back.
    for (let attempt = 0; attempt < 100 && last.status !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      last = await ask();
    }
    return last;
  };

  it.each([
    ['a fast shutdown (pg_ctl stop: sessions get 57P01, new connections are refused)', 'fast'],
    ['a crash (immediate shutdown)', 'immediate'],
  ] as const)(
    'answers 503 database_unavailable with Retry-After after %s, and serves again once PostgreSQL is back',
    async (_, mode) => {
      expect((await ask()).status).toBe(200);
      await pg.stop(mode);
      for (let burst = 0; burst < BURSTS; burst += 1) {
        const answers = await Promise.all(Array.from({ length: CONCURRENCY }, () => ask()));
        for (const answer of answers) {
          expect(answer).toMatchObject({
            status: 503,
            code: 'database_unavailable',
            retryAfter: '1',
            contentType: 'application/problem+json',
          });
          (burst === 0 ? latencies.first : latencies.later).push(answer.ms);
        }
      }
      // What needs no database stays up.
      expect((await app.request('/healthz')).status).toBe(200);
      await pg.start();
      expect((await askUntilServed()).status).toBe(200);
    },
  );

  it('answers 503 database_unavailable with Retry-After while PostgreSQL takes connections but answers nothing (frozen: statement_timeout never runs), and serves again once it answers', async () => {
    expect((await ask()).status).toBe(200);
    pg.freeze();
    try {
      for (let burst = 0; burst < 2; burst += 1) {
        const answers = await Promise.all(Array.from({ length: CONCURRENCY }, () => ask()));
        for (const answer of answers) {
          expect(answer).toMatchObject({
            status: 503,
            code: 'database_unavailable',
            retryAfter: '1',
          });
          latencies.frozen.push(answer.ms);
        }
      }
    } finally {
      pg.thaw();
    }
    expect((await askUntilServed()).status).toBe(200);
  });

  it('cancels a statement over DATABASE_STATEMENT_TIMEOUT_MS, which the service answers as unavailable (57014)', async () => {
    const strict = await openDatabase({ kind: 'postgres', url: pg.url, statementTimeoutMs: 100 });
    try {
      const error = await strict.db.execute(sql`select pg_sleep(5)`).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(unavailableCodeOf(error)).toBe('57014');
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await strict.close();
    }
  });

  it('keeps /readyz reporting the database as its dependency while it is down', async () => {
    await pg.stop('fast');
    const response = await app.request('/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ dependency: 'database' });
    await pg.start();
    expect((await askUntilServed()).status).toBe(200);
  });
});
