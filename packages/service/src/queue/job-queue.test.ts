import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  availableQueueModes,
  dropQueuePrefix,
  freshQueuePrefix,
  type QueueMode,
  TEST_REDIS_URL,
} from '../testing/redis.test-helpers.js';
import { createBullmqQueue } from './bullmq-queue.js';
import { createInProcessQueue } from './in-process-queue.js';
import { backoffDelay, type JobQueue, type QueuedJob, type QueueWorker } from './job-queue.js';
import { openQueue } from './open-queue.js';

const modes = await availableQueueModes();
const prefix = freshQueuePrefix();

function makeQueue(mode: QueueMode, name: string): JobQueue {
  return mode === 'bullmq'
    ? createBullmqQueue({ url: TEST_REDIS_URL, name, prefix })
    : createInProcessQueue();
}

/** Resolves when `predicate` holds, polling; rejects after `ms`. */
async function until(predicate: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

afterAll(() => (modes.includes('bullmq') ? dropQueuePrefix(prefix) : undefined));

describe.each(modes)('the %s queue', (mode) => {
  const open: { queue: JobQueue; workers: QueueWorker[] }[] = [];
  const setUp = (name: string) => {
    const entry = { queue: makeQueue(mode, `${name}-${mode}`), workers: [] as QueueWorker[] };
    open.push(entry);
    return entry;
  };
  afterEach(async () => {
    for (const { queue, workers } of open.splice(0)) {
      for (const worker of workers) await worker.close();
      await queue.close();
    }
  });

  it('runs a background job only when no other job is waiting', async () => {
    const { queue, workers } = setUp('background');
    const order: string[] = [];
    for (let k = 1; k <= 3; k++) {
      await queue.add('reminder', {}, { id: `bg-${k}`, background: true });
    }
    await queue.add('invite', {}, { id: 'fg-1' });
    await queue.add('invite', {}, { id: 'fg-2' });
    workers.push(queue.startWorker(async (job) => void order.push(job.id), { concurrency: 1 }));
    await until(() => order.length >= 5);
    expect(order.slice(0, 2).sort()).toEqual(['fg-1', 'fg-2']);
    expect(order.slice(2).sort()).toEqual(['bg-1', 'bg-2', 'bg-3']);
  });

  it('runs a job once with its data, and a second add with the same id adds nothing', async () => {
    const { queue, workers } = setUp('dedupe');
    const seen: QueuedJob[] = [];
    await queue.add('notify', { deliveryId: 'dl-1' }, { id: 'ob-1' });
    await queue.add('notify', { deliveryId: 'dl-1-again' }, { id: 'ob-1' });
    workers.push(queue.startWorker(async (job) => void seen.push(job)));
    await until(() => seen.length >= 1);
    await queue.add('notify', { deliveryId: 'dl-1-late' }, { id: 'ob-1' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen.map((job) => [job.id, job.name, job.data.deliveryId, job.attempt])).toEqual([
      ['ob-1', 'notify', 'dl-1', 1],
    ]);
    expect(await queue.hasJob('ob-1')).toBe(true);
    expect(await queue.hasJob('ob-unknown')).toBe(false);
  });

  it('retries a failing job with attempts counted, until it succeeds', async () => {
    const { queue, workers } = setUp('retry');
    const attempts: number[] = [];
    workers.push(
      queue.startWorker(async (job) => {
        attempts.push(job.attempt);
        if (job.attempt < 3) throw new Error('gateway down');
      }),
    );
    await queue.add('notify', {}, { id: 'ob-2', attempts: 5, backoffMs: 20 });
    await until(() => attempts.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('stops after the last attempt and tells the handler it is the last', async () => {
    const { queue, workers } = setUp('exhaust');
    const seen: [number, number][] = [];
    workers.push(
      queue.startWorker(async (job) => {
        seen.push([job.attempt, job.attempts]);
        throw new Error('always down');
      }),
    );
    await queue.add('notify', {}, { id: 'ob-3', attempts: 3, backoffMs: 10 });
    await until(() => seen.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it('holds a delayed job back until its delay has passed', async () => {
    const { queue, workers } = setUp('delay');
    const ran: string[] = [];
    workers.push(queue.startWorker(async (job) => void ran.push(job.id)));
    await queue.add('deadline', {}, { id: 'ob-late', delayMs: 600 });
    await queue.add('deadline', {}, { id: 'ob-now' });
    await until(() => ran.length >= 1);
    expect(ran).toEqual(['ob-now']);
    await until(() => ran.length >= 2);
    expect(ran).toEqual(['ob-now', 'ob-late']);
  });

  it('lets a closing worker finish the job in flight and take no new one', async () => {
    const { queue } = setUp('close');
    const finished: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const worker = queue.startWorker(async (job) => {
      started = true;
      await gate;
      finished.push(job.id);
    });
    await queue.add('notify', {}, { id: 'ob-slow' });
    await until(() => started);
    const closing = worker.close();
    await queue.add('notify', {}, { id: 'ob-after-close' });
    release();
    await closing;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(finished).toEqual(['ob-slow']);
  });
});

describe('choosing the queue', () => {
  it('uses BullMQ when REDIS_URL is set and the in-process queue otherwise', async () => {
    const local = openQueue({});
    const redis = openQueue({ REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix });
    expect([local.kind, redis.kind]).toEqual(['in-process', 'bullmq']);
    await local.close();
    await redis.close();
  });

  it('fails an add within its timeout while Redis is unreachable, so the relay can retry later', async () => {
    const down = createBullmqQueue({ url: 'redis://127.0.0.1:1', prefix, addTimeoutMs: 300 });
    await expect(down.add('notify', {}, { id: 'ob-down' })).rejects.toThrow();
    await down.close();
  });

  it('doubles the backoff delay with each retry', () => {
    expect([1, 2, 3, 4].map((retry) => backoffDelay(500, retry))).toEqual([500, 1000, 2000, 4000]);
  });
});
