import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';

/** How the baseline's jobs arrive: one at a time, or at a fixed rate like the measured load. */
export type BaselinePacing =
  | { readonly kind: 'one-at-a-time' }
  | { readonly kind: 'rate'; readonly perSecond: number }
  /**
   * The arrival pattern of the dispatch load: `perSecond` bursts, each `size` jobs added at once
   * (a task's invitations, handed over as its transaction commits) and as many delayed jobs
   * added once those are in (their reply deadlines, due in hours); only the burst's jobs are
   * timed.
   */
  | { readonly kind: 'bursts'; readonly perSecond: number; readonly size: number };

/** A bare BullMQ queue and worker, kept open so that its passes interleave with the load's. */
export interface BullmqBaseline {
  /** One pass: `count` jobs paced as given; the add → process time of each, in ms. */
  readonly run: (count: number, pacing: BaselinePacing) => Promise<number[]>;
  readonly close: () => Promise<void>;
}

/**
 * The bare BullMQ round trip the dispatch benchmark compares with: `Queue.add` called → the
 * worker's processor running the job, in milliseconds — one job at a time, evenly at a rate, or
 * in bursts shaped like the dispatch load (a task's invitations and their deadline jobs). The jobs carry the dispatch jobs'
 * options (attempts, backoff, kept when done), the worker the dispatch worker's concurrency;
 * nothing else runs in the processor. The queue stays open between passes, so the bench can
 * run a baseline pass between two passes of the load (issue #17: a baseline measured once,
 * after the load, swung with whatever the shared machine did at that moment).
 *
 * @example
 * const baseline = await openBullmqBaseline({ url, prefix: 'edbench-1', concurrency: 8 });
 * const samples = await baseline.run(500, { kind: 'rate', perSecond: 50 });
 * await baseline.close();
 */
export async function openBullmqBaseline(options: {
  readonly url: string;
  readonly prefix: string;
  readonly concurrency: number;
}): Promise<BullmqBaseline> {
  const name = `baseline-${randomBytes(4).toString('hex')}`;
  const queue = new Queue(name, { connection: { url: options.url }, prefix: options.prefix });
  const addedAt = new Map<string, number>();
  const waiters = new Map<string, (ms: number) => void>();
  const worker = new Worker(
    name,
    async (job) => {
      const id = job.id ?? '';
      waiters.get(id)?.(performance.now() - (addedAt.get(id) ?? Number.NaN));
    },
    { connection: { url: options.url }, prefix: options.prefix, concurrency: options.concurrency },
  );
  await worker.waitUntilReady();
  let next = 0;
  const jobOptions = (id: string) => ({
    jobId: id,
    attempts: 5,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: { age: 3600 },
    removeOnFail: { age: 3600 },
  });
  /** A job due in an hour, never run during the bench (a reply deadline's job). */
  const addDelayed = () => {
    const id = `dl-${next++}`;
    return queue.add('deadline', { id }, { ...jobOptions(id), delay: 3_600_000 });
  };
  const roundTrip = (): { added: Promise<unknown>; processed: Promise<number> } => {
    const id = `rt-${next++}`;
    const processed = new Promise<number>((resolve) =>
      waiters.set(id, (ms) => {
        waiters.delete(id);
        addedAt.delete(id);
        resolve(ms);
      }),
    );
    addedAt.set(id, performance.now());
    const added = queue.add('round_trip', { id }, jobOptions(id));
    return { added, processed };
  };
  return {
    run: async (count, pacing) => {
      const samples: Promise<number>[] = [];
      if (pacing.kind === 'one-at-a-time') {
        for (let n = 0; n < count; n++) {
          const { added, processed } = roundTrip();
          await added;
          samples.push(Promise.resolve(await processed));
        }
      } else if (pacing.kind === 'bursts') {
        const gapMs = 1000 / pacing.perSecond;
        const started = performance.now();
        const adds: Promise<unknown>[] = [];
        for (let n = 0; n * pacing.size < count; n++) {
          const wait = started + n * gapMs - performance.now();
          if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
          const size = Math.min(pacing.size, count - n * pacing.size);
          // As the dispatch hands a task's rows over: its invitations at once, then — once the
          // queue has them — their deadlines (`addOutboxJobs`).
          const invitations: Promise<unknown>[] = [];
          for (let k = 0; k < size; k++) {
            const { added, processed } = roundTrip();
            invitations.push(added);
            samples.push(processed);
          }
          adds.push(
            Promise.allSettled(invitations).then(() =>
              Promise.all(Array.from({ length: size }, addDelayed)),
            ),
            ...invitations,
          );
        }
        await Promise.all(adds);
      } else {
        const gapMs = 1000 / pacing.perSecond;
        const started = performance.now();
        const adds: Promise<unknown>[] = [];
        for (let n = 0; n < count; n++) {
          const wait = started + n * gapMs - performance.now();
          if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
          const { added, processed } = roundTrip();
          adds.push(added);
          samples.push(processed);
        }
        await Promise.all(adds);
      }
      return Promise.all(samples);
    },
    close: async () => {
      await worker.close();
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    },
  };
}

/**
 * `count` bare round trips in one pass on a queue of their own (see `openBullmqBaseline`).
 *
 * @example
 * const samples = await measureBullmqRoundTrips({ url, prefix: 'edbench-1', count: 1000, concurrency: 8, pacing: { kind: 'one-at-a-time' } });
 */
export async function measureBullmqRoundTrips(options: {
  readonly url: string;
  readonly prefix: string;
  readonly count: number;
  readonly concurrency: number;
  readonly pacing: BaselinePacing;
}): Promise<number[]> {
  const baseline = await openBullmqBaseline(options);
  try {
    return await baseline.run(options.count, options.pacing);
  } finally {
    await baseline.close();
  }
}

export { percentile } from './sample-stats.js';
