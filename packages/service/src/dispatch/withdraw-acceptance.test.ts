import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, panelSeats, tasks } from '../db/schema.js';
import { loadHistory } from '../tasks/load-history.js';
import { postTaskOnDay, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type KeyName,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { auditActionsOf, postForm, viewTask } from './dispatch.test-helpers.js';
import { signReplyToken } from './reply-token.js';

const backends = await availableBackends();

type Seat = TaskView['panel'][number];

describe.each(backends)('an accepted expert who can no longer attend on %s', (kind) => {
  let t: TestContext;
  let day = 10;

  const reply = (seat: Seat, json: unknown) =>
    call(t, 'POST', `/v1/invitations/${seat.invitationId}/reply`, { key: 'yn.dispatcher', json });
  const withdraw = (seat: Seat, reason: unknown, key: KeyName = 'yn.dispatcher') =>
    call(t, 'POST', `/v1/invitations/${seat.invitationId}/withdrawal`, { key, json: { reason } });
  /** A routine inspection on its own day whose panel of three all accepted: confirmed. */
  const confirmed = async (id: string) => {
    day += 1;
    const created = await postTaskOnDay(t, id, `2026-06-${String(day).padStart(2, '0')}`);
    const panel = (created.body as unknown as TaskView).panel;
    const members = panel.filter((s) => s.state === 'invited');
    for (const seat of members) await reply(seat, { answer: 'accept' });
    expect((await viewTask(t, id)).status).toBe('confirmed');
    return { members, alternates: panel.filter((s) => s.role === 'alternate') };
  };
  const seatOf = async (taskId: string, invitationId: string) =>
    (await viewTask(t, taskId)).panel.find((s) => s.invitationId === invitationId);
  const linkOf = (seat: Seat) =>
    `/r/${signReplyToken(t.services.env.REPLY_LINK_SECRET, Number(seat.invitationId), new Date('2026-12-31T00:00:00Z'))}`;
  const atWindowStart = async <T>(taskId: string, run: () => Promise<T>): Promise<T> => {
    const saved = t.clock.now().toISOString();
    const [task] = await t.database.db.select().from(tasks).where(eq(tasks.id, taskId));
    t.clock.set(task?.windowFrom.toISOString() ?? '');
    try {
      return await run();
    } finally {
      t.clock.set(saved);
    }
  };

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 12);
  });
  afterAll(() => t.close());

  it('records the withdrawal with its claimed reason, audited, and invites the next alternate (第十五条)', async () => {
    const { members, alternates } = await confirmed('t-wd-api');
    const leaving = members.find((s) => s.role === 'member') as Seat;
    const response = await withdraw(leaving, 'illness');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      invitationId: leaving.invitationId,
      state: 'withdrawn',
      taskStatus: 'inviting',
      promotedExpertId: null,
      message: { zh: expect.stringContaining('不能参加') },
    });
    expect(await seatOf('t-wd-api', leaving.invitationId)).toMatchObject({
      state: 'withdrawn',
      declineReason: 'illness',
      replyChannel: 'phone',
      repliedBy: t.keyIds['yn.dispatcher'],
    });
    const after = await viewTask(t, 't-wd-api');
    expect(after.status).toBe('inviting');
    const replacement = after.panel.find((s) => s.expertId === alternates[0]?.expertId);
    expect(replacement).toMatchObject({ role: 'member', state: 'invited' });
    const [entry] = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'invitation.withdrawn'));
    expect(entry).toMatchObject({ entityId: 't-wd-api', actorAuthorityId: expect.any(String) });
    expect(entry?.reason).toContain('身体原因');
    expect(entry?.reason).toContain('via phone');
    expect(await auditActionsOf(t, 't-wd-api')).toEqual(
      expect.arrayContaining(['invitation.withdrawn', 'task.reopened', 'invitation.backfilled']),
    );
    // The replacement accepts: the panel is confirmed again.
    await reply(replacement as Seat, { answer: 'accept' });
    expect((await viewTask(t, 't-wd-api')).status).toBe('confirmed');
  });

  it('records a conflict of interest found after acceptance, justified, for the next draws (第八条（四）, 第二十三条（三）)', async () => {
    const { members } = await confirmed('t-wd-coi');
    const leaving = members[0] as Seat;
    expect((await withdraw(leaving, 'conflict_of_interest')).status).toBe(200);
    const conflicts = await call(t, 'GET', `/v1/experts/${leaving.expertId}/conflicts`, {
      key: 'yn.viewer',
    });
    expect(conflicts.body.items?.map((c) => c.organizationId)).toContain('org-steel');
    // The matcher reads it as a justified decline after acceptance, dated by the withdrawal.
    const history = await loadHistory(
      t.database.db,
      { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' },
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(
      history.invitations.filter((i) => i.expertId === leaving.expertId && i.taskId === 't-wd-coi'),
    ).toEqual([expect.objectContaining({ outcome: 'declined', reason: 'conflict_of_interest' })]);
  });

  it('refuses an invitation that is not accepted with 409, naming its state', async () => {
    day += 1;
    const created = await postTaskOnDay(t, 't-wd-open', `2026-06-${String(day).padStart(2, '0')}`);
    const open = (created.body as unknown as TaskView).panel.find((s) => s.state === 'invited');
    const refused = await withdraw(open as Seat, 'illness');
    expect(refused.status).toBe(409);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      code: 'illegal_transition',
      from: 'invited',
      to: 'withdrawn',
    });
    expect((await seatOf('t-wd-open', (open as Seat).invitationId))?.state).toBe('invited');
  });

  it('refuses once the task’s window has started, and for a cancelled task (第十五条)', async () => {
    const { members } = await confirmed('t-wd-late');
    const audit = await countAuditEntries(t);
    const late = await atWindowStart('t-wd-late', () => withdraw(members[0] as Seat, 'illness'));
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ reason: 'window_started', windowFrom: expect.any(String) });
    expect(await countAuditEntries(t)).toBe(audit);
    const cancelled = await confirmed('t-wd-cancelled');
    await call(t, 'POST', '/v1/tasks/t-wd-cancelled/cancel', {
      key: 'yn.dispatcher',
      json: { reason: '企业停产整顿' },
    });
    const refused = await withdraw(cancelled.members[0] as Seat, 'illness');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ reason: 'task_closed', from: 'cancelled' });
  });

  it('lets only the task’s own dispatcher record it, with a reason from the list', async () => {
    const { members } = await confirmed('t-wd-who');
    const seat = members[0] as Seat;
    expect((await withdraw(seat, 'illness', 'km.dispatcher')).status).toBe(404);
    expect((await withdraw(seat, 'illness', 'yn.viewer')).status).toBe(403);
    const bad = await withdraw(seat, 'bored');
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.map((e) => e.path)).toContain('reason');
    expect((await seatOf('t-wd-who', seat.invitationId))?.state).toBe('accepted');
  });

  it('offers "can no longer attend" on the link of an accepted invitation, changes nothing on GET, and records it on POST', async () => {
    const { members } = await confirmed('t-wd-link');
    const seat = members[0] as Seat;
    const audit = await countAuditEntries(t);
    const page = await call(t, 'GET', linkOf(seat));
    expect(page.text).toContain('data-state="accepted"');
    expect(page.text).toContain('无法参加');
    expect(await countAuditEntries(t)).toBe(audit);
    expect((await postForm(t, linkOf(seat), { answer: 'withdraw' })).status).toBe(422);
    const done = await postForm(t, linkOf(seat), {
      answer: 'withdraw',
      reason: 'schedule_conflict',
      note: '单位临时安排出差',
    });
    expect(done.status).toBe(200);
    expect(done.text).toContain('data-state="withdrawn"');
    expect(done.text).toContain('已登记您不能参加');
    const [row] = await t.database.db
      .select()
      .from(panelSeats)
      .where(eq(panelSeats.id, Number(seat.invitationId)));
    expect(row).toMatchObject({
      state: 'withdrawn',
      declineReason: 'schedule_conflict',
      declineNote: '单位临时安排出差',
      replyChannel: 'link',
      repliedBy: 'expert',
    });
    const again = await postForm(t, linkOf(seat), { answer: 'withdraw', reason: 'illness' });
    expect(again.status).toBe(409);
    expect(again.text).not.toContain('无法参加</button>');
  });

  it('shows no withdrawal on the link once the work has started, and refuses one posted anyway', async () => {
    const { members } = await confirmed('t-wd-link-late');
    const seat = members[0] as Seat;
    const [page, posted] = await atWindowStart('t-wd-link-late', async () => [
      await call(t, 'GET', linkOf(seat)),
      await postForm(t, linkOf(seat), { answer: 'withdraw', reason: 'illness' }),
    ]);
    expect(page?.text).not.toContain('无法参加</button>');
    expect(posted?.status).toBe(409);
    expect(posted?.text).toContain('任务工作时间已开始');
    expect((await seatOf('t-wd-link-late', seat.invitationId))?.state).toBe('accepted');
  });
});
