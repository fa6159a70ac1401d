import { Queue, Worker } from 'bullmq';
import type { JobData, JobHandler, JobQueue, QueueWorker } from './job-queue.js';

export interface BullmqQueueOptions {
  readonly url: string;
  /** The BullMQ queue name (default `expert-dispatch`). */
  readonly name?: string;
  /** The Redis key prefix (default `ed`), so that test files and deployments do not mix. */
  readonly prefix?: string;
  /** How long an `add` may wait for Redis before it fails (the relay retries later). */
  readonly addTimeoutMs?: number;
  /** How long closing a worker waits for its jobs in flight before it forces the close. */
  readonly closeTimeoutMs?: number;
  /** Reports connection errors; BullMQ and ioredis reconnect on their own. */
  readonly onError?: (error: Error) => void;
}

/** Completed jobs are kept this long so that their ids still deduplicate a late re-add. */
const KEEP_COMPLETED_SECONDS = 24 * 3600;

/**
 * The BullMQ implementation of the queue. Adding fails within `addTimeoutMs` while Redis is down
 * — the caller is the outbox relay, which leaves the row for the next round; workers
 * reconnect on their own. BullMQ ids must not contain `:`, which the outbox ids never do.
 *
 * @example
 * const queue = createBullmqQueue({ url: 'redis://127.0.0.1:6379', prefix: 'ed' });
 */
export function createBullmqQueue(options: BullmqQueueOptions): JobQueue {
  const name = options.name ?? 'expert-dispatch';
  const prefix = options.prefix ?? 'ed';
  const onError = options.onError ?? (() => {});
  const queue = new Queue(name, {
    connection: {
      url: options.url,
      maxRetriesPerRequest: 1,
      connectTimeout: 1000,
    },
    prefix,
    skipWaitingForReady: true,
  });
  queue.on('error', onError);
  const addTimeoutMs = options.addTimeoutMs ?? 2000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 30_000;

  return {
    kind: 'bullmq',
    add: async (jobName, data: JobData, job) => {
      const attempts = Math.max(1, job.attempts ?? 1);
      await withTimeout(
        queue.add(jobName, data, {
          jobId: job.id,
          ...(job.delayMs === undefined ? {} : { delay: Math.max(0, job.delayMs) }),
          attempts,
          backoff: { type: 'exponential', delay: job.backoffMs ?? 1000 },
          removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
          removeOnFail: { age: KEEP_COMPLETED_SECONDS },
        }),
        addTimeoutMs,
      );
    },
    hasJob: async (id) => (await withTimeout(queue.getJob(id), addTimeoutMs)) !== undefined,
    startWorker: (handler: JobHandler, workerOptions = {}): QueueWorker => {
      const worker = new Worker(
        name,
        async (job) => {
          await handler({
            id: job.id ?? '',
            name: job.name,
            data: job.data as JobData,
            attempt: job.attemptsMade + 1,
            attempts: job.opts.attempts ?? 1,
          });
        },
        {
          connection: { url: options.url, connectTimeout: 1000 },
          prefix,
          concurrency: Math.max(1, workerOptions.concurrency ?? 1),
        },
      );
      worker.on('error', onError);
      return {
        // Waits for the jobs in flight; a worker that cannot reach Redis is closed by force.
        close: () => withTimeout(worker.close(), closeTimeoutMs).catch(() => worker.close(true)),
      };
    },
    close: () => withTimeout(queue.close(), 2000).catch(() => queue.disconnect()),
  };
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
