import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns } from '../db/schema.js';
import { auditActionsOf, viewTask } from '../dispatch/dispatch.test-helpers.js';
import {
  addActiveExperts,
  makeTaskRequest,
  seedPanelPool,
} from '../tasks/task-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

interface CampaignBody {
  id: string;
  seed: string;
  tasks: { taskId: string; drawId: string; members: { expertId: string; role: string }[] }[];
  load: Record<string, number>;
  totals: { seats: number; filled: number; maxLoad: number };
}

interface Figures {
  seats: number;
  filled: number;
  maxLoad: number;
  gini: number | null;
  load: Record<string, number>;
  unstaffed: string[];
  specialtiesNamed: number;
}

/** The n-th weekday from Monday 2026-03-09, as a one-day window (Asia/Shanghai). */
function weekday(n: number) {
  const day = new Date(Date.UTC(2026, 2, 9 + Math.floor(n / 5) * 7 + (n % 5)));
  const date = day.toISOString().slice(0, 10);
  return { from: `${date}T08:30:00+08:00`, to: `${date}T18:00:00+08:00` };
}

/** A campaign task: the task request without how to draw. */
function campaignTask(overrides: Record<string, unknown>) {
  const { policy: _policy, ...task } = makeTaskRequest(overrides);
  return task;
}

