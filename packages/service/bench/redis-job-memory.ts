import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createBullmqQueue } from '../src/queue/bullmq-queue.js';
import { hasRedisServer, startPrivateRedis } from '../src/testing/redis-server.test-helpers.js';

/** Redis memory per job of the dispatch queue, in bytes (`INFO memory` used_memory deltas). */
export interface JobMemory {
  readonly jobs: number;
  readonly redisVersion: string;
  /** A `deliver_invitation` job waiting for a worker. */
  readonly waitingBytes: number;
  /** An `invitation_deadline` job delayed until the reply deadline. */
  readonly delayedBytes: number;
  /** A finished job, kept 24 h so that its id still deduplicates a late re-add. */
  readonly completedBytes: number;
}

const hex = () => randomBytes(10).toString('hex');

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

/** Adds jobs `concurrency` at a time. */
async function addAll(count: number, add: (n: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let n = next++; n < count; n = next++) await add(n);
  };
  await Promise.all(Array.from({ length: 32 }, lane));
}

/**
 * Starts a private redis-server (nothing else writes to it, so the deltas are ours alone) and
 * adds `count` jobs of each kind the way the outbox relay adds them — our job ids, payloads,
 * attempts, backoff and retention — then runs the waiting ones to completion. Null when no
 * redis-server binary is installed.
 *
 * @example
 * const memory = await measureJobMemory(10_000); // memory?.waitingBytes ≈ 1,000
 */
export async function measureJobMemory(count: number): Promise<JobMemory | null> {
  if (!hasRedisServer()) return null;
  const server = await startPrivateRedis();
  const redis = new Redis(server.url);
  const queue = createBullmqQueue({ url: server.url, prefix: 'ed', addTimeoutMs: 10_000 });
  try {
    const version = /redis_version:([^\r\n]+)/.exec(await redis.info('server'))?.[1] ?? '?';
    // One job first, so that the queue's own keys and scripts are in the baseline.
    await queue.add('deliver_invitation', { deliveryId: `dl_${hex()}` }, { id: `ob_${hex()}` });
    await redis.call('memory', 'purge').catch(() => {});
    const base = await usedMemory(redis);
    await addAll(count, (n) =>
      queue.add(
        'deliver_invitation',
        { deliveryId: `dl_${hex()}` },
        { id: `ob_${hex()}${n}`, attempts: 5, backoffMs: 2000 },
      ),
    );
    const waiting = await usedMemory(redis);
    await addAll(count, (n) =>
      queue.add(
        'invitation_deadline',
        { seatId: 1_000_000 + n },
        { id: `ob_${hex()}`, delayMs: 2 * 86_400_000, attempts: 3, backoffMs: 2000 },
      ),
    );
    const delayed = await usedMemory(redis);
    const worker = queue.startWorker(async () => {}, { concurrency: 32 });
    for (;;) {
      const counts = await queue.counts();
      if (counts.waiting === 0 && counts.active === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await worker.close();
    const completed = await usedMemory(redis);
    return {
      jobs: count,
      redisVersion: version,
      waitingBytes: (waiting - base) / count,
      delayedBytes: (delayed - waiting) / count,
      // The waiting jobs became completed ones: what they take now, the delayed ones apart.
      completedBytes: (completed - delayed + (waiting - base)) / count,
    };
  } finally {
    await queue.close();
    redis.disconnect();
    await server.close();
  }
}
