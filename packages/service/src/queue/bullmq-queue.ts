import { Queue, Worker } from 'bullmq';
import type { JobData, JobHandler, JobQueue, QueueWorker } from './job-queue.js';
import { bullmqConnection, queuePrefixFor, type RedisTarget } from './redis-target.js';
import { startWatchdog, type WatchdogVerdict } from './worker-watchdog.js';

export interface BullmqQueueOptions {
  /** One Redis server (`redis://…`); or give `target`. */
  readonly url?: string;
  /** One Redis server or a Redis Cluster (`redisTargetOf(env)`); wins over `url`. */
  readonly target?: RedisTarget;
  /** The BullMQ queue name (default `expert-dispatch`). */
  readonly name?: string;
  /**
   * The Redis key prefix (default `ed`), so that test files and deployments do not mix. On a
   * cluster it is used as a hash tag, `{ed}` (`queuePrefixFor`).
   */
  readonly prefix?: string;
  /** How long an `add` may wait for Redis before it fails (the relay retries later). */
  readonly addTimeoutMs?: number;
  /** How long closing a worker waits for its jobs in flight before it forces the close. */
  readonly closeTimeoutMs?: number;
  /** Reports connection errors; BullMQ and ioredis reconnect on their own. */
  readonly onError?: (error: Error) => void;
  /** How long the jobs of a worker that died stay locked before another worker takes them. */
  readonly lockMs?: number;
  /** How often the worker watchdog looks (default 5 s). */
  readonly watchdogIntervalMs?: number;
  /** How long ready jobs may wait on a worker with free slots before it is restarted (15 s). */
  readonly watchdogStallMs?: number;
  /** Told each time the watchdog replaces a stalled worker (the caller logs it). */
  readonly onWorkerRestart?: (event: WorkerRestart) => void;
}

/** The BullMQ priority of background jobs (any: BullMQ runs unprioritized jobs first). */
const BACKGROUND_PRIORITY = 10;
/** One restart of a stalled worker by the watchdog. */
export interface WorkerRestart {
  readonly reason: string;
  /** Restarts of this worker so far, this one included. */
  readonly restarts: number;
}

/** A BullMQ worker under its watchdog. */
export interface BullmqWorker extends QueueWorker {
  /** The BullMQ worker of the current generation (diagnostics and fault tests). */
  readonly current: () => Worker;
  readonly restarts: () => number;
  /** Runs one watchdog check now. */
  readonly check: () => Promise<WatchdogVerdict>;
}

/** The BullMQ queue, whose workers run under a watchdog. */
export interface BullmqJobQueue extends JobQueue {
  readonly kind: 'bullmq';
  readonly startWorker: (
    handler: JobHandler,
    options?: { readonly concurrency?: number },
  ) => BullmqWorker;
}

