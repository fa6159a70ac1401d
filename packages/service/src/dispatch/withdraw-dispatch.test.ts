import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTaskRequest, postTask } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import type { QueueMode } from '../testing/redis.test-helpers.js';
import { call } from '../testing/test-backends.test-helpers.js';
import {
  backendQueueCombos,
  type DispatchHarness,
  makeTestQueue,
  openDispatchHarness,
  postForm,
  taskDeliveries,
  until,
  viewTask,
} from './dispatch.test-helpers.js';

type Seat = TaskView['panel'][number];
const { combos, prefix } = await backendQueueCombos();

describe.each(combos)(
  'a withdrawal after acceptance on %s with the %s queue',
  (kind, mode: QueueMode) => {
    let h: DispatchHarness;

    beforeAll(async () => {
      h = await openDispatchHarness(kind, 10);
    });
    afterEach(() => h.stop());
    afterAll(() => h.close());

    it('works through the delivered link after the reply deadline: the replacement is notified once and the requester told of the panel confirmed again (第十五条)', async () => {
      const { t, receiver } = h;
      h.start(makeTestQueue(mode, prefix));
      const id = `t-wd-loop-${mode}`;
      const created = await postTask(
        t,
        makeTaskRequest({
          id,
          window: { from: '2026-09-10T08:30:00+08:00', to: '2026-09-10T18:00:00+08:00' },
          callbackUrl: `${receiver.url}?callback=${id}`,
        }),
        `key-${id}`,
      );
      const invited = (created.body.panel as unknown as Seat[]).filter(
        (s) => s.state === 'invited',
      );
      const allSent = async () => (await taskDeliveries(t, id)).every((d) => d.state === 'sent');
      await until(allSent);
      for (const seat of invited) {
        await call(t, 'POST', `/v1/invitations/${seat.invitationId}/reply`, {
          key: 'yn.dispatcher',
          json: { answer: 'accept' },
        });
      }
      const callbacks = () =>
        receiver.requests
          .filter((r) => r.body.event === 'task.status' && r.body.taskId === id)
          .map((r) => r.body.status);
      await until(() => callbacks().length === 1);

      // Days later, past the reply deadline, the expert opens the invitation they received.
      const leaving = invited.find((s) => s.role === 'member') as Seat;
      const received = receiver.requests.find((r) => r.body.invitationId === leaving.invitationId);
      const path = new URL(String(received?.body.replyUrl)).pathname;
      const saved = t.clock.now().toISOString();
      t.clock.set('2026-09-05T10:00:00+08:00');
      try {
        const page = await call(t, 'GET', path);
        expect(page.status).toBe(200);
        expect(page.text).toContain('无法参加');
        const done = await postForm(t, path, { answer: 'withdraw', reason: 'illness' });
        expect(done.status).toBe(200);
        const replacement = (await viewTask(t, id)).panel.find((s) => s.state === 'invited');
        if (replacement === undefined) throw new Error('no replacement invited');
        await until(allSent);
        const sentTo = receiver.requests.filter(
          (r) => r.body.invitationId === replacement.invitationId,
        );
        expect(new Set(sentTo.map((r) => r.key)).size).toBe(1);
        await call(t, 'POST', `/v1/invitations/${replacement.invitationId}/reply`, {
          key: 'yn.dispatcher',
          json: { answer: 'accept' },
        });
        expect((await viewTask(t, id)).status).toBe('confirmed');
        await until(() => callbacks().length === 2);
        expect(callbacks()).toEqual(['confirmed', 'confirmed']);
      } finally {
        t.clock.set(saved);
      }
    });
  },
);
