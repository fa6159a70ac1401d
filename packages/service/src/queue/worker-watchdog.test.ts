import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  hasRedisServer,
  startPrivateRedis,
  startPrivateRedisCluster,
} from '../testing/redis-server.test-helpers.js';
import {
  type BullmqJobQueue,
  type BullmqWorker,
  createBullmqQueue,
  type WorkerRestart,
} from './bullmq-queue.js';
import { queuePrefixFor, type RedisTarget } from './redis-target.js';
import { judgeWorker, type WorkerSnapshot } from './worker-watchdog.js';

const healthy: WorkerSnapshot = {
  running: true,
  closing: false,
  inFlight: 0,
  concurrency: 4,
  lastStartedAt: 0,
  backlog: 0,
};

describe('judging a worker', () => {
  const stallMs = 15_000;
  it.each([
    ['an idle worker with nothing to do', {}, null, { restart: false, waitingSince: null }],
    [
      'jobs first seen waiting: the clock starts',
      { backlog: 3 },
      null,
      { restart: false, waitingSince: 100_000 },
    ],
    [
      'jobs waiting less than the threshold',
      { backlog: 3 },
      90_000,
      { restart: false, waitingSince: 90_000 },
    ],
    [
      'jobs waiting past the threshold, none started',
      { backlog: 3 },
      80_000,
      { restart: true, reason: '3 jobs ready for 20 s, none started with 4 free slots' },
    ],
    [
      'jobs waiting long, but the worker started one since: it is taking them',
      { backlog: 3, lastStartedAt: 95_000 },
      80_000,
      { restart: false, waitingSince: 100_000 },
    ],
    [
      'every slot busy: waiting jobs are expected',
      { backlog: 3, inFlight: 4 },
      80_000,
      { restart: false, waitingSince: null },
    ],
    [
      'Redis did not answer: nothing to judge, the clock resets',
      { backlog: null },
      80_000,
      { restart: false, waitingSince: null },
    ],
    [
      'the worker loop has stopped',
      { running: false },
      null,
      { restart: true, reason: 'the worker loop has stopped' },
    ],
    [
      'the worker is being closed on purpose',
      { running: false, closing: true, backlog: 3 },
      80_000,
      { restart: false, waitingSince: null },
    ],
  ] as const)('%s', (_case, change, waitingSince, verdict) => {
    expect(judgeWorker({ ...healthy, ...change }, waitingSince, 100_000, stallMs)).toEqual(verdict);
  });
});

