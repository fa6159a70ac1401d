import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignTasks, experts, panelSeats } from '../db/schema.js';
import { viewTask } from '../dispatch/dispatch.test-helpers.js';
import { timeOutInvitation } from '../dispatch/time-out-invitation.js';
import { addActiveExperts, makeTaskRequest } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

type Seat = TaskView['panel'][number];

/** A one-day window (08:30–18:00, Asia/Shanghai) in March 2026. */
function day(date: number) {
  const d = `2026-03-${String(date).padStart(2, '0')}`;
  return { from: `${d}T08:30:00+08:00`, to: `${d}T18:00:00+08:00` };
}

// Seven tobacco experts, each with a leader's title and an employer of their own. A campaign of
// three two-seat tasks with a load cap of one task each seats six of them: one is spare. Every
// path that puts a member on a campaign task's panel — a re-draw from the API or from the desk,
// a decline, a time-out, a withdrawal after acceptance — keeps the campaign's load cap, never
// books one person on two overlapping seats, and never seats two members of one employer.
const POOL = ['tc-1', 'tc-2', 'tc-3', 'tc-4', 'tc-5', 'tc-6', 'tc-7'] as const;
const TASKS: readonly string[] = ['t-cr-a', 't-cr-b', 't-cr-c'];

describe.each(backends)('every replacement on a campaign task keeps the campaign on %s', (kind) => {
  let t: TestContext;
  let campaignId = '';

  /** Leader and member seats holding (invited or accepted) on the campaign's tasks. */
  const holdingSeats = () =>
    t.database.db
      .select({
        taskId: panelSeats.taskId,
        expertId: panelSeats.expertId,
        personId: panelSeats.personId,
        employerId: experts.employerId,
        from: panelSeats.windowFrom,
        to: panelSeats.windowTo,
      })
      .from(panelSeats)
      .innerJoin(campaignTasks, eq(campaignTasks.taskId, panelSeats.taskId))
      .innerJoin(experts, eq(experts.id, panelSeats.expertId))
      .where(
        and(
          inArray(panelSeats.taskId, [...TASKS]),
          inArray(panelSeats.role, ['leader', 'member']),
          inArray(panelSeats.state, ['invited', 'accepted']),
        ),
      );

  /** The campaign's constraints over the seats held now; every task still holds its two. */
  const expectCampaignKept = async () => {
    const seats = await holdingSeats();
    const tasksOf = new Map<string, Set<string>>();
    for (const seat of seats) {
      const person = seat.personId ?? seat.expertId;
      tasksOf.set(person, (tasksOf.get(person) ?? new Set()).add(seat.taskId));
    }
    // The load cap: at most one task per person over the campaign.
    for (const [person, tasks] of tasksOf) expect([person, tasks.size]).toEqual([person, 1]);
    for (const taskId of TASKS) {
      const employers = seats.filter((s) => s.taskId === taskId).map((s) => s.employerId);
      expect(employers).toHaveLength(2);
      // One member per employer (local policy: maxMembersPerEmployer 1).
      expect(new Set(employers).size).toBe(2);
    }
    // No person on two overlapping seats (第十五条).
    for (const a of seats) {
      for (const b of seats) {
        if (a === b || a.personId !== b.personId) continue;
        expect(a.from < b.to && b.from < a.to).toBe(false);
      }
    }
    const view = await call(t, 'GET', `/v1/campaigns/${campaignId}`, { key: 'yn.dispatcher' });
    expect(view.status, view.text).toBe(200);
    expect((view.body.current as { holding: number; maxLoad: number }).maxLoad).toBe(1);
    return seats;
  };

  const holdersOf = (task: TaskView) =>
    task.panel
      .filter((s) => (s.role === 'leader' || s.role === 'member') && s.state !== 'reserve')
      .filter((s) => s.state === 'invited' || s.state === 'accepted')
      .map((s) => s.expertId)
      .sort();
  const heldElsewhere = async (taskId: string) =>
    (await holdingSeats()).filter((s) => s.taskId !== taskId).map((s) => s.expertId);
  const openSeatOf = (task: TaskView): Seat => {
    const seat = task.panel.find(
      (s) => (s.role === 'member' || s.role === 'leader') && s.state === 'invited',
    );
    if (seat === undefined) throw new Error(`no open seat on ${task.id}`);
    return seat;
  };
  /** The redraw's recorded exclusions are exactly the experts the campaign holds elsewhere. */
  const expectRecordedRedraw = async (task: TaskView, elsewhere: readonly string[]) => {
    expect(holdersOf(task).filter((id) => elsewhere.includes(id))).toEqual([]);
    const exported = await call(t, 'GET', `/v1/draws/${task.draw?.id}/export`, {
      key: 'yn.auditor',
    });
    expect(exported.status, exported.text).toBe(200);
    const input = exported.body.input as { exclude: string[] };
    expect([...input.exclude].sort()).toEqual([...elsewhere].sort());
    const verified = await call(t, 'GET', `/v1/draws/${task.draw?.id}/verify`, {
      key: 'yn.auditor',
    });
    expect(verified.body, verified.text).toMatchObject({ ok: true });
  };

  beforeAll(async () => {
    t = await createTestContext(kind);
    await addActiveExperts(
      t,
      POOL.map((id) => [id, { industries: ['tobacco'], specialties: [], title: 'senior_full' }]),
    );
    const { policy: _policy, ...base } = makeTaskRequest({
      industries: ['tobacco'],
      specialties: [],
      panelSize: 2,
      alternates: 2,
    });
    const created = await call(t, 'POST', '/v1/campaigns', {
      key: 'yn.dispatcher',
      headers: { 'idempotency-key': 'campaign-replacements' },
      json: {
        name: '卷烟企业专项检查',
        // a and b overlap (one day); c is the next day.
        tasks: TASKS.map((id, i) => ({
          ...base,
          id,
          enterprise: { id: `org-${id}`, name: `卷烟厂${id}`, region: '530111' },
          window: day(i === 2 ? 11 : 10),
        })),
        loadCap: 1,
        policy: 'optimal',
        seed: 'campaign-replacements-seed',
      },
    });
    expect(created.status, created.text).toBe(201);
    campaignId = String(created.body.id);
  }, 240_000);
  afterAll(() => t.close());

  it('plans six of the seven, one task each', async () => {
    expect(new Set((await expectCampaignKept()).map((s) => s.expertId)).size).toBe(6);
  });

  it('re-draws a campaign task from the API only among those the campaign does not hold at its cap, recording them as left out', async () => {
    // Three seeds: a re-draw that ignored the cap would take someone seated elsewhere.
    for (const seed of ['redraw-seed-0001', 'redraw-seed-0002', 'redraw-seed-0003']) {
      const elsewhere = await heldElsewhere('t-cr-a');
      const redrawn = await call(t, 'POST', '/v1/tasks/t-cr-a/redraw', {
        key: 'yn.dispatcher',
        json: { reason: '企业申请调整，重新抽取', policy: 'lottery', seed },
      });
      expect(redrawn.status, redrawn.text).toBe(200);
      await expectRecordedRedraw(redrawn.body as unknown as TaskView, elsewhere);
      await expectCampaignKept();
    }
  });

  it('re-draws a campaign task from the desk within the campaign too', async () => {
    const signed = await call(t, 'POST', '/desk/login', {
      body: new URLSearchParams({ key: t.keys['yn.dispatcher'], next: '/desk' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(signed.status, signed.text).toBe(303);
    const cookie = (signed.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await call(t, 'GET', '/desk/tasks/t-cr-b', { headers: { cookie } });
    expect(page.status, page.text).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const elsewhere = await heldElsewhere('t-cr-b');
    const before = (await viewTask(t, 't-cr-b')).draw?.id;
    const posted = await call(t, 'POST', '/desk/tasks/t-cr-b/redraw', {
      body: new URLSearchParams({
        _csrf: csrf,
        reason: '监督人要求重新抽取',
        drawnBy: '赵调度',
        supervisor: '钱监督',
      }).toString(),
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.status, posted.text).toBe(303);
    const task = await viewTask(t, 't-cr-b');
    expect(task.draw?.id).not.toBe(before);
    await expectRecordedRedraw(task, elsewhere);
    await expectCampaignKept();
  });

  it('backfills a decline, a time-out and a withdrawal after acceptance within the campaign (第十五条)', async () => {
    // A decline on b: the one person the campaign does not hold takes the seat.
    const b = await viewTask(t, 't-cr-b');
    const declined = await call(t, 'POST', `/v1/invitations/${openSeatOf(b).invitationId}/reply`, {
      key: 'yn.dispatcher',
      json: { answer: 'decline', reason: 'illness' },
    });
    expect(declined.status, declined.text).toBe(200);
    await expectCampaignKept();

    // A time-out on c: the decliner is free again (b's decline does not bar them from c).
    const c = await viewTask(t, 't-cr-c');
    const unanswered = openSeatOf(c);
    await t.database.db
      .update(panelSeats)
      .set({ deliveredAt: t.clock.now() })
      .where(eq(panelSeats.id, Number(unanswered.invitationId)));
    const late = new Date(new Date(unanswered.replyDeadline ?? 0).getTime() + 1000);
    expect(await timeOutInvitation(t.database.db, Number(unanswered.invitationId), late)).toBe(
      true,
    );
    const [timedOut] = await t.database.db
      .select({ state: panelSeats.state })
      .from(panelSeats)
      .where(eq(panelSeats.id, Number(unanswered.invitationId)));
    expect(timedOut?.state).toBe('timed_out');
    await expectCampaignKept();

    // A withdrawal after acceptance on a.
    const a = await viewTask(t, 't-cr-a');
    const accepting = openSeatOf(a);
    const accepted = await call(t, 'POST', `/v1/invitations/${accepting.invitationId}/reply`, {
      key: 'yn.dispatcher',
      json: { answer: 'accept' },
    });
    expect(accepted.status, accepted.text).toBe(200);
    const withdrawn = await call(
      t,
      'POST',
      `/v1/invitations/${accepting.invitationId}/withdrawal`,
      { key: 'yn.dispatcher', json: { reason: 'illness' } },
    );
    expect(withdrawn.status, withdrawn.text).toBe(200);
    const after = await viewTask(t, 't-cr-a');
    expect(holdersOf(after)).not.toContain(accepting.expertId);
    await expectCampaignKept();
  });
});
