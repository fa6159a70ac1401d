import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseKind } from '../db/open-database.js';
import { deliveries, panelSeats } from '../db/schema.js';
import { type BullmqJobQueue, createBullmqQueue } from '../queue/bullmq-queue.js';
import { queuePrefixFor, type RedisTarget } from '../queue/redis-target.js';
import { makeTaskRequest, postTask, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import { type HttpReceiver, startHttpReceiver } from '../testing/http-receiver.test-helpers.js';
import {
  hasRedisServer,
  startPrivateRedis,
  startPrivateRedisCluster,
  withClient,
} from '../testing/redis-server.test-helpers.js';
import {
  availableBackends,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import {
  setWebhookContacts,
  startTestDispatch,
  TEST_OUTBOUND_POLICY,
  TEST_SIGNING_SECRET,
  unrelayedOutbox,
  until,
} from './dispatch.test-helpers.js';
import type { Dispatcher } from './start-dispatch.js';
import { createWebhookChannel } from './webhook-channel.js';

const backends = await availableBackends();
const PREFIX = 'edrestart';

/** The Redis of the scenario, and what "Redis goes away and comes back" means on it. */
interface RedisUnderTest {
  readonly target: RedisTarget;
  /** Kills the server holding the queue's keys (SIGKILL, no persistence: the keys are lost). */
  readonly stop: () => Promise<void>;
  /** Starts it again and resolves once it serves the queue's keys. */
  readonly start: () => Promise<void>;
  readonly isRunning: () => boolean;
  /** The queue's keys on the server that holds the queue, and on any other (a cluster's). */
  readonly queueKeys: () => Promise<{ readonly onItsServer: number; readonly elsewhere: number }>;
  readonly close: () => Promise<void>;
}

/** A private Redis Cluster whose queue node, or every node, goes away and comes back. */
async function clusterUnderTest(down: 'its node' | 'every node'): Promise<RedisUnderTest> {
  const cluster = await startPrivateRedisCluster();
  const node = await cluster.nodeFor(queuePrefixFor(cluster.target, PREFIX));
  const stopping = down === 'its node' ? [node] : cluster.nodes;
  const count = (url: string) =>
    withClient(url, (client) => client.keys(`*${PREFIX}*`)).then((keys) => keys.length);
  return {
    target: cluster.target,
    stop: async () => {
      await Promise.all(stopping.map((each) => each.stop()));
    },
    start: async () => {
      await Promise.all(stopping.map((each) => each.start()));
      await cluster.waitUntilOk();
    },
    isRunning: node.isRunning,
    queueKeys: async () => {
      const others = cluster.nodes.filter((other) => other !== node);
      const elsewhere = await Promise.all(others.map((other) => count(other.url)));
      return {
        onItsServer: await count(node.url),
        elsewhere: elsewhere.reduce((sum, keys) => sum + keys, 0),
      };
    },
    close: cluster.close,
  };
}

const connections = {
  'one redis-server': async (): Promise<RedisUnderTest> => {
    const redis = await startPrivateRedis();
    return {
      ...redis,
      target: { kind: 'single', url: redis.url },
      queueKeys: async () => ({
        onItsServer: (await withClient(redis.url, (client) => client.keys(`${PREFIX}:*`))).length,
        elsewhere: 0,
      }),
    };
  },
  // #17: BullMQ on a Redis Cluster of three masters. The prefix is the hash tag `{edrestart}`,
  // so the node killed is the one holding every key of the queue.
  'a Redis Cluster (the node of the queue restarts)': () => clusterUnderTest('its node'),
  'a Redis Cluster (every node restarts)': () => clusterUnderTest('every node'),
} as const;
type Connection = keyof typeof connections;

// Every storage backend on one redis-server; the cluster on one backend (the storage does not
// change what the cluster sees, and the file stays short).
const combos: (readonly [DatabaseKind, Connection])[] = hasRedisServer()
  ? [
      ...backends.map((kind) => [kind, 'one redis-server'] as const),
      ...backends
        .slice(-1)
        .flatMap((kind) => [
          [kind, 'a Redis Cluster (the node of the queue restarts)'] as const,
          [kind, 'a Redis Cluster (every node restarts)'] as const,
        ]),
    ]
  : [];

// The fault "Redis stopped during requests and restarted", on a redis-server of this
// file's own (the shared Redis on 6379 is never touched) and on a Redis Cluster of its own:
// PostgreSQL is the source of truth, so requests succeed while Redis is down, the outbox keeps
// their notifications, and every invitation reaches the gateway exactly once when Redis is back.
describe.runIf(combos.length > 0).each(combos)(
  'dispatch on %s with BullMQ on %s while Redis is killed and restarted',
  (kind, connection) => {
    let redis: RedisUnderTest;
    let receiver: HttpReceiver;
    let t: TestContext;
    let queue: BullmqJobQueue;
    let dispatcher: Dispatcher | undefined;
    let day = 0;

    /** POSTs a one-day task of its own day; the answer's status and the invited seats. */
    const requestTask = async (id: string) => {
      day += 1;
      const date = `2026-04-${String(day).padStart(2, '0')}`;
      const response = await postTask(
        t,
        makeTaskRequest({
          id,
          window: { from: `${date}T08:30:00+08:00`, to: `${date}T18:00:00+08:00` },
          panelSize: 3,
          alternates: 1,
        }),
        `key-${id}`,
      );
      return { id, status: response.status };
    };

    beforeAll(async () => {
      redis = await connections[connection]();
      receiver = await startHttpReceiver(TEST_SIGNING_SECRET);
      t = await createTestContext(kind, {}, { dispatch: { nudge: () => dispatcher?.nudge() } });
      await setWebhookContacts(t, await seedPanelPool(t, 12), receiver);
      queue = createBullmqQueue({
        target: redis.target,
        prefix: PREFIX,
        name: `dispatch-${kind}`,
        addTimeoutMs: 300,
        closeTimeoutMs: 3000,
        watchdogIntervalMs: 250,
        watchdogStallMs: 2000,
      });
      dispatcher = startTestDispatch(t, queue, {
        settings: { relayIntervalMs: 100 },
        channels: {
          webhook: createWebhookChannel({
            secret: TEST_SIGNING_SECRET,
            timeoutMs: 5000,
            outbound: TEST_OUTBOUND_POLICY,
          }),
        },
      });
    });
    afterAll(async () => {
      await dispatcher?.close();
      await receiver?.close();
      await t?.close();
      await redis?.close();
    });

    it('answers every request while Redis is down and delivers each invitation exactly once after it restarts', async () => {
      const answers: { id: string; status: number; redisUp: boolean }[] = [];
      const post = async (id: string) => {
        const redisUp = redis.isRunning();
        answers.push({ ...(await requestTask(id)), redisUp });
      };

      // Redis up: requests are notified as usual.
      for (const n of [1, 2]) await post(`t-up-${kind}-${n}`);
      // Redis killed in the middle of a run of requests (without persistence: its jobs are gone).
      await post(`t-run-${kind}-1`);
      await redis.stop();
      for (const n of [2, 3, 4, 5]) await post(`t-run-${kind}-${n}`);
      // Down long enough for the relay to fail its rounds and the clients to back off.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const waitingInOutbox = await unrelayedOutbox(t);
      await redis.start();
      for (const n of [6, 7]) await post(`t-run-${kind}-${n}`);

      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
      expect(answers.filter((a) => !a.redisUp)).toHaveLength(4);
      // Each request that came while Redis was down left a deliver and a deadline row per invitation.
      expect(waitingInOutbox).toBeGreaterThanOrEqual(4 * 3 * 2);

      const taskIds = answers.map((a) => a.id);
      const rows = () =>
        t.database.db.select().from(deliveries).where(inArray(deliveries.taskId, taskIds));
      await until(async () => (await unrelayedOutbox(t)) === 0, 30_000);
      // Jobs Redis held when it was killed are lost: the sweeper finds their deliveries stale
      // in PostgreSQL and hands them back to the relay.
      t.clock.set(new Date(t.clock.now().getTime() + 5 * 60_000).toISOString());
      await dispatcher?.sweepNow();
      dispatcher?.nudge();
      await until(async () => (await rows()).every((d) => d.state === 'sent'), 30_000);

      const sent = await rows();
      expect(sent).toHaveLength(taskIds.length * 3);
      const invitationIds = new Set(sent.map((d) => String(d.seatId)));
      expect(invitationIds.size).toBe(sent.length);
      const invited = await t.database.db
        .select({ id: panelSeats.id })
        .from(panelSeats)
        .where(and(inArray(panelSeats.taskId, taskIds), eq(panelSeats.state, 'invited')));
      expect(invited.map((seat) => String(seat.id)).sort()).toEqual([...invitationIds].sort());
      for (const delivery of sent) {
        // A send retried after a time-out carries the same key: the gateway delivers it once.
        const requests = receiver.requests.filter(
          (r) => r.body.invitationId === String(delivery.seatId),
        );
        expect(requests.length).toBeGreaterThanOrEqual(1);
        expect(new Set(requests.map((r) => `${r.key} ${r.signatureOk}`))).toEqual(
          new Set([`${delivery.id} true`]),
        );
        expect(receiver.delivered.get(delivery.id)).toBe(1);
      }
      const delivered = receiver.requests.filter((r) => receiver.delivered.has(r.key));
      expect(new Set(delivered.map((r) => r.body.invitationId)).size).toBe(sent.length);
      // On a cluster every key of the queue is on the node of its hash tag.
      const keys = await redis.queueKeys();
      expect(keys.onItsServer).toBeGreaterThan(0);
      expect(keys.elsewhere).toBe(0);
    });
  },
);
