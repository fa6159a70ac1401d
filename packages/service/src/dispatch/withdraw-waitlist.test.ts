import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, notices, outbox } from '../db/schema.js';
import { postTaskOnDay, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { auditActionsOf, viewTask } from './dispatch.test-helpers.js';
import { recordConflict } from './record-reply.js';
import { timeOutInvitation } from './time-out-invitation.js';

const backends = await availableBackends();

type Seat = TaskView['panel'][number];

describe.each(backends)('the waiting list moves up after a withdrawal on %s', (kind) => {
  let t: TestContext;
  let day = 10;

  const reply = (seat: Seat, json: unknown) =>
    call(t, 'POST', `/v1/invitations/${seat.invitationId}/reply`, { key: 'yn.dispatcher', json });
  const withdraw = (seat: Seat, reason = 'illness') =>
    call(t, 'POST', `/v1/invitations/${seat.invitationId}/withdrawal`, {
      key: 'yn.dispatcher',
      json: { reason },
    });
  /**
   * An accident rescue (leader, two members, two over-invited, one reserve) confirmed by the
   * drawn three; `waitlisted` of the over-invited then accept late and wait (第六条（四）).
   */
  const fullRescue = async (id: string, waitlisted: 0 | 1 | 2) => {
    day += 1;
    const created = await postTaskOnDay(t, id, `2026-08-${String(day).padStart(2, '0')}`, {
      type: 'accident_rescue',
      alternates: 3,
      callbackUrl: 'https://requester.test/callback',
    });
    const panel = (created.body as unknown as TaskView).panel;
    const drawn = panel.filter((s) => s.role !== 'alternate' && s.rank < 3);
    const extra = panel.filter((s) => s.role === 'member' && s.rank >= 3);
    const reserve = panel.filter((s) => s.role === 'alternate');
    for (const seat of drawn) await reply(seat, { answer: 'accept' });
    for (const seat of extra.slice(0, waitlisted)) {
      expect((await reply(seat, { answer: 'accept' })).body).toMatchObject({ state: 'waitlisted' });
    }
    expect((await viewTask(t, id)).status).toBe('confirmed');
    return { drawn, extra, reserve };
  };
  const members = (seats: readonly Seat[]) => seats.filter((s) => s.role === 'member');
  const holding = async (id: string) =>
    (await viewTask(t, id)).panel.filter((s) => s.state === 'invited' || s.state === 'accepted');
  const noDoubleSeats = async (id: string) => {
    const experts = (await viewTask(t, id)).panel.map((s) => s.expertId);
    expect(new Set(experts).size).toBe(experts.length);
  };
  const callbacksOf = async (id: string) =>
    (await t.database.db.select().from(outbox).where(eq(outbox.kind, 'task_callback')))
      .filter((row) => row.payload.taskId === id)
      .map((row) => row.payload.status);

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 12);
  });
  afterAll(() => t.close());

  it('gives the freed place to the earliest waitlisted acceptance, tells them, and confirms again (第十五条)', async () => {
    const { drawn, extra } = await fullRescue('t-wl-promote', 2);
    const leaving = members(drawn)[0] as Seat;
    const response = await withdraw(leaving, 'schedule_conflict');
    expect(response.body).toMatchObject({
      taskStatus: 'confirmed',
      promotedExpertId: extra[0]?.expertId,
    });
    const after = await viewTask(t, 't-wl-promote');
    expect(after.status).toBe('confirmed');
    expect(after.panel.find((s) => s.invitationId === extra[0]?.invitationId)?.state).toBe(
      'accepted',
    );
    expect(after.panel.find((s) => s.invitationId === extra[1]?.invitationId)?.state).toBe(
      'waitlisted',
    );
    expect(after.panel.filter((s) => s.role === 'alternate').map((s) => s.state)).toEqual([
      'reserve',
    ]);
    const told = await t.database.db
      .select()
      .from(notices)
      .where(and(eq(notices.taskId, 't-wl-promote'), eq(notices.kind, 'waitlist_promoted')));
    expect(told.map((n) => n.expertId)).toEqual([extra[0]?.expertId]);
    expect(told[0]?.body).toContain('候补转为正式成员');
    expect(told[0]?.body).not.toContain('昆明钢铁');
    expect(await auditActionsOf(t, 't-wl-promote')).toEqual(
      expect.arrayContaining(['invitation.withdrawn', 'task.reopened', 'invitation.promoted']),
    );
    // The requesting system hears of the panel confirmed again, as of the first time.
    expect(await callbacksOf('t-wl-promote')).toEqual(['confirmed', 'confirmed']);
  });

  it('passes over a waitlisted expert who no longer passes the rules today (第八条（四）)', async () => {
    const { drawn, extra } = await fullRescue('t-wl-rules', 2);
    await t.database.db.transaction((tx) =>
      recordConflict(tx, extra[0]?.expertId ?? '', 't-wl-rules', t.clock.now(), '测试回避'),
    );
    const response = await withdraw(members(drawn)[0] as Seat);
    expect(response.body).toMatchObject({ promotedExpertId: extra[1]?.expertId });
    const after = await viewTask(t, 't-wl-rules');
    expect(after.panel.find((s) => s.invitationId === extra[0]?.invitationId)?.state).toBe(
      'waitlisted',
    );
  });

  it('backfills as for a decline when nobody waits: the reserve is invited, the task invites again', async () => {
    const { drawn, reserve } = await fullRescue('t-wl-none', 0);
    expect((await withdraw(members(drawn)[0] as Seat)).body).toMatchObject({
      taskStatus: 'inviting',
      promotedExpertId: null,
    });
    const after = await viewTask(t, 't-wl-none');
    expect(after.status).toBe('inviting');
    expect(after.panel.find((s) => s.expertId === reserve[0]?.expertId)?.state).toBe('invited');
    expect(await holding('t-wl-none')).toHaveLength(3);
    await noDoubleSeats('t-wl-none');
  });

  it('ends two withdrawals at once in one promotion and one backfill, nobody seated twice', async () => {
    const { drawn, extra } = await fullRescue('t-wl-race', 1);
    const answers = await Promise.all(members(drawn).map((seat) => withdraw(seat)));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.map((a) => a.body.promotedExpertId).filter((id) => id !== null)).toEqual([
      extra[0]?.expertId,
    ]);
    const after = await viewTask(t, 't-wl-race');
    expect(after.panel.filter((s) => s.state === 'accepted')).toHaveLength(2);
    expect(after.panel.filter((s) => s.state === 'invited')).toHaveLength(1);
    await noDoubleSeats('t-wl-race');
    const promoted = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, 't-wl-race'), eq(auditLog.action, 'invitation.promoted')));
    expect(promoted).toHaveLength(1);
  });

  it('records one of two withdrawals of the same invitation at once; the other is refused (409)', async () => {
    const { drawn } = await fullRescue('t-wl-twice', 0);
    const seat = members(drawn)[0] as Seat;
    const answers = await Promise.all([withdraw(seat), withdraw(seat, 'schedule_conflict')]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const actions = await auditActionsOf(t, 't-wl-twice');
    expect(actions.filter((a) => a === 'invitation.withdrawn')).toHaveLength(1);
    expect(actions.filter((a) => a === 'invitation.backfilled')).toHaveLength(1);
    expect(await holding('t-wl-twice')).toHaveLength(3);
    await noDoubleSeats('t-wl-twice');
  });

  it('fills each place once when a withdrawal races a time-out on the same panel', async () => {
    day += 1;
    const created = await postTaskOnDay(
      t,
      't-wl-timeout',
      `2026-08-${String(day).padStart(2, '0')}`,
    );
    const panel = (created.body as unknown as TaskView).panel;
    const [accepting, lapsing] = panel.filter((s) => s.role === 'member') as [Seat, Seat];
    await reply(accepting, { answer: 'accept' });
    const late = new Date(new Date(lapsing.replyDeadline ?? 0).getTime() + 1000);
    const [withdrawn, timedOut] = await Promise.all([
      withdraw(accepting),
      timeOutInvitation(t.database.db, Number(lapsing.invitationId), late),
    ]);
    expect([withdrawn.status, timedOut]).toEqual([200, true]);
    const after = await viewTask(t, 't-wl-timeout');
    expect(after.status).toBe('inviting');
    expect(after.panel.filter((s) => s.role === 'alternate' && s.state !== 'reserve')).toEqual([]);
    expect(await holding('t-wl-timeout')).toHaveLength(3);
    await noDoubleSeats('t-wl-timeout');
  });
});
