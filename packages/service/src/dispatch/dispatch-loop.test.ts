import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, panelSeats } from '../db/schema.js';
import type { JobQueue } from '../queue/job-queue.js';
import { makeTaskRequest, postTask } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import type { HttpReceiver } from '../testing/http-receiver.test-helpers.js';
import type { QueueMode } from '../testing/redis.test-helpers.js';
import { call, type TestContext } from '../testing/test-backends.test-helpers.js';
import {
  backendQueueCombos,
  type DispatchHarness,
  dyingAfterFirstSend,
  makeTestQueue,
  openDispatchHarness,
  taskDeliveries,
  unrelayedOutbox,
  until,
} from './dispatch.test-helpers.js';

type Seat = TaskView['panel'][number];
const { combos, prefix } = await backendQueueCombos();

describe.each(combos)('dispatch on %s with the %s queue', (kind, mode: QueueMode) => {
  let h: DispatchHarness;
  let t: TestContext;
  let receiver: HttpReceiver;
  let day = 10;

  /** A fresh one-day task in its own window, so that every case can book the same pool. */
  const requestTask = async (id: string, extra: Record<string, unknown> = {}) => {
    day += 1;
    const date = `2026-03-${String(day).padStart(2, '0')}`;
    const response = await postTask(
      t,
      makeTaskRequest({
        id,
        window: { from: `${date}T08:30:00+08:00`, to: `${date}T18:00:00+08:00` },
        ...extra,
      }),
      `key-${id}-${mode}`,
    );
    expect(response.status).toBe(201);
    return (response.body.panel as unknown as Seat[]).filter((s) => s.state === 'invited');
  };
  const panelOf = async (id: string) =>
    (await call(t, 'GET', `/v1/tasks/${id}`, { key: 'yn.dispatcher' })).body
      .panel as unknown as Seat[];
  /** Invitation id → the idempotency keys the receiver delivered for it. */
  const deliveredKeys = (invitationId: string) =>
    new Set(
      receiver.requests
        .filter((r) => r.body.invitationId === invitationId && receiver.delivered.has(r.key))
        .map((r) => r.key),
    );
  const allSent = (id: string) => async () =>
    (await taskDeliveries(t, id)).every((d) => d.state === 'sent');
  const start: DispatchHarness['start'] = (queue, options) => h.start(queue, options);

  beforeAll(async () => {
    h = await openDispatchHarness(kind, 10);
    ({ t, receiver } = h);
  });
  // A failed case must not leave its dispatcher or gateway behaviour to the next one.
  afterEach(() => h.stop());
  afterAll(() => h.close());

  it('notifies every invited member once, signed, keyed by the delivery, without the enterprise (第八条（五）（七）)', async () => {
    start(makeTestQueue(mode, prefix));
    const invited = await requestTask(`t-loop-${mode}`);
    expect(invited.length).toBe(3);
    await until(allSent(`t-loop-${mode}`));
    const rows = await taskDeliveries(t, `t-loop-${mode}`);
    for (const seat of invited) {
      const requests = receiver.requests.filter((r) => r.body.invitationId === seat.invitationId);
      expect(requests).toHaveLength(1);
      const [request] = requests;
      expect(request?.signatureOk).toBe(true);
      expect(request?.key).toBe(rows.find((d) => String(d.seatId) === seat.invitationId)?.id);
      const text = String(request?.body.text);
      expect(text).toContain('行政执法检查');
      expect(text).toContain('昆明市');
      expect(text).toContain('https://dispatch.test/r/');
      expect(text).not.toContain('昆明钢铁');
    }
    const panel = await panelOf(`t-loop-${mode}`);
    expect(panel.filter((s) => s.role === 'alternate').every((s) => s.notification === null)).toBe(
      true,
    );
    expect(
      panel
        .filter((s) => s.state === 'invited')
        .map((s) => [s.notification?.state, s.notification?.attempts]),
    ).toEqual(invited.map(() => ['sent', 1]));
  });

  it('runs the whole loop: request → notified → decline → replacement notified → accept → confirmed → requester told', async () => {
    start(makeTestQueue(mode, prefix));
    const id = `t-whole-${mode}`;
    const invited = await requestTask(id, { callbackUrl: `${receiver.url}?callback=${id}` });
    await until(allSent(id));
    const decliner = invited.find((s) => s.role === 'member');
    if (decliner === undefined) throw new Error('no member');
    const declined = await call(t, 'POST', `/v1/invitations/${decliner.invitationId}/reply`, {
      key: 'yn.dispatcher',
      json: { answer: 'decline', reason: 'schedule_conflict' },
    });
    expect(declined.body).toMatchObject({ state: 'declined', changed: true });
    const replacement = (await panelOf(id)).find(
      (s) => s.state === 'invited' && !invited.some((i) => i.invitationId === s.invitationId),
    );
    if (replacement === undefined) throw new Error('no replacement invited');
    await until(allSent(id));
    expect(deliveredKeys(replacement.invitationId).size).toBe(1);
    for (const seat of (await panelOf(id)).filter((s) => s.state === 'invited')) {
      const accepted = await call(t, 'POST', `/v1/invitations/${seat.invitationId}/reply`, {
        key: 'yn.dispatcher',
        json: { answer: 'accept' },
      });
      expect(accepted.body).toMatchObject({ state: 'accepted' });
    }
    const task = await call(t, 'GET', `/v1/tasks/${id}`, { key: 'yn.dispatcher' });
    expect(task.body.status).toBe('confirmed');
    // The requesting system is told once, signed.
    await until(() =>
      receiver.requests.some((r) => r.body.event === 'task.status' && r.body.taskId === id),
    );
    const callbacks = receiver.requests.filter(
      (r) => r.body.event === 'task.status' && r.body.taskId === id,
    );
    expect(callbacks.map((r) => [r.body.status, r.signatureOk])).toEqual([['confirmed', true]]);
    expect(
      receiver.requests.filter((r) => r.body.taskId === id && r.body.invitationId),
    ).toHaveLength(4);
  });

  it('retries a gateway that answers 500 and delivers once when it recovers', async () => {
    receiver.behaviour = (_key, nth) => (nth <= 2 ? 'fail' : 'ok');
    start(makeTestQueue(mode, prefix));
    const invited = await requestTask(`t-500-${mode}`);
    await until(allSent(`t-500-${mode}`));
    for (const seat of invited) {
      expect(deliveredKeys(seat.invitationId).size).toBe(1);
      expect(
        receiver.requests.filter((r) => r.body.invitationId === seat.invitationId),
      ).toHaveLength(3);
    }
    expect((await taskDeliveries(t, `t-500-${mode}`)).map((d) => d.attempts)).toEqual([3, 3, 3]);
  });

  it('gives up on a hanging gateway after its timeout and delivers once on the retry', async () => {
    receiver.behaviour = (_key, nth) => (nth === 1 ? 'hang' : 'ok');
    start(makeTestQueue(mode, prefix));
    const invited = await requestTask(`t-hang-${mode}`);
    await until(allSent(`t-hang-${mode}`));
    for (const seat of invited) expect(deliveredKeys(seat.invitationId).size).toBe(1);
    expect((await taskDeliveries(t, `t-hang-${mode}`)).every((d) => d.attempts === 2)).toBe(true);
  });

  it('delivers once as the receiver sees it when a worker dies after sending, before recording', async () => {
    start(makeTestQueue(mode, prefix), { channels: dyingAfterFirstSend() });
    const invited = await requestTask(`t-died-${mode}`);
    await until(allSent(`t-died-${mode}`));
    for (const seat of invited) {
      const requests = receiver.requests.filter((r) => r.body.invitationId === seat.invitationId);
      expect(requests).toHaveLength(2);
      expect(new Set(requests.map((r) => r.key)).size).toBe(1);
      expect(deliveredKeys(seat.invitationId).size).toBe(1);
    }
  });

  it('marks the notification failed after the last attempt and the invitation undeliverable, never timed out', async () => {
    receiver.behaviour = () => 'fail';
    start(makeTestQueue(mode, prefix));
    await requestTask(`t-fail-${mode}`);
    await until(async () =>
      (await taskDeliveries(t, `t-fail-${mode}`)).every((d) => d.state === 'failed'),
    );
    const panel = await panelOf(`t-fail-${mode}`);
    const members = panel.filter((s) => s.notification !== null);
    expect(members.map((s) => [s.state, s.notification?.state, s.notification?.attempts])).toEqual(
      members.map(() => ['undeliverable', 'failed', 4]),
    );
    expect(members.every((s) => s.notification?.lastError?.includes('500'))).toBe(true);
  });

  it('keeps taking requests while the queue is down and delivers once when it is back (outbox)', async () => {
    const down: JobQueue =
      mode === 'bullmq'
        ? makeTestQueue(mode, prefix, 'redis://127.0.0.1:1')
        : { ...makeTestQueue(mode, prefix), add: () => Promise.reject(new Error('queue down')) };
    start(down, { settings: { runWorker: false } });
    const invited = await requestTask(`t-down-${mode}`);
    await h.dispatcher?.relayNow();
    expect(await unrelayedOutbox(t)).toBeGreaterThanOrEqual(invited.length);
    await h.stop();
    start(makeTestQueue(mode, prefix));
    await until(allSent(`t-down-${mode}`));
    for (const seat of invited) expect(deliveredKeys(seat.invitationId).size).toBe(1);
  });

  it('delivers once when the process died between commit and enqueue: a fresh relay takes the outbox', async () => {
    const invited = await requestTask(`t-crash-${mode}`);
    expect(await unrelayedOutbox(t)).toBe(invited.length * 2);
    start(makeTestQueue(mode, prefix));
    await until(allSent(`t-crash-${mode}`));
    for (const seat of invited) {
      expect(
        receiver.requests.filter((r) => r.body.invitationId === seat.invitationId),
      ).toHaveLength(1);
    }
  });

  it('hands a delivery whose job the queue lost back to the relay (sweeper)', async () => {
    start(makeTestQueue(mode, prefix), { settings: { runWorker: false } });
    const invited = await requestTask(`t-lost-${mode}`);
    await until(async () => (await unrelayedOutbox(t)) === 0);
    await h.stop(); // the jobs go with this queue, as with a restarted process
    t.clock.set(new Date(t.clock.now().getTime() + 5 * 60_000).toISOString());
    const fresh = start(makeTestQueue(mode, prefix));
    expect((await fresh.sweepNow()).requeued).toBe(invited.length);
    fresh.nudge();
    await until(allSent(`t-lost-${mode}`));
    for (const seat of invited) expect(deliveredKeys(seat.invitationId).size).toBe(1);
  });

  it('times out, from the database, every invitation whose reply deadline has passed (第十五条)', async () => {
    start(makeTestQueue(mode, prefix));
    const invited = await requestTask(`t-late-${mode}`);
    await until(allSent(`t-late-${mode}`));
    const routine = t.services.ruleSet.replyDeadlineMinutes.routine;
    t.clock.set(new Date(t.clock.now().getTime() + (routine + 1) * 60_000).toISOString());
    const round = await h.dispatcher?.sweepNow();
    expect(round?.timedOut).toBeGreaterThanOrEqual(invited.length);
    const seats = await t.database.db
      .select({ state: panelSeats.state })
      .from(panelSeats)
      .where(eq(panelSeats.taskId, `t-late-${mode}`));
    expect(seats.filter((s) => s.state === 'timed_out')).toHaveLength(invited.length);
    const audit = await t.database.db
      .select({ entityId: auditLog.entityId })
      .from(auditLog)
      .where(eq(auditLog.action, 'invitation.timed_out'));
    expect(audit.filter((a) => a.entityId === `t-late-${mode}`)).toHaveLength(invited.length);
    expect((await h.dispatcher?.sweepNow())?.timedOut).toBe(0);
  });
});
