import { createBullmqQueue, type WorkerRestart } from './bullmq-queue.js';
import { createInProcessQueue } from './in-process-queue.js';
import type { JobQueue } from './job-queue.js';
import { redisTargetOf } from './redis-target.js';

/**
 * The queue the environment names: BullMQ when `REDIS_URL` (one Redis) or `REDIS_CLUSTER_NODES`
 * (a Redis Cluster, the prefix hash-tagged) is set, else the in-process one.
 *
 * @example
 * const queue = openQueue({ REDIS_URL: undefined }); // queue.kind === 'in-process'
 */
export function openQueue(
  env: {
    readonly REDIS_URL?: string | undefined;
    readonly REDIS_CLUSTER_NODES?: string | undefined;
    readonly QUEUE_PREFIX?: string | undefined;
    readonly QUEUE_LOCK_MS?: number | undefined;
  },
  onError?: (error: Error) => void,
  onWorkerRestart?: (event: WorkerRestart) => void,
): JobQueue {
  const target = redisTargetOf(env);
  if (target === undefined) return createInProcessQueue();
  return createBullmqQueue({
    target,
    ...(env.QUEUE_PREFIX === undefined ? {} : { prefix: env.QUEUE_PREFIX }),
    ...(env.QUEUE_LOCK_MS === undefined ? {} : { lockMs: env.QUEUE_LOCK_MS }),
    ...(onError === undefined ? {} : { onError }),
    ...(onWorkerRestart === undefined ? {} : { onWorkerRestart }),
  });
}
