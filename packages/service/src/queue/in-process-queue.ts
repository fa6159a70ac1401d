import type { JobData, JobHandler, JobOptions, JobQueue, QueueWorker } from './job-queue.js';
import { backoffDelay } from './job-queue.js';

interface Entry {
  readonly id: string;
  readonly name: string;
  readonly data: JobData;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly dueAt: number;
  readonly background: boolean;
  attempt: number;
  state: 'delayed' | 'waiting' | 'active' | 'completed' | 'failed';
  timer?: NodeJS.Timeout;
}

const MAX_TIMER_MS = 2_147_483_647;

/** How many finished job ids the queue remembers for deduplication. */
const REMEMBERED_FINISHED = 10_000;

/**
 * A queue inside this process with the semantics of the BullMQ one: job ids deduplicate,
 * delays, retries with exponential backoff, bounded concurrency. Jobs do not survive the
 * process; the outbox relay and the sweeper put back whatever was lost.
 *
 * @example
 * const queue = createInProcessQueue();
 * queue.startWorker(async (job) => console.log(job.name, job.attempt));
 * await queue.add('ping', {}, { id: 'j-1', delayMs: 10 });
 */
export function createInProcessQueue(): JobQueue {
  const jobs = new Map<string, Entry>();
  const ready: Entry[] = [];
  // Background jobs wait here until nothing else is ready (see `JobOptions.background`).
  const readyInBackground: Entry[] = [];
  const finished: string[] = [];
  const workers = new Set<() => void>();
  let closed = false;

  const wake = () => {
    for (const pump of workers) pump();
  };
  const makeReady = (entry: Entry) => {
    entry.state = 'waiting';
    (entry.background ? readyInBackground : ready).push(entry);
    wake();
  };
  const schedule = (entry: Entry, delayMs: number) => {
    if (delayMs <= 0) return makeReady(entry);
    entry.state = 'delayed';
    // setTimeout overflows past ~24.8 days; a job that runs early finds nothing due (the
    // deadline job checks the database) and the sweeper acts when it is.
    entry.timer = setTimeout(() => makeReady(entry), Math.min(delayMs, MAX_TIMER_MS));
  };
  const finish = (entry: Entry, state: 'completed' | 'failed') => {
    entry.state = state;
    finished.push(entry.id);
    while (finished.length > REMEMBERED_FINISHED) {
      const oldest = finished.shift();
      if (oldest !== undefined) jobs.delete(oldest);
    }
  };

  return {
    kind: 'in-process',
    add: async (name, data, options: JobOptions) => {
      if (closed) throw new Error('the queue is closed');
      if (jobs.has(options.id)) return;
      const entry: Entry = {
        id: options.id,
        name,
        data,
        attempts: Math.max(1, options.attempts ?? 1),
        backoffMs: options.backoffMs ?? 1000,
        dueAt: Date.now() + Math.max(0, options.delayMs ?? 0),
        background: options.background === true,
        attempt: 0,
        state: 'delayed',
      };
      jobs.set(entry.id, entry);
      schedule(entry, options.delayMs ?? 0);
    },
    hasJob: async (id) => jobs.has(id),
    counts: async () => {
      const counts = { waiting: 0, active: 0, delayed: 0, failed: 0 };
      for (const entry of jobs.values()) {
        if (entry.state !== 'completed') counts[entry.state] += 1;
      }
      return counts;
    },
    startWorker: (handler: JobHandler, options = {}): QueueWorker => {
      const concurrency = Math.max(1, options.concurrency ?? 1);
      const inFlight = new Set<Promise<void>>();
      let stopped = false;
      const run = async (entry: Entry) => {
        entry.attempt += 1;
        entry.state = 'active';
        try {
          await handler({
            id: entry.id,
            name: entry.name,
            data: entry.data,
            attempt: entry.attempt,
            attempts: entry.attempts,
            dueAt: entry.dueAt,
          });
          finish(entry, 'completed');
        } catch {
          if (entry.attempt >= entry.attempts || closed) finish(entry, 'failed');
          else schedule(entry, backoffDelay(entry.backoffMs, entry.attempt));
        }
      };
      const pump = () => {
        while (
          !stopped &&
          inFlight.size < concurrency &&
          ready.length + readyInBackground.length > 0
        ) {
          const entry = ready.shift() ?? readyInBackground.shift();
          if (entry === undefined) break;
          const running = run(entry).finally(() => {
            inFlight.delete(running);
            pump();
          });
          inFlight.add(running);
        }
      };
      workers.add(pump);
      queueMicrotask(pump);
      return {
        close: async () => {
          stopped = true;
          workers.delete(pump);
          await Promise.allSettled([...inFlight]);
        },
      };
    },
    close: async () => {
      closed = true;
      for (const entry of jobs.values()) clearTimeout(entry.timer);
      ready.length = 0;
      readyInBackground.length = 0;
    },
  };
}
