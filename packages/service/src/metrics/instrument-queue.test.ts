import { afterAll, describe, expect, it } from 'vitest';
import { makeTestQueue, until } from '../dispatch/dispatch.test-helpers.js';
import {
  availableQueueModes,
  dropQueuePrefix,
  freshQueuePrefix,
} from '../testing/redis.test-helpers.js';
import { createMetrics } from './create-metrics.js';
import { instrumentQueue } from './instrument-queue.js';
import { parseSamples, sampleValue } from './metrics.test-helpers.js';

const modes = await availableQueueModes();
const prefix = freshQueuePrefix();

afterAll(() => (modes.includes('bullmq') ? dropQueuePrefix(prefix) : undefined));

describe.each(modes)('job timing on the %s queue', (mode) => {
  it('times each attempt by job and result, and the wait of first attempts from when they were due', async () => {
    const metrics = createMetrics();
    const queue = instrumentQueue(makeTestQueue(mode, prefix), metrics);
    const runs: string[] = [];
    const worker = queue.startWorker(async (job) => {
      runs.push(`${job.id}#${job.attempt}`);
      if (job.name === 'task_callback' && job.attempt === 1) throw new Error('callback refused');
    });
    try {
      await queue.add('deliver_invitation', { deliveryId: 'dl-1' }, { id: 'ob-timed-1' });
      await queue.add('invitation_deadline', { seatId: 1 }, { id: 'ob-timed-2', delayMs: 300 });
      await queue.add('task_callback', {}, { id: 'ob-timed-3', attempts: 2, backoffMs: 20 });
      await until(() => runs.length >= 4);
      // The wrapper observes after the handler returns: give the last one a moment.
      await until(async () => {
        const samples = parseSamples(await metrics.registry.metrics());
        return (sampleValue(samples, 'ed_job_run_seconds_count') ?? 0) >= 4;
      });
      const samples = parseSamples(await metrics.registry.metrics());
      const runCount = (job: string, result: string) =>
        sampleValue(samples, 'ed_job_run_seconds_count', { job, result });
      expect([
        runCount('deliver_invitation', 'completed'),
        runCount('invitation_deadline', 'completed'),
        runCount('task_callback', 'failed'),
        runCount('task_callback', 'completed'),
      ]).toEqual([1, 1, 1, 1]);
      // One wait per job, its first attempt; the retry's backoff is not queue wait.
      expect(
        ['deliver_invitation', 'invitation_deadline', 'task_callback'].map((job) =>
          sampleValue(samples, 'ed_job_wait_seconds_count', { job }),
        ),
      ).toEqual([1, 1, 1]);
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it('counts the jobs waiting, held back and failed for good', async () => {
    const queue = makeTestQueue(mode, prefix);
    try {
      await queue.add('deliver_invitation', {}, { id: 'ob-count-1' });
      await queue.add('deliver_invitation', {}, { id: 'ob-count-2' });
      await queue.add('invitation_deadline', {}, { id: 'ob-count-3', delayMs: 600_000 });
      expect(await queue.counts()).toEqual({ waiting: 2, active: 0, delayed: 1, failed: 0 });
      const worker = queue.startWorker(async () => {
        throw new Error('gateway down');
      });
      await until(async () => (await queue.counts()).failed === 2);
      await worker.close();
      expect(await queue.counts()).toEqual({ waiting: 0, active: 0, delayed: 1, failed: 2 });
    } finally {
      await queue.close();
    }
  });
});