describe.each(backends)('campaigns through HTTP on %s', (kind) => {
  let t: TestContext;
  const post = (key: string, json: unknown) =>
    call(t, 'POST', '/v1/campaigns', {
      key: 'yn.dispatcher',
      json,
      headers: { 'idempotency-key': key },
    });
  const reply = (invitationId: string, json: unknown) =>
    call(t, 'POST', `/v1/invitations/${invitationId}/reply`, { key: 'yn.dispatcher', json });
  const view = async (id: string) =>
    (await call(t, 'GET', `/v1/campaigns/${id}`, { key: 'yn.dispatcher' })).body as unknown as {
      tasks: { taskId: string; status: string; accepted: number; invited: number }[];
      plan: Figures;
      current: { holding: number; maxLoad: number; load: Record<string, number> };
      oneByOne: Figures;
    };
  const declineOne = async (taskId: string, role: 'leader' | 'member' = 'member') => {
    const task = await viewTask(t, taskId);
    const seat = task.panel.find((s) => s.role === role && s.state === 'invited');
    if (seat === undefined) throw new Error(`no invited ${role} on ${taskId}`);
    const answered = await reply(seat.invitationId, { answer: 'decline', reason: 'illness' });
    expect(answered.status, answered.text).toBe(200);
    return seat.expertId;
  };
  // Five tobacco experts, each with a leader's title: a small pool where the cap bites.
  const tobacco = ['tb-1', 'tb-2', 'tb-3', 'tb-4', 'tb-5'] as const;
  const tobaccoTask = (id: string, n: number) =>
    campaignTask({
      id,
      industries: ['tobacco'],
      specialties: [],
      enterprise: { id: `org-${id}`, name: `卷烟厂${id}`, region: '530111' },
      window: weekday(n),
      panelSize: 2,
      alternates: 2,
    });

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 60, 'e-c');
    await addActiveExperts(
      t,
      tobacco.map((id) => [id, { industries: ['tobacco'], specialties: [], title: 'senior_full' }]),
    );
  }, 240_000);
  afterAll(() => t.close());

  it('plans 40 enterprises jointly within the load cap; every task is drawn, invited and verifies, and so does the plan', async () => {
    const tasks = Array.from({ length: 40 }, (_, i) =>
      campaignTask({
        id: `t-ent-${String(i).padStart(2, '0')}`,
        enterprise: { id: `org-ent-${i}`, name: `冶金企业${i}`, region: '530111' },
        specialties: i % 2 === 0 ? ['molten_metal'] : ['gas'],
        window: weekday(Math.floor(i / 2)),
      }),
    );
    const request = {
      name: '2026年冶金行业专项执法检查',
      tasks,
      loadCap: 3,
      policy: 'optimal',
      seed: 'campaign-seed-0001',
    };
    const created = await post('campaign-40', request);
    expect(created.status, created.text).toBe(201);
    const body = created.body as unknown as CampaignBody;
    expect(body.tasks).toHaveLength(40);
    expect(body.totals).toMatchObject({ seats: 120, filled: 120 });
    expect(Math.max(...Object.values(body.load))).toBeLessThanOrEqual(3);
    for (const task of body.tasks) {
      expect(task.members).toHaveLength(3);
      expect(task.members[0]?.role).toBe('leader');
      const stored = await viewTask(t, task.taskId);
      const invited = stored.panel
        .filter((s) => s.state === 'invited' && s.role !== 'alternate')
        .map((s) => s.expertId)
        .sort();
      expect(invited).toEqual(task.members.map((m) => m.expertId).sort());
      // Invited through the same outbox as any draw.
      for (const seat of stored.panel.filter((s) => s.state === 'invited')) {
        expect(seat.notification?.state).toBe('pending');
      }
      // The planned leader leads the drawn panel (第五条).
      expect(stored.panel.find((s) => s.role === 'leader')?.expertId).toBe(
        task.members[0]?.expertId,
      );
      const verified = await call(t, 'GET', `/v1/draws/${task.drawId}/verify`, {
        key: 'yn.auditor',
      });
      expect(verified.body, verified.text).toMatchObject({ ok: true, resultMatches: true });
    }
    const replayed = await call(t, 'GET', `/v1/campaigns/${body.id}/verify`, {
      key: 'yn.auditor',
    });
    expect(replayed.body).toMatchObject({
      ok: true,
      inputDigestMatches: true,
      oneByOneMatches: true,
    });
    // The same key and body answer the same; nothing is planned twice.
    const again = await post('campaign-40', request);
    expect(again.status).toBe(201);
    expect((again.body as unknown as CampaignBody).id).toBe(body.id);

    // Audited: the campaign, each task and each draw.
    expect(await auditActionsOf(t, body.id)).toEqual(['campaign.created']);
    expect(await auditActionsOf(t, 't-ent-00')).toEqual(['task.created']);
    const figures = await view(body.id);
    expect(figures.plan).toMatchObject({ seats: 120, filled: 120, unstaffed: [] });
    expect(figures.oneByOne.seats).toBe(120);
    const sum = (load: Record<string, number>) => Object.values(load).reduce((a, b) => a + b, 0);
    expect(sum(figures.plan.load)).toBe(120);
    // One by one, every seat of a drawn panel counts once in the load, and an undrawn task none.
    expect(sum(figures.oneByOne.load)).toBe(figures.oneByOne.filled);
    expect(figures.oneByOne.filled).toBe(120 - 3 * figures.oneByOne.unstaffed.length);
    expect(figures.plan.gini).not.toBeNull();
    expect(figures.oneByOne.specialtiesNamed).toBe(figures.plan.specialtiesNamed);
    expect(figures.plan.maxLoad).toBeLessThanOrEqual(3);
    expect(figures.current.holding).toBe(120);

    // Declines in ten tasks are backfilled (alternates first), the cap still holding.
    for (const task of body.tasks.slice(0, 10)) {
      const declined = await declineOne(task.taskId);
      const after = await viewTask(t, task.taskId);
      expect(after.status).toBe('inviting');
      const holding = after.panel.filter(
        (s) => (s.role === 'member' || s.role === 'leader') && s.state === 'invited',
      );
      expect(holding).toHaveLength(3);
      expect(holding.map((s) => s.expertId)).not.toContain(declined);
    }
    const later = await view(body.id);
    expect(later.current.holding).toBe(120);
    expect(later.current.maxLoad).toBeLessThanOrEqual(3);
  }, 240_000);

  it('backfills a decline within the campaign’s load cap: an expert at the cap is passed over, and the task goes understaffed rather than past it', async () => {
    const created = await post('campaign-tobacco', {
      name: '卷烟企业专项检查',
      tasks: [tobaccoTask('t-tb-1', 30), tobaccoTask('t-tb-2', 31)],
      loadCap: 1,
      policy: 'optimal',
      seed: 'campaign-seed-0002',
    });
    expect(created.status, created.text).toBe(201);
    const body = created.body as unknown as CampaignBody;
    const seated = body.tasks.flatMap((task) => task.members.map((m) => m.expertId));
    expect(new Set(seated).size).toBe(4);
    const spare = tobacco.find((id) => !seated.includes(id)) as string;
    // The spare expert takes the first freed seat…
    await declineOne('t-tb-1');
    const first = await viewTask(t, 't-tb-1');
    expect(first.panel.find((s) => s.expertId === spare)?.state).toBe('invited');
    const firstDecliner = (await call(t, 'GET', '/v1/tasks/t-tb-1', { key: 'yn.dispatcher' }))
      .body as unknown as { panel: { expertId: string; state: string }[] };
    const freedByFirst = firstDecliner.panel.find((s) => s.state === 'declined')?.expertId;
    // …and is then at the cap: the second task's freed seat passes them over (they were its
    // alternate) and goes to the one the first task freed, whose load is back to 0.
    await declineOne('t-tb-2');
    const second = await viewTask(t, 't-tb-2');
    const invitedOn = (task: typeof second) =>
      task.panel
        .filter((s) => s.state === 'invited' && s.role !== 'alternate')
        .map((s) => s.expertId);
    expect(invitedOn(second)).not.toContain(spare);
    expect(invitedOn(second)).toContain(freedByFirst);
    // A further decline finds only experts at the cap or who declined: understaffed, not past it.
    const newcomer = second.panel.find((s) => s.expertId === freedByFirst && s.state === 'invited');
    expect(
      (await reply(newcomer?.invitationId ?? '', { answer: 'decline', reason: 'illness' })).status,
    ).toBe(200);
    const third = await viewTask(t, 't-tb-2');
    expect(third.status).toBe('understaffed');
    expect(invitedOn(third)).toHaveLength(1);
    // The replacement draw is recorded and replays like any other.
    expect(second.draw?.id).not.toBe(body.tasks[1]?.drawId);
    const replacement = await call(t, 'GET', `/v1/draws/${second.draw?.id}/verify`, {
      key: 'yn.auditor',
    });
    expect(replacement.body, replacement.text).toMatchObject({ ok: true });
    const figures = await view(body.id);
    expect(figures.current.maxLoad).toBe(1);
  }, 120_000);

  it('refuses a campaign no plan can staff with 422 and the unmet tasks as data, storing nothing', async () => {
    const tasks = [
      tobaccoTask('t-tb-x1', 35),
      tobaccoTask('t-tb-x2', 36),
      tobaccoTask('t-tb-x3', 37),
    ];
    const refused = await post('campaign-infeasible', {
      name: '超出承载的专项',
      tasks,
      loadCap: 1,
      policy: 'optimal',
    });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.code).toBe('panel_infeasible');
    const unmet = refused.body.unmet as { taskId: string; reasons: { constraint: string }[] }[];
    expect(unmet.length).toBeGreaterThan(0);
    expect(unmet.every((u) => u.taskId.startsWith('t-tb-x') && u.reasons.length > 0)).toBe(true);
    for (const task of tasks) {
      const missing = await call(t, 'GET', `/v1/tasks/${task.id}`, { key: 'yn.dispatcher' });
      expect(missing.status).toBe(404);
    }
    // The same request gets the same answer.
    const again = await post('campaign-infeasible', {
      name: '超出承载的专项',
      tasks,
      loadCap: 1,
      policy: 'optimal',
    });
    expect(again.status).toBe(422);
  }, 60_000);

  it('refuses repeated and taken task ids before planning, storing nothing, and hides a campaign from other authorities', async () => {
    const repeated = await post('campaign-repeated', {
      name: '重复编号',
      tasks: [tobaccoTask('t-tb-r', 40), tobaccoTask('t-tb-r', 41)],
      loadCap: 1,
      policy: 'optimal',
    });
    expect(repeated.status, repeated.text).toBe(422);
    expect(repeated.body.errors).toEqual([
      { path: 'tasks.1.id', message: 'task id t-tb-r is given twice' },
    ]);
    const taken = await post('campaign-taken', {
      name: '编号已用',
      tasks: [tobaccoTask('t-tb-fresh', 42), tobaccoTask('t-tb-1', 43)],
      loadCap: 1,
      policy: 'optimal',
    });
    expect(taken.status, taken.text).toBe(409);
    expect(taken.body.code).toBe('already_exists');
    const fresh = await call(t, 'GET', '/v1/tasks/t-tb-fresh', { key: 'yn.dispatcher' });
    expect(fresh.status).toBe(404);
    const created = await post('campaign-hidden', {
      name: '他人不可见',
      tasks: [tobaccoTask('t-tb-h', 44)],
      loadCap: 1,
      policy: 'randomized',
      probabilityCap: 0.5,
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.body as unknown as CampaignBody).id;
    const elsewhere = await call(t, 'GET', `/v1/campaigns/${id}`, { key: 'km.dispatcher' });
    expect(elsewhere.status).toBe(404);
    const verified = await call(t, 'GET', `/v1/campaigns/${id}/verify`, { key: 'yn.auditor' });
    expect(verified.body).toMatchObject({ ok: true, oneByOneMatches: true });
    const unknown = await call(t, 'GET', '/v1/campaigns/c_missing', { key: 'yn.dispatcher' });
    expect(unknown.status).toBe(404);
  }, 60_000);
  it('serves the one-by-one comparison stored at creation, and its replay tells a stored comparison that differs', async () => {
    const created = await post('campaign-stored-comparison', {
      name: '对照只算一次',
      tasks: [tobaccoTask('t-tb-s1', 46), tobaccoTask('t-tb-s2', 47)],
      loadCap: 1,
      policy: 'optimal',
      seed: 'campaign-seed-0003',
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.body as unknown as CampaignBody).id;
    const [row] = await t.database.db.select().from(campaigns).where(eq(campaigns.id, id));
    if (row === undefined) throw new Error(`campaign ${id} not stored`);
    const stored = (row.result as { oneByOne: Figures }).oneByOne;
    expect((await view(id)).oneByOne).toEqual(stored);
    // What GET shows is the stored comparison, not one drawn again on each read…
    const altered = { ...stored, filled: stored.filled + 1 };
    await t.database.db
      .update(campaigns)
      .set({ result: { ...(row.result as object), oneByOne: altered } })
      .where(eq(campaigns.id, id));
    expect((await view(id)).oneByOne.filled).toBe(stored.filled + 1);
    // …and the replay from the stored input and seed says it is not what the campaign gives.
    const verified = await call(t, 'GET', `/v1/campaigns/${id}/verify`, { key: 'yn.auditor' });
    expect(verified.body).toMatchObject({ ok: false, oneByOneMatches: false });
  }, 60_000);
});
