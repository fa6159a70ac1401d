import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelSeats } from '../db/schema.js';
import { postTaskOnDay, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { auditActionsOf, viewTask } from './dispatch.test-helpers.js';
import { timeOutInvitation } from './time-out-invitation.js';

const backends = await availableBackends();

describe.each(backends)('backfill on %s', (kind) => {
  let t: TestContext;
  let day = 10;

  const request = async (id: string, overrides: Record<string, unknown> = {}) => {
    day += 1;
    const created = await postTaskOnDay(
      t,
      id,
      `2026-04-${String(day).padStart(2, '0')}`,
      overrides,
    );
    return created.body as unknown as TaskView;
  };
  const reply = (invitationId: string, json: unknown) =>
    call(t, 'POST', `/v1/invitations/${invitationId}/reply`, { key: 'yn.dispatcher', json });
  const plainMember = (body: TaskView) => {
    const seat = body.panel.find((s) => s.role === 'member' && s.state === 'invited');
    if (seat === undefined) throw new Error('no invited member');
    return seat;
  };

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 12);
  });
  afterAll(() => t.close());

  it('invites the next alternate at once when a member declines, and notifies them', async () => {
    const created = await request('t-bf-decline');
    const member = plainMember(created);
    const firstAlternate = created.panel.filter((s) => s.role === 'alternate')[0];
    expect(
      (await reply(member.invitationId, { answer: 'decline', reason: 'illness' })).body,
    ).toMatchObject({ state: 'declined' });
    const after = await viewTask(t, 't-bf-decline');
    const replacement = after.panel.find((s) => s.expertId === firstAlternate?.expertId);
    expect(replacement).toMatchObject({
      role: 'member',
      state: 'invited',
      notification: { state: 'pending' },
    });
    expect(after.panel.filter((s) => s.state === 'invited')).toHaveLength(3);
    expect(after.status).toBe('inviting');
    expect(await auditActionsOf(t, 't-bf-decline')).toContain('invitation.backfilled');
  });

  it.each([
    ['delivered', 'timed_out'],
    ['never delivered', 'undeliverable'],
  ] as const)(
    'frees the seat of a %s invitation left unanswered the same way, as %s (第十五条)',
    async (how, state) => {
      const taskId = `t-bf-${state}`;
      const created = await request(taskId);
      const member = plainMember(created);
      if (how === 'delivered') {
        await t.database.db
          .update(panelSeats)
          .set({ deliveredAt: t.clock.now() })
          .where(eq(panelSeats.id, Number(member.invitationId)));
      }
      const late = new Date(new Date(member.replyDeadline ?? 0).getTime() + 1000);
      expect(await timeOutInvitation(t.database.db, Number(member.invitationId), late)).toBe(true);
      const after = await viewTask(t, taskId);
      expect(after.panel.find((s) => s.invitationId === member.invitationId)?.state).toBe(state);
      expect(
        after.panel.filter((s) => s.role !== 'alternate' && s.state === 'invited'),
      ).toHaveLength(3);
    },
  );

  it('confirms the panel when every member has accepted, the replacement included', async () => {
    const created = await request('t-bf-confirm');
    await reply(plainMember(created).invitationId, {
      answer: 'decline',
      reason: 'schedule_conflict',
    });
    const invited = (await viewTask(t, 't-bf-confirm')).panel.filter((s) => s.state === 'invited');
    for (const seat of invited) await reply(seat.invitationId, { answer: 'accept' });
    const after = await viewTask(t, 't-bf-confirm');
    expect(after.status).toBe('confirmed');
    expect(after.panel.filter((s) => s.state === 'accepted')).toHaveLength(3);
    expect(await auditActionsOf(t, 't-bf-confirm')).toContain('task.confirmed');
  });

  it('draws again, keeping the remaining members, when no alternate is left (第十五条)', async () => {
    const created = await request('t-bf-redraw', { alternates: 0 });
    const decliner = plainMember(created);
    const stayed = created.panel.filter((s) => s.invitationId !== decliner.invitationId);
    await reply(stayed[0]?.invitationId ?? '', { answer: 'accept' });
    await reply(decliner.invitationId, { answer: 'decline', reason: 'illness' });
    const after = (await call(t, 'GET', '/v1/tasks/t-bf-redraw', { key: 'yn.dispatcher' }))
      .body as unknown as TaskView & { draw: { id: string; sequence: number } };
    expect(after.status).toBe('inviting');
    expect(after.draw.sequence).toBe(2);
    const holding = after.panel.filter((s) => s.state === 'invited' || s.state === 'accepted');
    expect(holding).toHaveLength(3);
    // The members who stayed keep their seats and answers; the decliner is not drawn again.
    for (const seat of stayed) {
      expect(after.panel.find((s) => s.invitationId === seat.invitationId)?.expertId).toBe(
        seat.expertId,
      );
    }
    expect(after.panel.find((s) => s.invitationId === stayed[0]?.invitationId)?.state).toBe(
      'accepted',
    );
    expect(holding.map((s) => s.expertId)).not.toContain(decliner.expertId);
    const newcomer = holding.find((s) => !stayed.some((kept) => kept.expertId === s.expertId));
    expect(newcomer).toMatchObject({ state: 'invited', notification: { state: 'pending' } });
    // The draw is audited under its own id, with the reason.
    expect(await auditActionsOf(t, after.draw.id)).toEqual(['draw.redrawn']);
    const verified = await call(t, 'GET', `/v1/draws/${after.draw.id}/verify`, {
      key: 'yn.auditor',
    });
    expect(verified.body).toMatchObject({ ok: true });
  });

  it('marks the task understaffed when not even a new draw can fill the seat', async () => {
    const created = await request('t-bf-short', { alternates: 0, panelSize: 12 });
    await reply(plainMember(created).invitationId, { answer: 'decline', reason: 'illness' });
    expect((await viewTask(t, 't-bf-short')).status).toBe('understaffed');
  });

  it('never invites one alternate twice when two members decline at once', async () => {
    const created = await request('t-bf-race');
    const members = created.panel.filter((s) => s.role !== 'alternate' && s.state === 'invited');
    await Promise.all(
      members
        .slice(0, 2)
        .map((m) => reply(m.invitationId, { answer: 'decline', reason: 'illness' })),
    );
    const after = await viewTask(t, 't-bf-race');
    const invitedIds = after.panel.filter((s) => s.state === 'invited').map((s) => s.expertId);
    expect(new Set(invitedIds).size).toBe(invitedIds.length);
    expect(after.panel.filter((s) => s.role === 'alternate' && s.state === 'invited')).toHaveLength(
      0,
    );
  });
});
