import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';

/** How the baseline's jobs arrive: one at a time, or at a fixed rate like the measured load. */
export type BaselinePacing =
  | { readonly kind: 'one-at-a-time' }
  | { readonly kind: 'rate'; readonly perSecond: number };

/**
 * The bare BullMQ round trip the dispatch benchmark compares with: `Queue.add` called → the
 * worker's processor running the job, in milliseconds, for `count` jobs on the given Redis.
 * The jobs carry the dispatch jobs' options (attempts, backoff, kept when done), the worker
 * the dispatch worker's concurrency; nothing else runs in the processor.
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
  const name = `baseline-${randomBytes(4).toString('hex')}`;
  const queue = new Queue(name, { connection: { url: options.url }, prefix: options.prefix });
  const addedAt = new Map<string, number>();
  const samples: number[] = [];
  const waiters = new Map<string, () => void>();
  const worker = new Worker(
    name,
    async (job) => {
      const id = job.id ?? '';
      samples.push(performance.now() - (addedAt.get(id) ?? Number.NaN));
      waiters.get(id)?.();
    },
    { connection: { url: options.url }, prefix: options.prefix, concurrency: options.concurrency },
  );
  const processed = (id: string) => new Promise<void>((resolve) => waiters.set(id, resolve));
  const add = (id: string) => {
    addedAt.set(id, performance.now());
    return queue.add(
      'round_trip',
      { id },
      {
        jobId: id,
        attempts: 5,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: { age: 3600 },
        removeOnFail: { age: 3600 },
      },
    );
  };
  try {
    await worker.waitUntilReady();
    if (options.pacing.kind === 'one-at-a-time') {
      for (let n = 0; n < options.count; n++) {
        const id = `rt-${n}`;
        const done = processed(id);
        await add(id);
        await done;
      }
    } else {
      const gapMs = 1000 / options.pacing.perSecond;
      const started = performance.now();
      const all: Promise<unknown>[] = [];
      for (let n = 0; n < options.count; n++) {
        const wait = started + n * gapMs - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        const id = `rt-${n}`;
        all.push(processed(id), add(id));
      }
      await Promise.all(all);
    }
    return samples;
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
}

/**
 * The p-th percentile (nearest rank) of the samples; NaN when there are none.
 *
 * @example
 * percentile([5, 1, 3], 50); // 3
 */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
