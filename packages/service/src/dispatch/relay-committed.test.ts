import { inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../db/schema.js';
import type { JobQueue } from '../queue/job-queue.js';
import { postTaskOnDay, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import { type HttpReceiver, startHttpReceiver } from '../testing/http-receiver.test-helpers.js';
import type { QueueMode } from '../testing/redis.test-helpers.js';
import {
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import type { CommittedOutbox } from './committed-outbox.js';
import {
  backendQueueCombos,
  makeTestQueue,
  setWebhookContacts,
  startTestDispatch,
  TEST_SIGNING_SECRET,
  taskDeliveries,
  until,
} from './dispatch.test-helpers.js';
import type { Dispatcher, DispatchSettings } from './start-dispatch.js';

const { combos, prefix } = await backendQueueCombos();

/** No relay round but the one at start: whatever is queued was handed over by the writer. */
const NO_RELAY: Partial<DispatchSettings> = { relayIntervalMs: 3_600_000 };

describe.each(combos)(
  'committed rows handed to nudge on %s with the %s queue',
  (kind, mode: QueueMode) => {
    let t: TestContext;
    let receiver: HttpReceiver;
    let dispatcher: Dispatcher | undefined;
    /** While false, posted tasks do not nudge (as when the process died after the commit). */
    let handOver = true;
    /** Every row a writer handed to `nudge`. */
    const handed: CommittedOutbox[] = [];
    let day = 10;

    const postTask = async (id: string) => {
      day += 1;
      await postTaskOnDay(t, id, `2026-05-${String(day).padStart(2, '0')}`, { alternates: 0 });
      const rows = await taskDeliveries(t, id);
      const outboxRows = await t.database.db
        .select()
        .from(outbox)
        .where(
          inArray(
            outbox.id,
            rows.map((row) => row.outboxId),
          ),
        );
      return { deliveries: rows, outbox: outboxRows };
    };
    const allSent = (id: string) => async () =>
      (await taskDeliveries(t, id)).every((d) => d.state === 'sent');
    const outboxOf = (ids: readonly string[]) =>
      t.database.db
        .select()
        .from(outbox)
        .where(inArray(outbox.id, [...ids]));
    const requestsOf = (deliveryId: string) =>
      receiver.requests.filter((r) => r.key === deliveryId).length;

    beforeAll(async () => {
      receiver = await startHttpReceiver(TEST_SIGNING_SECRET);
      t = await createTestContext(
        kind,
        {},
        {
          dispatch: {
            nudge: (committed?: readonly CommittedOutbox[]) => {
              handed.push(...(committed ?? []));
              if (handOver) dispatcher?.nudge(committed);
            },
          },
        },
      );
      await setWebhookContacts(t, await seedPanelPool(t, 5), receiver);
    });
    afterEach(async () => {
      await dispatcher?.close();
      dispatcher = undefined;
      handOver = true;
    });
    afterAll(async () => {
      await receiver.close();
      await t.close();
    });

    it('queues the rows at once and stamps them relayed, without a relay round', async () => {
      dispatcher = startTestDispatch(t, makeTestQueue(mode, prefix), { settings: NO_RELAY });
      // The round at start (and the one it asks for, as it was running) end before the post.
      await dispatcher.relayNow();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const id = `t-handed-${mode}`;
      const posted = await postTask(id);
      await until(allSent(id));
      const ids = posted.outbox.map((row) => row.id);
      await until(async () => (await outboxOf(ids)).every((row) => row.relayedAt !== null));
      // A relay round counts its claim in relay_attempts: none claimed these rows.
      expect((await outboxOf(ids)).map((row) => row.relayAttempts)).toEqual(ids.map(() => 0));
      for (const d of posted.deliveries) expect(requestsOf(d.id)).toBe(1);
      // Both kinds of row made their job: the deadlines wait, delayed, in the queue.
      for (const row of posted.outbox) expect(await dispatcher.queue.hasJob(row.id)).toBe(true);
    });

    it("hands a decline's replacement over once the reply commits; it is sent once", async () => {
      dispatcher = startTestDispatch(t, makeTestQueue(mode, prefix), { settings: NO_RELAY });
      await dispatcher.relayNow();
      day += 1;
      const id = `t-replaced-${mode}`;
      const created = await postTaskOnDay(t, id, `2026-05-${String(day).padStart(2, '0')}`, {
        alternates: 2,
      });
      await until(allSent(id));
      const member = (created.body as unknown as TaskView).panel.find(
        (seat) => seat.state === 'invited' && seat.role === 'member',
      );
      const first = new Set((await taskDeliveries(t, id)).map((d) => d.id));
      const reply = await call(t, 'POST', `/v1/invitations/${member?.invitationId}/reply`, {
        key: 'yn.dispatcher',
        json: { answer: 'decline', reason: 'schedule_conflict' },
      });
      expect(reply.status).toBe(200);
      await until(async () => (await taskDeliveries(t, id)).length > first.size);
      await until(allSent(id));
      const replacement = (await taskDeliveries(t, id)).filter((d) => !first.has(d.id));
      expect(replacement).toHaveLength(1);
      // The reply's transaction handed the replacement's rows over (no relay round needed).
      expect(handed.map((row) => row.id)).toContain(replacement[0]?.outboxId);
      for (const d of await taskDeliveries(t, id)) expect(requestsOf(d.id)).toBe(1);
    });

    it('leaves the rows of a failed add to the relay, which delivers them once', async () => {
      const down: JobQueue =
        mode === 'bullmq'
          ? makeTestQueue(mode, prefix, 'redis://127.0.0.1:1')
          : { ...makeTestQueue(mode, prefix), add: () => Promise.reject(new Error('queue down')) };
      dispatcher = startTestDispatch(t, down, { settings: { ...NO_RELAY, runWorker: false } });
      await dispatcher.relayNow();
      const id = `t-refused-${mode}`;
      const posted = await postTask(id);
      await dispatcher.close(); // waits for the hand-over it was given
      const ids = posted.outbox.map((row) => row.id);
      expect((await outboxOf(ids)).map((row) => [row.relayedAt, row.claimedUntil])).toEqual(
        ids.map(() => [null, null]),
      );
      dispatcher = startTestDispatch(t, makeTestQueue(mode, prefix));
      await until(allSent(id));
      for (const d of posted.deliveries) expect(requestsOf(d.id)).toBe(1);
    });

    it('makes one job of a row the relay takes at the same time, also once the job has run', async () => {
      handOver = false;
      const id = `t-both-${mode}`;
      const posted = await postTask(id);
      dispatcher = startTestDispatch(t, makeTestQueue(mode, prefix), { settings: NO_RELAY });
      const committed: CommittedOutbox[] = posted.outbox.map(({ id, kind, payload, runAt }) => ({
        id,
        kind,
        payload,
        runAt,
      }));
      dispatcher.nudge(committed);
      await dispatcher.relayNow();
      await until(allSent(id));
      // A late hand-over of rows whose jobs have finished adds nothing either.
      dispatcher.nudge(committed);
      await dispatcher.close();
      dispatcher = undefined;
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const d of posted.deliveries) expect(requestsOf(d.id)).toBe(1);
      expect((await outboxOf(committed.map((row) => row.id))).every((row) => row.relayedAt)).toBe(
        true,
      );
    });

    it('ignores rows handed to a closed dispatcher: they stay for the relay', async () => {
      handOver = false;
      const id = `t-closed-${mode}`;
      const posted = await postTask(id);
      const closed = startTestDispatch(t, makeTestQueue(mode, prefix), {
        settings: { ...NO_RELAY, runWorker: false },
      });
      await closed.relayNow();
      await closed.close();
      await t.database.db
        .update(outbox)
        .set({ relayedAt: null })
        .where(
          inArray(
            outbox.id,
            posted.outbox.map((row) => row.id),
          ),
        );
      closed.nudge(posted.outbox);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await outboxOf(posted.outbox.map((row) => row.id))).map((r) => r.relayedAt)).toEqual(
        posted.outbox.map(() => null),
      );
    });
  },
);
