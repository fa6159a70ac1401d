/** What the watchdog sees of a queue worker at one check. */
export interface WorkerSnapshot {
  /** The worker's fetch loop runs (BullMQ `isRunning()`); false once it has stopped for good. */
  readonly running: boolean;
  /** The worker is being closed on purpose: nothing to watch. */
  readonly closing: boolean;
  /** Jobs its handler is running now, and how many it may run at once. */
  readonly inFlight: number;
  readonly concurrency: number;
  /** When the worker last started a job (or was started), in ms since the epoch. */
  readonly lastStartedAt: number;
  /**
   * Jobs ready to run in Redis: waiting, prioritized, and delayed ones already due. Null when
   * Redis did not answer — then nobody can take jobs and nothing is judged.
   */
  readonly backlog: number | null;
}

/** The watchdog's judgement: carry on (remembering since when jobs wait), or restart. */
export type WatchdogVerdict =
  | { readonly restart: false; readonly waitingSince: number | null }
  | { readonly restart: true; readonly reason: string };

/**
 * Judges one check. A worker whose fetch loop has stopped is restarted at once. A running one
 * is stalled when jobs have been ready for `stallMs` while it had a free slot and started
 * none — what a worker blocked on a dead connection after a Redis restart looks like (BullMQ
 * issues #648, #2466, #2964, #3185: ioredis reconnects, the worker never fetches again).
 * `waitingSince` is the previous verdict's memory.
 *
 * @example
 * judgeWorker({ running: true, closing: false, inFlight: 0, concurrency: 4, lastStartedAt: 0, backlog: 3 }, 1_000, 20_000, 15_000);
 * // { restart: true, reason: '3 jobs ready for 19 s, none started with 4 free slots' }
 */
export function judgeWorker(
  snapshot: WorkerSnapshot,
  waitingSince: number | null,
  now: number,
  stallMs: number,
): WatchdogVerdict {
  if (snapshot.closing) return { restart: false, waitingSince: null };
  if (!snapshot.running) return { restart: true, reason: 'the worker loop has stopped' };
  const free = snapshot.concurrency - snapshot.inFlight;
  if (snapshot.backlog === null || snapshot.backlog === 0 || free <= 0) {
    return { restart: false, waitingSince: null };
  }
  // The clock starts when jobs are first seen waiting with a slot free; a job started since
  // shows the worker is taking them, so it starts again.
  const since =
    waitingSince === null || snapshot.lastStartedAt >= waitingSince ? now : waitingSince;
  if (now - since < stallMs) return { restart: false, waitingSince: since };
  const seconds = Math.round((now - since) / 1000);
  return {
    restart: true,
    reason: `${snapshot.backlog} jobs ready for ${seconds} s, none started with ${free} free slots`,
  };
}

/** How often the watchdog looks and how long jobs may wait on an idle worker. */
export interface WatchdogOptions {
  readonly intervalMs: number;
  readonly stallMs: number;
  readonly inspect: () => Promise<WorkerSnapshot>;
  /** Replaces the worker; the watchdog waits for it before its next check. */
  readonly restart: (reason: string) => Promise<void>;
}

/** A running watchdog; `check` runs one check now (tests and operators). */
export interface Watchdog {
  readonly check: () => Promise<WatchdogVerdict>;
  readonly stop: () => void;
}

/**
 * Checks a worker every `intervalMs` with `judgeWorker` and restarts it when stalled. Checks
 * never overlap; a check that fails (Redis down) judges nothing.
 *
 * @example
 * const watchdog = startWatchdog({ intervalMs: 5000, stallMs: 15_000, inspect, restart });
 * watchdog.stop();
 */
export function startWatchdog(options: WatchdogOptions): Watchdog {
  let waitingSince: number | null = null;
  let checking: Promise<WatchdogVerdict> | undefined;
  let stopped = false;
  const run = async (): Promise<WatchdogVerdict> => {
    const snapshot = await options.inspect();
    if (stopped) return { restart: false, waitingSince: null };
    const verdict = judgeWorker(snapshot, waitingSince, Date.now(), options.stallMs);
    if (verdict.restart) {
      waitingSince = null;
      await options.restart(verdict.reason);
    } else {
      waitingSince = verdict.waitingSince;
    }
    return verdict;
  };
  const check = (): Promise<WatchdogVerdict> => {
    checking ??= run()
      .catch(() => ({ restart: false, waitingSince: null }) as const)
      .finally(() => {
        checking = undefined;
      });
    return checking;
  };
  const timer = setInterval(() => void check(), options.intervalMs);
  timer.unref();
  return {
    check,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
