/** A job's payload: flat JSON, so that both queues carry it unchanged. */
export type JobData = Readonly<Record<string, string | number | boolean | null>>;

/** How a job is added. `id` deduplicates: a second add with a known id adds nothing. */
export interface JobOptions {
  readonly id: string;
  /** Run no earlier than this many milliseconds from now. */
  readonly delayMs?: number;
  /** Total attempts, the first included (default 1). */
  readonly attempts?: number;
  /** First retry delay; each further retry doubles it (exponential backoff). */
  readonly backoffMs?: number;
  /**
   * Runs only when no other job is waiting: periodic work (profile reminders, a lapsed term's
   * notice, the monthly digest) that a burst of must never hold back an invitation, least of
   * all an accident rescue's (第六条（四）).
   */
  readonly background?: boolean;
}

/** A job as its handler sees it; `attempt` counts from 1 up to `attempts`. */
export interface QueuedJob {
  readonly id: string;
  readonly name: string;
  readonly data: JobData;
  readonly attempt: number;
  readonly attempts: number;
  /**
   * When the job first became due, in epoch milliseconds: added, plus its delay. The metrics
   * measure the wait of a first attempt from it; absent when the queue cannot tell.
   */
  readonly dueAt?: number;
}

/** How many jobs the queue holds in each state (the metrics' queue depth). */
export interface JobCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
}

/** Does the work of a job; throwing makes the queue retry it while attempts remain. */
export type JobHandler = (job: QueuedJob) => Promise<void>;

/** A running consumer; `close` stops taking jobs and waits for the ones in flight. */
export interface QueueWorker {
  readonly close: () => Promise<void>;
}

/**
 * The one queue interface of the service, with two implementations: BullMQ on Redis
 * (`REDIS_URL` set) and an in-process queue for a bare machine. PostgreSQL stays the source of
 * truth (the outbox), so either may lose jobs without losing work.
 *
 * @example
 * const queue = createInProcessQueue();
 * await queue.add('deliver', { deliveryId: 'dl_1' }, { id: 'ob_1', attempts: 5, backoffMs: 1000 });
 * const worker = queue.startWorker(async (job) => deliver(job.data), { concurrency: 4 });
 */
export interface JobQueue {
  readonly kind: 'bullmq' | 'in-process';
  /** Adds a job unless one with the same id is known; resolves once the queue has it. */
  readonly add: (name: string, data: JobData, options: JobOptions) => Promise<void>;
  /** True while the queue still knows a job with this id (waiting, delayed, active or done). */
  readonly hasJob: (id: string) => Promise<boolean>;
  /** Jobs waiting, running, held back and failed for good: in Redis (every process) or here. */
  readonly counts: () => Promise<JobCounts>;
  readonly startWorker: (
    handler: JobHandler,
    options?: { readonly concurrency?: number },
  ) => QueueWorker;
  /** Closes the queue's own connections (workers close on their own). */
  readonly close: () => Promise<void>;
}

/**
 * The delay before retry number `retry` (1 for the first retry): `backoffMs · 2^(retry−1)`.
 *
 * @example
 * backoffDelay(1000, 3); // 4000
 */
export function backoffDelay(backoffMs: number, retry: number): number {
  return backoffMs * 2 ** Math.max(0, retry - 1);
}