/**
 * How long one connection attempt may take. A stopped Redis refuses at once, so this only
 * bounds a slow handshake: on a busy event loop (PGlite in the same process, a loaded machine)
 * 1 s timed out every attempt after a restart and the queue never came back.
 */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Completed jobs are kept this long so that their ids still deduplicate a late re-add — and no
 * longer (#17: ~1,500 bytes of Redis each). A job is added again only by the outbox relay
 * after its claim lease ran out (seconds) or by the sweeper for a delivery unfinished for
 * DELIVERY_STALE_MS (2 minutes) whose job is gone: an hour is a wide margin over both.
 */
export const KEEP_COMPLETED_SECONDS = 3600;

/**
 * Failed jobs (every attempt spent) are kept a day: they show on the dashboard, and while one
 * is kept the sweeper does not add its unfinished delivery again.
 */
export const KEEP_FAILED_SECONDS = 24 * 3600;

/** The BullMQ queue name of the dispatch jobs (the dashboard opens it too). */
export const DISPATCH_QUEUE_NAME = 'expert-dispatch';

/**
 * The BullMQ implementation of the queue. Adding fails within `addTimeoutMs` while Redis is down
 * — the caller is the outbox relay, which leaves the row for the next round; a queue opened
 * while Redis was down is reopened until it starts (BullMQ would keep failing). Workers reconnect
 * on their own, and each runs under a watchdog (`judgeWorker`): a worker whose loop stopped, or
 * that takes none of the ready jobs for `watchdogStallMs` while it has a free slot (BullMQ
 * workers are known to stall after a Redis restart), is replaced by a fresh one and the
 * restart reported. BullMQ ids must not contain `:`, which the outbox ids never do.
 *
 * @example
 * const queue = createBullmqQueue({ url: 'redis://127.0.0.1:6379', prefix: 'ed' });
 */
export function createBullmqQueue(options: BullmqQueueOptions): BullmqJobQueue {
  const name = options.name ?? DISPATCH_QUEUE_NAME;
  const target: RedisTarget =
    options.target ??
    (options.url === undefined
      ? unreachable('createBullmqQueue needs a url or a target')
      : { kind: 'single', url: options.url });
  const prefix = queuePrefixFor(target, options.prefix ?? 'ed');
  const onError = options.onError ?? (() => {});
  let closed = false;
  const openProducer = (): Queue => {
    const connection = bullmqConnection(target, {
      maxRetriesPerRequest: 1,
      connectTimeout: CONNECT_TIMEOUT_MS,
      retryStrategy: reconnectDelay,
    });
    const opened = new Queue(name, {
      connection: connection.options,
      prefix,
      skipWaitingForReady: true,
    });
    // BullMQ leaves a client it was given open: it goes with the queue.
    const disconnect = opened.disconnect.bind(opened);
    opened.disconnect = async () => {
      await disconnect().finally(connection.release);
    };
    const close = opened.close.bind(opened);
    opened.close = async () => {
      await close().finally(connection.release);
    };
    opened.on('error', onError);
    // A queue that starts while Redis is down fails its version check, and BullMQ keeps that
    // failure for good: every later call rejects with it, even once Redis is back. Open a
    // fresh one (after a pause, so that a long outage does not spin).
    opened.waitUntilReady().catch(() => {
      setTimeout(() => {
        if (closed || queue !== opened) return;
        queue = openProducer();
        void opened.disconnect().catch(() => {});
      }, 1000).unref();
    });
    return opened;
  };
  let queue = openProducer();
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
          // BullMQ takes every job of its wait list before any prioritized one.
          ...(job.background === true ? { priority: BACKGROUND_PRIORITY } : {}),
          backoff: { type: 'exponential', delay: job.backoffMs ?? 1000 },
          removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
          removeOnFail: { age: KEEP_FAILED_SECONDS },
        }),
        addTimeoutMs,
      );
    },
    hasJob: async (id) => (await withTimeout(queue.getJob(id), addTimeoutMs)) !== undefined,
    counts: async () => {
      const counts = await withTimeout(
        queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'),
        addTimeoutMs,
      );
      return {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
      };
    },
    startWorker: (handler: JobHandler, workerOptions = {}): BullmqWorker => {
      const concurrency = Math.max(1, workerOptions.concurrency ?? 1);
      let inFlight = 0;
      let lastStartedAt = Date.now();
      let closing = false;
      let restarts = 0;
      const retiring = new Set<Promise<void>>();
      const spawn = () => {
        // On a cluster BullMQ copies this client for both of the worker's connections; the
        // copy is never connected itself (lazyConnect) and is let go with the worker.
        const connection = bullmqConnection(target, {
          connectTimeout: CONNECT_TIMEOUT_MS,
          retryStrategy: reconnectDelay,
          lazyConnect: true,
        });
        const worker = new Worker(
          name,
          async (job) => {
            inFlight += 1;
            lastStartedAt = Date.now();
            try {
              await handler({
                id: job.id ?? '',
                name: job.name,
                data: job.data as JobData,
                attempt: job.attemptsMade + 1,
                attempts: job.opts.attempts ?? 1,
                dueAt: job.timestamp + (job.opts.delay ?? 0),
              });
            } finally {
              inFlight -= 1;
            }
          },
          {
            connection: connection.options,
            prefix,
            concurrency,
            // After a connection error BullMQ waits this long before it fetches again
            // (default 15 s): Redis is back within seconds of a restart, so is the worker.
            runRetryDelay: 1000,
            ...(options.lockMs === undefined
              ? {}
              : { lockDuration: options.lockMs, stalledInterval: options.lockMs }),
          },
        );
        worker.on('error', onError);
        worker.on('closed', connection.release);
        return worker;
      };
      // Waits for the jobs in flight; a worker that cannot reach Redis is closed by force.
      const retire = (worker: Worker): Promise<void> => {
        const done = withTimeout(worker.close(), closeTimeoutMs)
          .catch(() => withTimeout(worker.close(true), 2000))
          .catch(() => {})
          .finally(() => retiring.delete(done));
        retiring.add(done);
        return done;
      };
      let current = spawn();
      const watchdog = startWatchdog({
        intervalMs: options.watchdogIntervalMs ?? 5000,
        stallMs: options.watchdogStallMs ?? 15_000,
        inspect: async () => ({
          running: current.isRunning(),
          closing,
          inFlight,
          concurrency,
          lastStartedAt,
          backlog: await readyJobs(queue, addTimeoutMs),
        }),
        restart: async (reason) => {
          if (closing) return;
          // The new worker takes jobs at once; the stalled one finishes what it holds.
          const stalled = current;
          current = spawn();
          lastStartedAt = Date.now();
          restarts += 1;
          options.onWorkerRestart?.({ reason, restarts });
          void retire(stalled);
        },
      });
      return {
        current: () => current,
        restarts: () => restarts,
        check: watchdog.check,
        close: async () => {
          closing = true;
          watchdog.stop();
          await Promise.all([retire(current), ...retiring]);
        },
      };
    },
    close: () => {
      closed = true;
      return withTimeout(queue.close(), 2000).catch(() => queue.disconnect());
    },
  };
}

function unreachable(message: string): never {
  throw new Error(message);
}

/**
 * ioredis' delay before reconnect attempt `times`: BullMQ's default grows as e^times up to
 * 20 s, so after a minute of outage a restarted Redis was found only up to 20 s later.
 */
function reconnectDelay(times: number): number {
  return Math.min(200 * times, 2000);
}

/** Jobs a worker could take now: waiting, prioritized, and delayed ones already due. */
async function readyJobs(queue: Queue, timeoutMs: number): Promise<number | null> {
  try {
    const [counts, due] = await withTimeout(
      Promise.all([
        queue.getJobCounts('waiting', 'prioritized'),
        queue.getDelayedCount(Date.now()),
      ]),
      timeoutMs,
    );
    return (counts.waiting ?? 0) + (counts.prioritized ?? 0) + due;
  } catch {
    return null;
  }
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
