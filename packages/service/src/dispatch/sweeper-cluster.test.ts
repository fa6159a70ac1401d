import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, panelSeats } from '../db/schema.js';
import { type BullmqJobQueue, createBullmqQueue } from '../queue/bullmq-queue.js';
import { queuePrefixFor } from '../queue/redis-target.js';
import { makeTaskRequest, postTask } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import {
  hasRedisServer,
  type PrivateRedis,
  type PrivateRedisCluster,
  startPrivateRedisCluster,
} from '../testing/redis-server.test-helpers.js';
import { availableBackends } from '../testing/test-backends.test-helpers.js';
import {
  type DispatchHarness,
  openDispatchHarness,
  taskDeliveries,
  unrelayedOutbox,
  until,
} from './dispatch.test-helpers.js';

type Seat = TaskView['panel'][number];
const PREFIX = 'edsweeper';
// The cluster on one storage backend (PostgreSQL when there is one): the sweeper's queries
// are the same on both, and what differs here is where the queue keeps its jobs.
const backends = (await availableBackends()).slice(-1);

// #17 item 7: the sweeper's fault cases on a Redis Cluster of three masters. A killed node
// without persistence loses the jobs of every queue whose hash tag it holds; the sweeper finds,
// from PostgreSQL, the deliveries whose jobs are gone (asking the cluster by job id) and the
// invitations whose deadline jobs went with them.
describe.runIf(hasRedisServer()).each(backends)(
  'the sweeper on %s with BullMQ on a Redis Cluster whose queue node is killed',
  (kind) => {
    let h: DispatchHarness;
    let cluster: PrivateRedisCluster;
    let node: PrivateRedis;
    let day = 0;

    const clusterQueue = (): BullmqJobQueue =>
      createBullmqQueue({
        target: cluster.target,
        prefix: PREFIX,
        name: `sweeper-${kind}`,
        addTimeoutMs: 500,
        closeTimeoutMs: 3000,
      });
    /** Kills the node holding the queue (its jobs are lost) and waits until the cluster is ok. */
    const restartQueueNode = async (queue: BullmqJobQueue) => {
      await node.stop();
      await node.start();
      await cluster.waitUntilOk();
      // The other masters may flag the node failing just as it comes back (a loaded machine):
      // the cluster refuses commands until the flag lapses, twice the node timeout.
      await new Promise((resolve) => setTimeout(resolve, 4500));
      await cluster.waitUntilOk();
      // The queue's client finds the node again before the sweeper asks it anything.
      const answers = () =>
        queue.counts().then(
          () => true,
          () => false,
        );
      await until(answers, 20_000);
    };
    const requestTask = async (id: string) => {
      day += 1;
      const date = `2026-05-${String(day).padStart(2, '0')}`;
      const response = await postTask(
        h.t,
        makeTaskRequest({
          id,
          window: { from: `${date}T08:30:00+08:00`, to: `${date}T18:00:00+08:00` },
        }),
        `key-${id}`,
      );
      expect(response.status).toBe(201);
      return (response.body.panel as unknown as Seat[]).filter((s) => s.state === 'invited');
    };
    const laterBy = (ms: number) =>
      h.t.clock.set(new Date(h.t.clock.now().getTime() + ms).toISOString());

    beforeAll(async () => {
      cluster = await startPrivateRedisCluster();
      node = await cluster.nodeFor(queuePrefixFor(cluster.target, PREFIX));
      h = await openDispatchHarness(kind, 10);
    });
    afterAll(async () => {
      await h?.stop();
      await h?.close();
      await cluster?.close();
    });

    it('leaves deliveries whose jobs the cluster holds, hands back those it lost, and delivers each once', async () => {
      const queue = clusterQueue();
      // No worker yet: the jobs wait in the cluster, as behind a backlog.
      const relayOnly = h.start(queue, { settings: { runWorker: false } });
      const invited = await requestTask(`t-swc-lost-${kind}`);
      expect(invited.length).toBeGreaterThan(0);
      await until(async () => (await unrelayedOutbox(h.t)) === 0);
      laterBy(5 * 60_000);
      // Stale in PostgreSQL, but their jobs are on the cluster: nothing to hand back.
      expect(await relayOnly.sweepNow()).toMatchObject({ requeued: 0 });

      await restartQueueNode(queue);
      expect(await relayOnly.sweepNow()).toMatchObject({ requeued: invited.length });
      await h.stop();

      h.start(clusterQueue()).nudge();
      const id = `t-swc-lost-${kind}`;
      await until(async () => (await taskDeliveries(h.t, id)).every((d) => d.state === 'sent'));
      for (const delivery of await taskDeliveries(h.t, id)) {
        const requests = h.receiver.requests.filter(
          (r) => r.body.invitationId === String(delivery.seatId),
        );
        expect(new Set(requests.map((r) => r.key))).toEqual(new Set([delivery.id]));
        expect(h.receiver.delivered.get(delivery.id)).toBe(1);
      }
    });

    it('times out from PostgreSQL the invitations whose deadline jobs the cluster lost (第十五条)', async () => {
      const queue = clusterQueue();
      const dispatcher = h.start(queue);
      const id = `t-swc-late-${kind}`;
      const invited = await requestTask(id);
      await until(async () => (await taskDeliveries(h.t, id)).every((d) => d.state === 'sent'));
      const deadlineJobs = await h.t.database.db
        .select({ id: outbox.id })
        .from(outbox)
        .where(eq(outbox.kind, 'invitation_deadline'));
      await restartQueueNode(queue);
      // Gone with the node: no delayed job is left to time these invitations out.
      for (const job of deadlineJobs) expect(await queue.hasJob(job.id)).toBe(false);

      laterBy((h.t.services.ruleSet.replyDeadlineMinutes.routine + 1) * 60_000);
      expect((await dispatcher.sweepNow()).timedOut).toBeGreaterThanOrEqual(invited.length);
      const timedOut = await h.t.database.db
        .select({ id: panelSeats.id })
        .from(panelSeats)
        .where(and(eq(panelSeats.taskId, id), eq(panelSeats.state, 'timed_out')));
      expect(timedOut).toHaveLength(invited.length);
    });
  },
);
