import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../dispatch/dispatch.test-helpers.js';
import { createInProcessQueue } from '../queue/in-process-queue.js';
import type { JobQueue, QueueWorker } from '../queue/job-queue.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { createMetrics } from './create-metrics.js';
import { instrumentQueue } from './instrument-queue.js';
import { parseSamples, sampleValue } from './metrics.test-helpers.js';
import { createMetricsApp } from './metrics-app.js';

const backends = await availableBackends();
const TOKEN = 'worker-scrape-token-0123456789abcdefgh';

describe.each(backends)('the worker’s metrics endpoint on %s', (kind) => {
  let t: TestContext;
  let queue: JobQueue;
  let worker: QueueWorker;
  let metricsApp: ReturnType<typeof createMetricsApp>;

  beforeAll(async () => {
    t = await createTestContext(kind, { METRICS_TOKEN: TOKEN });
    const metrics = createMetrics();
    queue = instrumentQueue(createInProcessQueue(), metrics);
    worker = queue.startWorker(async () => {});
    metricsApp = createMetricsApp({ ...t.services, metrics, queue });
  });
  afterAll(async () => {
    await worker.close();
    await queue.close();
    await t.close();
  });

  it('serves the job timings of this process, behind the same access as the API', async () => {
    await queue.add('deliver_invitation', {}, { id: 'ob-worker-1' });
    const scrape = () =>
      call({ app: metricsApp, keys: t.keys }, 'GET', '/metrics', {
        key: { secret: TOKEN },
      });
    await until(async () => {
      const samples = parseSamples((await scrape()).text);
      return sampleValue(samples, 'ed_job_run_seconds_count', { job: 'deliver_invitation' }) === 1;
    });
    const samples = parseSamples((await scrape()).text);
    expect(sampleValue(samples, 'ed_queue_jobs', { state: 'waiting' })).toBe(0);
    expect(
      (await call({ app: metricsApp, keys: t.keys }, 'GET', '/metrics', { key: 'yn.viewer' }))
        .status,
    ).toBe(403);
    expect((await call({ app: metricsApp, keys: t.keys }, 'GET', '/metrics')).status).toBe(401);
  });

  it('serves nothing but /metrics', async () => {
    const response = await call({ app: metricsApp, keys: t.keys }, 'GET', '/v1/experts', {
      key: 'yn.admin',
    });
    expect(response.status).toBe(404);
    expect(response.contentType).toContain('application/problem+json');
  });
});
