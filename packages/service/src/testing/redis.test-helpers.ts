import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the BullMQ variants run on. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type QueueMode = 'in-process' | 'bullmq';

let probed: Promise<QueueMode[]> | undefined;

/**
 * The queue modes the dispatch suites run in: in-process always, BullMQ when Redis answers.
 * In CI (`CI=true`) an unreachable Redis fails the suite; elsewhere it is left out with a
 * warning, like PostgreSQL in `availableBackends`.
 */
export function availableQueueModes(): Promise<QueueMode[]> {
  probed ??= probeRedis();
  return probed;
}

async function probeRedis(): Promise<QueueMode[]> {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return ['in-process', 'bullmq'];
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (process.env.CI === 'true') {
      throw new Error(`Redis at ${TEST_REDIS_URL} is unreachable (${why}); CI must run BullMQ`);
    }
    console.warn(
      `Redis at ${TEST_REDIS_URL} is unreachable (${why}): running the dispatch suites in-process only.`,
    );
    return ['in-process'];
  } finally {
    redis.disconnect();
  }
}

/** A key prefix of its own for one test file, so that files never share BullMQ state. */
export function freshQueuePrefix(): string {
  return `edtest-${randomBytes(5).toString('hex')}`;
}

/**
 * Deletes every key under a test prefix, and under the prefixes a file derives from it
 * (`<prefix>-<kind>:…`, one BullMQ prefix per storage backend): any key that starts with it
 * (prefixes are all of one length, so none is the start of another).
 */
export async function dropQueuePrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
