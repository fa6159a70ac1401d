import { yunnanGmy2025 } from '@expert-dispatch/rules';
import type { Logger } from 'pino';
import type { Database } from './db/open-database.js';
import { startDispatchFromEnv } from './dispatch/dispatch-from-env.js';
import type { Dispatcher } from './dispatch/start-dispatch.js';
import type { Env } from './env.js';
import type { Metrics } from './metrics/create-metrics.js';
import { instrumentQueue } from './metrics/instrument-queue.js';
import { startSchedulerFromEnv } from './schedule/start-scheduler.js';

/** The dispatch loop of a process and, where its worker runs, the scheduler. */
export interface BackgroundWork {
  readonly dispatcher: Dispatcher;
  /** Waits for a round of the scheduled jobs (the one running, else a new one); none: at once. */
  readonly scheduledRound: () => Promise<void>;
  /** Stops the scheduler, then lets the worker finish its jobs in flight and closes the queue. */
  readonly close: () => Promise<void>;
}

/**
 * What `main.ts` and `worker.ts` run beside (or instead of) the HTTP server: the dispatch loop,
 * its jobs timed by `metrics`, and — where the worker runs — the scheduled jobs, each period
 * once across processes (scheduled_runs).
 *
 * @example
 * const work = startBackgroundWork({ env, db, logger, metrics, runWorker: env.DISPATCH_WORKERS });
 * await work.close();
 */
export function startBackgroundWork(args: {
  readonly env: Env;
  readonly db: Database;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly runWorker: boolean;
}): BackgroundWork {
  const { env, db, logger, metrics, runWorker } = args;
  const now = () => new Date();
  const dispatcher = startDispatchFromEnv({
    instrument: (queue) => instrumentQueue(queue, metrics),
    env,
    db,
    logger,
    now,
    runWorker,
  });
  const scheduler = runWorker
    ? startSchedulerFromEnv({ env, db, logger, now, ruleSet: yunnanGmy2025 })
    : undefined;
  return {
    dispatcher,
    scheduledRound: async () => {
      await scheduler?.tickNow();
    },
    close: async () => {
      await scheduler?.close();
      await dispatcher.close();
    },
  };
}

/**
 * Waits for `work` at most `ms`; true when it settled in time (a failure counts as settled).
 *
 * @example
 * if (!(await settlesWithin(work.close(), 10_000))) logger.warn('jobs still running');
 */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes the process gracefully on SIGTERM or SIGINT (once, however many signals come), logging
 * before and after, then exits with 0. With `failsafeMs`, a close that has not finished by then
 * (a dependency that never answers) ends the process with exit code 1 instead of a hang.
 *
 * @example
 * closeOnSignals(logger, { stopping: 'worker shutting down', stopped: 'worker stopped' }, close);
 */
export function closeOnSignals(
  logger: Logger,
  messages: { readonly stopping: string; readonly stopped: string },
  close: () => Promise<void>,
  options: { readonly failsafeMs?: number } = {},
): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, messages.stopping);
    if (options.failsafeMs !== undefined) {
      setTimeout(() => {
        logger.error({ failsafeMs: options.failsafeMs }, 'shutdown did not finish: exiting');
        process.exit(1);
      }, options.failsafeMs).unref();
    }
    await close();
    logger.info(messages.stopped);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