/** Resolves when `predicate` holds, polling; rejects after `ms`. */
async function until(predicate: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Adds a job, retrying while the queue reconnects to a Redis that has just come back. */
async function addWhenUp(queue: BullmqJobQueue, id: string): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    try {
      await queue.add('notify', { id }, { id });
      return;
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const PREFIX = 'edwatchdog';

/** The Redis of the cases, and what "Redis is killed and comes back" means on it. */
interface RedisUnderTest {
  readonly target: RedisTarget;
  /** Kills the server holding the queue's keys (SIGKILL, no persistence: its keys are lost). */
  readonly stop: () => Promise<void>;
  /** Starts it again and resolves once it serves the queue's keys. */
  readonly start: () => Promise<void>;
  readonly isRunning: () => boolean;
  readonly close: () => Promise<void>;
}

const redisKinds: Record<string, () => Promise<RedisUnderTest>> = {
  'one redis-server': async () => {
    const redis = await startPrivateRedis();
    return { ...redis, target: { kind: 'single', url: redis.url } };
  },
  // #17: BullMQ on a Redis Cluster of three masters; the node killed is the one holding every
  // key of the queue (its prefix is the hash tag `{edwatchdog}`).
  'a Redis Cluster of three masters': async () => {
    const cluster = await startPrivateRedisCluster();
    const node = await cluster.nodeFor(queuePrefixFor(cluster.target, PREFIX));
    return {
      target: cluster.target,
      stop: node.stop,
      start: async () => {
        await node.start();
        await cluster.waitUntilOk();
        // A node down for about the node timeout may be flagged failing by the others just
        // as it comes back, and the cluster refuses commands until the flag lapses (twice the
        // timeout): on a loaded machine that came after the first "ok". Wait it out.
        await new Promise((resolve) => setTimeout(resolve, 4500));
        await cluster.waitUntilOk();
      },
      isRunning: node.isRunning,
      close: cluster.close,
    };
  },
};

describe.runIf(hasRedisServer()).each(Object.keys(redisKinds))(
  'the BullMQ queue and its worker watchdog, on %s of its own',
  (redisKind) => {
    let redis: RedisUnderTest;
    let queue: BullmqJobQueue | undefined;
    let worker: BullmqWorker | undefined;
    let seen: string[];
    let restarts: WorkerRestart[];
    let queueCount = 0;

    /** A queue of its own and a worker recording each job it runs; the watchdog checks on demand. */
    const start = (watchdogStallMs: number) => {
      queueCount += 1;
      restarts = [];
      seen = [];
      queue = createBullmqQueue({
        target: redis.target,
        prefix: PREFIX,
        name: `watchdog-${queueCount}`,
        addTimeoutMs: 500,
        closeTimeoutMs: 2000,
        watchdogIntervalMs: 3_600_000,
        watchdogStallMs,
        onWorkerRestart: (event) => void restarts.push(event),
      });
      worker = queue.startWorker(async (job) => void seen.push(job.id), { concurrency: 2 });
      return { queue, worker };
    };
    /** Kills Redis (every key is lost, as after a crash without persistence) and starts it again. */
    const restartRedis = async () => {
      await redis.stop();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await redis.start();
    };

    beforeAll(async () => {
      redis = await (redisKinds[redisKind] as () => Promise<RedisUnderTest>)();
    });
    afterEach(async () => {
      await worker?.close();
      await queue?.close();
      worker = undefined;
      queue = undefined;
      if (!redis.isRunning()) await redis.start();
    });
    afterAll(async () => {
      await redis?.close();
    });

    it('keeps taking jobs after Redis is killed and restarted', async () => {
      const { queue } = start(1000);
      await queue.add('notify', {}, { id: 'before' });
      await until(() => seen.length === 1);
      await restartRedis();
      for (const id of ['after-1', 'after-2', 'after-3']) await addWhenUp(queue, id);
      // Whoever recovers first — BullMQ's reconnect or the watchdog — every job runs once.
      for (let n = 0; n < 40 && seen.length < 4; n++) {
        await worker?.check();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await until(() => seen.length >= 4);
      expect([...seen].sort()).toEqual(['after-1', 'after-2', 'after-3', 'before']);
    });

    it('takes jobs once Redis is up when the queue and its worker started while it was down', async () => {
      await redis.stop();
      const { queue } = start(1000);
      await expect(queue.add('notify', {}, { id: 'while-down' })).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await redis.start();
      await addWhenUp(queue, 'once-up');
      // Whoever recovers first — BullMQ's reconnect or the watchdog (every 5 s in the service).
      for (let n = 0; n < 40 && seen.length < 1; n++) {
        await worker?.check();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await until(() => seen.length >= 1);
      expect(seen).toEqual(['once-up']);
    });

    it('replaces a worker stalled on dead connections after a Redis restart, reports it, and its jobs run once', async () => {
      const { queue, worker } = start(300);
      await queue.add('notify', {}, { id: 'before' });
      await until(() => seen.length === 1);
      await restartRedis();
      await addWhenUp(queue, 'probe');
      await until(() => seen.length === 2);
      // The failure mode of BullMQ issues #2964 and #3185: the worker's connections are gone and
      // never come back, while the queue (producers) works.
      const stalled = worker.current();
      (await stalled.backend.client).disconnect(false);
      (await stalled.backend.blockingClient)?.disconnect(false);
      for (const id of ['stuck-1', 'stuck-2', 'stuck-3']) await queue.add('notify', {}, { id });
      await new Promise((resolve) => setTimeout(resolve, 500));
      // The stall is real: the jobs wait. (On a loaded machine a fetch already in flight when
      // the connections dropped may still hand the worker the first one.)
      expect(seen.length).toBeLessThan(5);
      expect(await worker.check()).toMatchObject({ restart: false }); // jobs first seen waiting
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await worker.check()).toMatchObject({ restart: true });
      await until(() => seen.length === 5);
      expect(worker.current()).not.toBe(stalled);
      expect(worker.restarts()).toBe(1);
      expect(restarts).toEqual([
        { reason: expect.stringMatching(/^[23] jobs ready for \d+ s, none started/), restarts: 1 },
      ]);
      expect([...seen].sort()).toEqual(['before', 'probe', 'stuck-1', 'stuck-2', 'stuck-3']);
    });

    it('restarts a worker whose loop has stopped, at the first check', async () => {
      const { queue, worker } = start(60_000);
      const stopped = worker.current();
      await stopped.pause(true);
      await until(() => !stopped.isRunning());
      await queue.add('notify', {}, { id: 'after-stop' });
      expect(await worker.check()).toEqual({
        restart: true,
        reason: 'the worker loop has stopped',
      });
      await until(() => seen.length === 1);
      expect(seen).toEqual(['after-stop']);
      expect(restarts.map((r) => r.reason)).toEqual(['the worker loop has stopped']);
    });

    it('leaves a healthy busy worker alone', async () => {
      const { queue, worker } = start(200);
      for (let n = 0; n < 20; n++) await queue.add('notify', {}, { id: `busy-${n}` });
      await until(() => seen.length === 20);
      await worker.check();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await worker.check();
      expect(worker.restarts()).toBe(0);
    });
  },
);
