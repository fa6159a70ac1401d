import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, deliveries, draws, notices, outbox } from '../db/schema.js';
import { postTask, postTaskOnDay, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { auditActionsOf, viewTask } from './dispatch.test-helpers.js';
import { signReplyToken } from './reply-token.js';
import { timeOutInvitation } from './time-out-invitation.js';

const backends = await availableBackends();

type Seat = TaskView['panel'][number];

describe.each(backends)('urgent over-invitation and the waiting list on %s', (kind) => {
  let t: TestContext;
  let day = 10;

  /** An accident rescue on its own day: leader, two members, three alternates drawn. */
  const rescue = async (id: string, overrides: Record<string, unknown> = {}) => {
    day += 1;
    const created = await postTaskOnDay(t, id, `2026-05-${String(day).padStart(2, '0')}`, {
      type: 'accident_rescue',
      alternates: 3,
      ...overrides,
    });
    return created.body as unknown as TaskView;
  };
  const reply = async (seat: Seat, json: unknown) =>
    (
      await call(t, 'POST', `/v1/invitations/${seat.invitationId}/reply`, {
        key: 'yn.dispatcher',
        json,
      })
    ).body as { state: string; changed: boolean; message: { zh: string; en: string } };
  const accept = (seat: Seat) => reply(seat, { answer: 'accept' });
  const invited = (panel: readonly Seat[]) => panel.filter((s) => s.state === 'invited');
  const byRole = (panel: readonly Seat[]) => {
    const leader = panel.find((s) => s.role === 'leader');
    const drawn = panel.filter((s) => s.role === 'member' && s.rank < 3);
    const extra = panel.filter((s) => s.role === 'member' && s.rank >= 3);
    if (leader === undefined || drawn.length !== 2 || extra.length !== 2) {
      throw new Error('unexpected panel shape');
    }
    return { leader, drawn: drawn as [Seat, Seat], extra: extra as [Seat, Seat] };
  };
  const noticesOf = (taskId: string) =>
    t.database.db.select().from(notices).where(eq(notices.taskId, taskId));

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 12);
  });
  afterAll(() => t.close());

  it('invites the first alternates at once for accident rescue (rule set default 2), booking them (第六条（四）)', async () => {
    const created = await rescue('t-oi-draw');
    const { extra } = byRole(created.panel);
    expect(invited(created.panel)).toHaveLength(5);
    expect(extra.map((s) => [s.state, s.notification?.state])).toEqual([
      ['invited', 'pending'],
      ['invited', 'pending'],
    ]);
    expect(created.panel.filter((s) => s.role === 'alternate').map((s) => s.state)).toEqual([
      'reserve',
    ]);
    const [draw] = await t.database.db
      .select({ policy: draws.policy })
      .from(draws)
      .where(eq(draws.taskId, 't-oi-draw'));
    expect(draw?.policy).toMatchObject({ overInvite: 2 });
    // The over-invited are booked: another task in the same window cannot have them.
    const other = await postTask(
      t,
      {
        type: 'enforcement_inspection',
        industries: ['metallurgy'],
        enterprise: { id: 'org-steel', name: '昆明钢铁有限公司', region: '530111' },
        window: created.task.window,
        panelSize: 3,
        alternates: 4,
      },
      'key-t-oi-draw-other',
    );
    expect(other.status).toBe(201);
    const taken = new Set(invited(created.panel).map((s) => s.expertId));
    const otherPanel = other.body.panel as unknown as Seat[];
    expect(otherPanel.filter((s) => taken.has(s.expertId))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['over-invitation on routine work', { type: 'enforcement_inspection', overInvite: 1 }],
    ['more over-invitations than alternates', { alternates: 1, overInvite: 2 }],
  ])('refuses %s at the field overInvite', async (_name, overrides) => {
    const response = await postTask(
      t,
      {
        type: 'accident_rescue',
        industries: ['metallurgy'],
        enterprise: { id: 'org-steel', name: '昆明钢铁有限公司', region: '530111' },
        window: { from: '2026-05-01T08:30:00+08:00', to: '2026-05-01T18:00:00+08:00' },
        panelSize: 3,
        alternates: 3,
        ...overrides,
      },
      `key-oi-refused-${String(overrides.alternates ?? overrides.type)}`,
    );
    expect(response.status).toBe(422);
    expect(response.body.errors?.map((e) => e.path)).toContain('overInvite');
  });

  it('draws no extra invitation when the request asks for none', async () => {
    const created = await rescue('t-oi-none', { overInvite: 0 });
    expect(invited(created.panel)).toHaveLength(3);
  });

  it('fills the panel first come, first served, closes the open invitations and tells the experts they reached', async () => {
    const created = await rescue('t-oi-fill');
    const { leader, drawn, extra } = byRole(created.panel);
    // The first drawn member's invitation went out; the second's is still waiting to be sent.
    const [reached, unsent] = drawn as [Seat, Seat];
    await t.database.db
      .update(deliveries)
      .set({ state: 'sent', sentAt: t.clock.now() })
      .where(eq(deliveries.seatId, Number(reached.invitationId)));
    expect((await accept(extra[1])).state).toBe('accepted');
    expect((await accept(leader)).state).toBe('accepted');
    expect((await accept(extra[0])).state).toBe('accepted');
    const after = await viewTask(t, 't-oi-fill');
    expect(after.status).toBe('confirmed');
    expect(
      after.panel
        .filter((s) => s.state === 'accepted')
        .map((s) => s.expertId)
        .sort(),
    ).toEqual([leader, ...extra].map((s) => s.expertId).sort());
    expect(
      after.panel.filter((s) => drawn.some((d) => d.invitationId === s.invitationId)),
    ).toMatchObject([{ state: 'released' }, { state: 'released' }]);
    const sent = await noticesOf('t-oi-fill');
    expect(sent.map((n) => [n.kind, n.expertId, n.state])).toEqual([
      ['invitation_closed', reached.expertId, 'pending'],
    ]);
    const [neverSent] = await t.database.db
      .select({ state: deliveries.state })
      .from(deliveries)
      .where(eq(deliveries.seatId, Number(unsent.invitationId)));
    expect(neverSent?.state).toBe('cancelled');
    expect(sent.every((n) => n.body.includes('专家组已满员') && !n.body.includes('昆明钢铁'))).toBe(
      true,
    );
    const queued = await t.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.kind, 'deliver_notice'));
    for (const notice of sent) {
      expect(queued.filter((row) => row.payload.noticeId === notice.id)).toHaveLength(1);
    }
    expect(await auditActionsOf(t, 't-oi-fill')).toEqual(
      expect.arrayContaining(['panel.closed', 'task.confirmed']),
    );
  });

  it('puts an acceptance after the panel is full on the waiting list, thanks it, and does not book the expert', async () => {
    const created = await rescue('t-oi-late');
    const { leader, drawn, extra } = byRole(created.panel);
    for (const seat of [leader, ...drawn]) await accept(seat);
    const late = await accept(extra[0]);
    expect(late).toMatchObject({ state: 'waitlisted', changed: true });
    expect(late.message.zh).toContain('已列入候补名单');
    expect(late.message.en).toContain('waiting list');
    expect(await accept(extra[0])).toMatchObject({ state: 'waitlisted', changed: false });
    // The reply link shows it too.
    const link = `/r/${signReplyToken(
      t.services.env.REPLY_LINK_SECRET,
      Number(extra[1].invitationId),
      new Date(extra[1].replyDeadline ?? 0),
    )}`;
    const page = await call(t, 'POST', link, {
      body: 'answer=accept',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(page.text).toContain('已列入候补名单');
    const sent = await noticesOf('t-oi-late');
    expect(
      sent
        .filter((n) => n.kind === 'waitlist_thanks')
        .map((n) => n.expertId)
        .sort(),
    ).toEqual(extra.map((s) => s.expertId).sort());
    expect((await viewTask(t, 't-oi-late')).status).toBe('confirmed');
    // Waitlisted experts stay free: a task in the same window may draw them.
    const other = await postTask(
      t,
      {
        type: 'enforcement_inspection',
        industries: ['metallurgy'],
        enterprise: { id: 'org-steel', name: '昆明钢铁有限公司', region: '530111' },
        window: created.task.window,
        panelSize: 3,
        alternates: 6,
      },
      'key-t-oi-late-other',
    );
    const otherExperts = (other.body.panel as unknown as Seat[]).map((s) => s.expertId);
    expect(otherExperts).toEqual(expect.arrayContaining(extra.map((s) => s.expertId)));
  });

  it('keeps the leader’s place: a member with no other place left is waitlisted until the leader answers', async () => {
    const created = await rescue('t-oi-leader-place');
    const { leader, drawn, extra } = byRole(created.panel);
    for (const seat of drawn) await accept(seat);
    expect((await accept(extra[0])).state).toBe('waitlisted');
    expect((await viewTask(t, 't-oi-leader-place')).status).toBe('inviting');
    expect((await accept(leader)).state).toBe('accepted');
    const after = await viewTask(t, 't-oi-leader-place');
    expect(after.status).toBe('confirmed');
    expect(after.panel.find((s) => s.invitationId === extra[1].invitationId)?.state).toBe(
      'released',
    );
  });

  it('absorbs a decline with the spare invitations: no reserve invited, no new draw', async () => {
    const created = await rescue('t-oi-absorb');
    const { drawn } = byRole(created.panel);
    await reply(drawn[0], { answer: 'decline', reason: 'illness' });
    const after = (await call(t, 'GET', '/v1/tasks/t-oi-absorb', { key: 'yn.dispatcher' }))
      .body as unknown as TaskView & { draw: { sequence: number } };
    expect(after.draw.sequence).toBe(1);
    expect(invited(after.panel)).toHaveLength(4);
    expect(after.panel.find((s) => s.role === 'alternate')?.state).toBe('reserve');
    expect(await auditActionsOf(t, 't-oi-absorb')).not.toContain('invitation.backfilled');
  });

  it('lets a leader-titled invitee lead when the leader declines (第五条)', async () => {
    const created = await rescue('t-oi-succession');
    const { leader, drawn } = byRole(created.panel);
    await accept(drawn[1]);
    await reply(leader, { answer: 'decline', reason: 'schedule_conflict' });
    const after = await viewTask(t, 't-oi-succession');
    const newLeader = after.panel.find((s) => s.role === 'leader' && s.state !== 'declined');
    // Those who accepted come first.
    expect(newLeader?.invitationId).toBe(drawn[1].invitationId);
    expect(await auditActionsOf(t, 't-oi-succession')).toContain('panel.leader_succeeded');
    for (const seat of invited(after.panel)) await accept(seat);
    const done = await viewTask(t, 't-oi-succession');
    expect(done.status).toBe('confirmed');
    expect(done.panel.filter((s) => s.state === 'accepted')).toHaveLength(3);
  });

  it('invites a reserve once the open invitations can no longer fill the panel', async () => {
    const created = await rescue('t-oi-reserve');
    const { drawn, extra } = byRole(created.panel);
    for (const seat of [drawn[0], extra[0]]) {
      await reply(seat, { answer: 'decline', reason: 'illness' });
    }
    expect(await auditActionsOf(t, 't-oi-reserve')).not.toContain('invitation.backfilled');
    const late = new Date(new Date(extra[1].replyDeadline ?? 0).getTime() + 1000);
    expect(await timeOutInvitation(t.database.db, Number(extra[1].invitationId), late)).toBe(true);
    const after = await viewTask(t, 't-oi-reserve');
    expect(invited(after.panel)).toHaveLength(3);
    expect(await auditActionsOf(t, 't-oi-reserve')).toContain('invitation.backfilled');
    const reserve = created.panel.find((s) => s.role === 'alternate');
    expect(after.panel.find((s) => s.expertId === reserve?.expertId)?.state).toBe('invited');
  });

  it('gives the last place to exactly one of two experts accepting at once; the other is waitlisted', async () => {
    const created = await rescue('t-oi-race');
    const { leader, drawn, extra } = byRole(created.panel);
    await accept(leader);
    await accept(drawn[0]);
    const answers = await Promise.all([accept(drawn[1]), accept(extra[0])]);
    expect(answers.map((a) => a.state).sort()).toEqual(['accepted', 'waitlisted']);
    const after = await viewTask(t, 't-oi-race');
    expect(after.status).toBe('confirmed');
    expect(after.panel.filter((s) => s.state === 'accepted')).toHaveLength(3);
    expect(after.panel.find((s) => s.invitationId === extra[1].invitationId)?.state).toBe(
      'released',
    );
    const experts = after.panel.map((s) => s.expertId);
    expect(new Set(experts).size).toBe(experts.length);
  });

  it('ends accept, decline and time-out racing on one invitation in exactly one state', async () => {
    const created = await rescue('t-oi-one-state');
    const { extra } = byRole(created.panel);
    const late = new Date(new Date(extra[0].replyDeadline ?? 0).getTime() + 1000);
    await Promise.all([
      accept(extra[0]),
      reply(extra[0], { answer: 'decline', reason: 'illness' }),
      timeOutInvitation(t.database.db, Number(extra[0].invitationId), late),
    ]);
    const entries = await t.database.db
      .select({ action: auditLog.action, after: auditLog.after })
      .from(auditLog)
      .where(eq(auditLog.entityId, 't-oi-one-state'));
    const settled = entries.filter(
      (e) =>
        e.action.startsWith('invitation.') &&
        (e.after as { seatId?: number }).seatId === Number(extra[0].invitationId),
    );
    expect(settled).toHaveLength(1);
    const state = (await viewTask(t, 't-oi-one-state')).panel.find(
      (s) => s.invitationId === extra[0].invitationId,
    )?.state;
    expect(state).toBe((settled[0]?.after as { state?: string } | undefined)?.state);
  });
});
