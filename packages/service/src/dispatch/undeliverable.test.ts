import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, experts, notices, panelSeats } from '../db/schema.js';
import { loadHistory } from '../tasks/load-history.js';
import { makeTaskRequest, postTask } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import type { HttpReceiver } from '../testing/http-receiver.test-helpers.js';
import type { QueueMode } from '../testing/redis.test-helpers.js';
import { call, type TestContext } from '../testing/test-backends.test-helpers.js';
import {
  backendQueueCombos,
  type DispatchHarness,
  makeTestQueue,
  openDispatchHarness,
  taskDeliveries,
  until,
} from './dispatch.test-helpers.js';
import { tellAuthorityUndeliverable } from './tell-authority-undeliverable.js';

type Seat = TaskView['panel'][number];
const { combos, prefix } = await backendQueueCombos();

/** Nothing listens here: every attempt to reach it fails at once. */
const DEAD_PORT = 'http://127.0.0.1:1/gateway';

describe.each(combos)(
  'an invitation no channel reaches, on %s with the %s queue',
  (kind, mode: QueueMode) => {
    let h: DispatchHarness;
    let t: TestContext;
    let receiver: HttpReceiver;
    let day = 10;

    const panelOf = async (id: string) =>
      (await call(t, 'GET', `/v1/tasks/${id}`, { key: 'yn.dispatcher' }))
        .body as unknown as TaskView;
    /** The seat as stored: a replacement draw may have moved the task's view to a new draw. */
    const seatOf = async (invitationId: string) => {
      const [row] = await t.database.db
        .select()
        .from(panelSeats)
        .where(eq(panelSeats.id, Number(invitationId)));
      return row;
    };
    const phoneReply = (invitationId: string, json: unknown) =>
      call(t, 'POST', `/v1/invitations/${invitationId}/phone-reply`, {
        key: 'yn.dispatcher',
        json,
      });

    /**
     * A task whose two plain members can only be reached at a dead port, posted while no
     * dispatcher runs (the outbox keeps its deliveries), then the dispatcher with a short window.
     */
    const taskWithUnreachable = async (id: string) => {
      day += 1;
      const date = `2026-04-${String(day).padStart(2, '0')}`;
      const created = await postTask(
        t,
        makeTaskRequest({
          id,
          window: { from: `${date}T08:30:00+08:00`, to: `${date}T18:00:00+08:00` },
          callbackUrl: `${receiver.url}?callback=${id}`,
        }),
        `key-${id}`,
      );
      expect(created.status).toBe(201);
      const invited = (created.body.panel as unknown as Seat[]).filter(
        (s) => s.state === 'invited',
      );
      const lost = invited.filter((s) => s.role === 'member').slice(0, 2);
      for (const seat of lost) {
        const put = await call(t, 'PUT', `/v1/experts/${seat.expertId}/contacts`, {
          key: 'yn.admin',
          json: { contacts: [{ channel: 'webhook', address: DEAD_PORT }] },
        });
        expect(put.status).toBe(200);
      }
      h.start(makeTestQueue(mode, prefix), { settings: { deliveryRetryWindowMs: 150 } });
      // Read as stored: a replacement draw may move the task's view to a new draw meanwhile.
      await until(async () => {
        const states = await Promise.all(lost.map((s) => seatOf(s.invitationId)));
        return states.every((row) => row?.state === 'undeliverable');
      });
      return { invited, lost, drawId: (created.body as unknown as TaskView).draw?.id };
    };

    beforeAll(async () => {
      h = await openDispatchHarness(kind, 12);
      ({ t, receiver } = h);
    });
    afterEach(() => h.stop());
    afterAll(() => h.close());

    it('makes it undeliverable after the retry window, fills the place and tells the dispatcher at once', async () => {
      const id = `t-dead-${mode}`;
      const { invited, lost } = await taskWithUnreachable(id);
      const view = await panelOf(id);
      const deliveries = await taskDeliveries(t, id);
      for (const seat of lost) {
        expect(await seatOf(seat.invitationId)).toMatchObject({
          state: 'undeliverable',
          deliveredAt: null,
        });
        const delivery = deliveries.find((d) => String(d.seatId) === seat.invitationId);
        // 20 ms backoff doubling until 150 ms are spanned: 20 + 40 + 80 = 140, so one more.
        expect(delivery).toMatchObject({ state: 'failed', attempts: 5, sentAt: null });
        expect(delivery?.lastError).toContain('webhook');
      }
      // The panel still fills: the reached members and a replacement for each lost one hold.
      const holding = view.panel.filter(
        (s) => s.role !== 'alternate' && (s.state === 'invited' || s.state === 'accepted'),
      );
      expect(holding).toHaveLength(invited.length);
      // The dispatcher's system hears of each one, signed, with the invitation and its deadline.
      await until(() =>
        lost.every((seat) =>
          receiver.requests.some(
            (r) =>
              r.body.event === 'invitation.undeliverable' &&
              r.body.invitationId === seat.invitationId,
          ),
        ),
      );
      const told = receiver.requests.filter(
        (r) => r.body.event === 'invitation.undeliverable' && r.body.taskId === id,
      );
      expect(told.map((r) => [r.body.invitationId, r.signatureOk])).toEqual(
        expect.arrayContaining(lost.map((s) => [s.invitationId, true])),
      );
      expect(told[0]?.body.replyDeadline).toBe(lost[0]?.replyDeadline);
      const audited = await t.database.db
        .select({ entityId: auditLog.entityId })
        .from(auditLog)
        .where(and(eq(auditLog.action, 'invitation.undeliverable'), eq(auditLog.entityId, id)));
      expect(audited).toHaveLength(lost.length);
      // The authority has no contact here: no notice, and nothing else breaks.
      const noticed = await t.database.db
        .select({ id: notices.id })
        .from(notices)
        .where(and(eq(notices.kind, 'invitation_undeliverable'), eq(notices.taskId, id)));
      expect(noticed).toEqual([]);
      // A member the gateway reached has a receipt.
      const reached = view.panel.find(
        (s) =>
          invited.some((i) => i.invitationId === s.invitationId) &&
          s.notification?.state === 'sent',
      );
      expect(reached?.deliveredAt).toEqual(expect.any(String));
    });

    it('tells the requesting authority at its own contact, once per seat, with the expert’s name and the phone-reply deadline but no personal data', async () => {
      const setContact = (contact: unknown) =>
        call(t, 'PUT', '/v1/authorities/yn-yjt/contact', { key: 'yn.admin', json: { contact } });
      const put = await setContact({ channel: 'webhook', address: `${receiver.url}?authority=yn` });
      expect(put.status).toBe(200);
      try {
        const id = `t-dead-authority-${mode}`;
        const { lost } = await taskWithUnreachable(id);
        const toAuthority = () =>
          receiver.requests.filter(
            (r) => r.body.kind === 'invitation_undeliverable' && r.body.taskId === id,
          );
        // Replacements drawn from experts an earlier test left unreachable are told too: wait
        // for each seat made unreachable here, not for a count.
        await until(() =>
          lost.every((seat) =>
            toAuthority().some((r) =>
              String(r.body.text).includes(`/v1/invitations/${seat.invitationId}/phone-reply`),
            ),
          ),
        );
        const rows = await t.database.db
          .select()
          .from(notices)
          .where(and(eq(notices.kind, 'invitation_undeliverable'), eq(notices.taskId, id)));
        // One notice per undeliverable seat of this task: the two made unreachable here, and any
        // replacement drawn from experts an earlier test of this file left unreachable.
        const seatsTold = rows.map(
          (row) => /\/v1\/invitations\/(\d+)\/phone-reply/.exec(row.body)?.[1],
        );
        expect(new Set(seatsTold).size).toBe(rows.length);
        for (const seatId of seatsTold) {
          expect((await seatOf(String(seatId)))?.state).toBe('undeliverable');
        }
        for (const seat of lost) expect(seatsTold).toContain(seat.invitationId);
        for (const seat of lost) {
          const [person] = await t.database.db
            .select()
            .from(experts)
            .where(eq(experts.id, seat.expertId));
          const told = toAuthority().filter((r) =>
            String(r.body.text).includes(`/v1/invitations/${seat.invitationId}/phone-reply`),
          );
          expect(told).toHaveLength(1);
          const [request] = told;
          expect(request?.signatureOk).toBe(true);
          const text = String(request?.body.text);
          expect(text).toContain(person?.name as string);
          expect(text).toContain(id);
          expect(text).toContain('组员');
          expect(text).toContain('答复期限');
          expect(text).toContain('reply deadline');
          for (const secret of [person?.phone, person?.idNumber, person?.birthDate]) {
            if (secret) expect(JSON.stringify(request?.body)).not.toContain(secret);
          }
          // A second telling of the same seat writes nothing: the notice id derives from the seat.
          const [row] = await t.database.db
            .select()
            .from(panelSeats)
            .where(eq(panelSeats.id, Number(seat.invitationId)));
          const again = await t.database.db.transaction((tx) =>
            tellAuthorityUndeliverable(tx, row as NonNullable<typeof row>, new Date()),
          );
          expect(again).toBe(false);
        }
        // Sent: the receipt is recorded right after the gateway accepted it.
        const after = () =>
          t.database.db
            .select({ id: notices.id, state: notices.state, channel: notices.channel })
            .from(notices)
            .where(and(eq(notices.kind, 'invitation_undeliverable'), eq(notices.taskId, id)));
        await until(async () => (await after()).every((n) => n.state === 'sent'));
        // At least the seats made unreachable here (replacements may add their own), all sent.
        const sent = await after();
        expect(sent.length).toBeGreaterThanOrEqual(lost.length);
        for (const notice of sent) {
          expect(notice).toMatchObject({ state: 'sent', channel: 'webhook' });
        }
      } finally {
        expect((await setContact(null)).status).toBe(200);
      }
    });

    it('never reads an undeliverable invitation as the expert’s answer (第二十三条（一）)', async () => {
      const id = `t-dead-history-${mode}`;
      const { lost } = await taskWithUnreachable(id);
      const history = await loadHistory(
        t.database.db,
        { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' },
        new Date('2026-01-01T00:00:00Z'),
      );
      for (const seat of lost) {
        expect(
          history.invitations.filter((i) => i.expertId === seat.expertId && i.taskId === id),
        ).toEqual([]);
      }
    });

    it('records the answers the dispatcher got by phone: a decline with the expert’s words, an acceptance on the waiting list', async () => {
      const id = `t-dead-phone-${mode}`;
      const { lost } = await taskWithUnreachable(id);
      const [declining, accepting] = lost as [Seat, Seat];
      const declined = await phoneReply(declining.invitationId, {
        answer: 'decline',
        reason: 'illness',
        note: '电话中说明：住院治疗',
      });
      expect(declined.status).toBe(200);
      expect(declined.body).toMatchObject({ state: 'declined', changed: true });
      expect(await seatOf(declining.invitationId)).toMatchObject({
        state: 'declined',
        declineReason: 'illness',
        declineNote: '电话中说明：住院治疗',
        replyChannel: 'phone',
        repliedBy: t.keyIds['yn.dispatcher'],
      });
      // Its place went to a replacement when it became undeliverable: an acceptance now waits.
      const accepted = await phoneReply(accepting.invitationId, { answer: 'accept' });
      expect(accepted.body).toMatchObject({ state: 'waitlisted', changed: true });
      expect(await seatOf(accepting.invitationId)).toMatchObject({
        state: 'waitlisted',
        replyChannel: 'phone',
      });
      const again = await phoneReply(declining.invitationId, { answer: 'accept' });
      expect(again.status).toBe(409);
    });

    it('replays every draw from its stored input after its seats became undeliverable and answered by phone', async () => {
      const id = `t-dead-verify-${mode}`;
      const { lost, drawId } = await taskWithUnreachable(id);
      await phoneReply((lost[0] as Seat).invitationId, {
        answer: 'decline',
        reason: 'schedule_conflict',
      });
      // A later draw reads that history (the phone decline; never the undeliverable seat).
      const later = await postTask(
        t,
        makeTaskRequest({
          id: `${id}-later`,
          window: { from: '2026-05-20T08:30:00+08:00', to: '2026-05-20T18:00:00+08:00' },
        }),
        `key-${id}-later`,
      );
      expect(later.status).toBe(201);
      const laterDraw = (later.body as unknown as TaskView).draw?.id;
      const current = (await panelOf(id)).draw?.id;
      for (const draw of new Set([drawId, current, laterDraw])) {
        const verified = await call(t, 'GET', `/v1/draws/${draw}/verify`, { key: 'yn.auditor' });
        expect(verified.body).toMatchObject({ ok: true });
      }
    });
  },
);
