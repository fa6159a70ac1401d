import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { openDatabase } from '../db/open-database.js';
import type { RedisPing } from '../http/app-env.js';
import { TEST_REDIS_URL } from '../testing/redis.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  POSTGRES_ADMIN_URL,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

/** A local port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** An ioredis client set up as main.ts sets it up for /readyz. */
function connectRedis(url: string): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 1000,
  });
  redis.on('error', () => {});
  redis.connect().catch(() => {});
  return redis;
}

describe.each(backends)('/readyz against real dependencies on %s', (kind) => {
  let t: TestContext;
  const clients: Redis[] = [];
  const withRedis = (url: string): RedisPing => {
    const redis = connectRedis(url);
    clients.push(redis);
    return redis;
  };

  beforeAll(async () => {
    t = await createTestContext(kind);
  });
  afterAll(async () => {
    for (const redis of clients) redis.disconnect();
    await t.close();
  });

  it('is ready when the database answers and Redis is not configured', async () => {
    const response = await call(t, 'GET', '/readyz');
    expect([response.status, response.body]).toEqual([
      200,
      { status: 'ok', database: 'ok', redis: 'not_configured' },
    ]);
  });

  it('is ready when the database and a running Redis answer', async () => {
    const app = createApp({ ...t.services, redis: withRedis(TEST_REDIS_URL) });
    // The client connects in the background, as in main.ts; a probe may come first.
    let response = await call({ app, keys: t.keys }, 'GET', '/readyz');
    for (let i = 0; i < 50 && response.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      response = await call({ app, keys: t.keys }, 'GET', '/readyz');
    }
    expect(response.body).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
  });

  it('fails with a 503 problem naming Redis when Redis is configured but nothing listens', async () => {
    const app = createApp({
      ...t.services,
      redis: withRedis(`redis://127.0.0.1:${await closedPort()}`),
    });
    const response = await call({ app, keys: t.keys }, 'GET', '/readyz');
    expect(response.status).toBe(503);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'service_unavailable', dependency: 'redis' });
  });

  it('fails with a 503 problem naming the database when the database is closed', async () => {
    // Opened (no schema needed for `select 1`) and closed again.
    const closed = await openDatabase(
      kind === 'pglite' ? { kind } : { kind, url: POSTGRES_ADMIN_URL, maxConnections: 1 },
    );
    await closed.close();
    const app = createApp({ ...t.services, db: closed.db });
    const response = await call({ app, keys: t.keys }, 'GET', '/readyz');
    expect(response.status).toBe(503);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'service_unavailable', dependency: 'database' });
  });
});
