import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import {
  attendanceOf,
  lastAuditEntries,
  panelMembers,
  type Seat,
  serveTask,
} from './served-task.test-helpers.js';
import type { ServiceRecord } from './service-record.js';
import { postTaskOnDay, seedPanelPool } from './task-fixtures.test-helpers.js';
import type { TaskView } from './task-view.js';

const backends = await availableBackends();

describe.each(backends)('task completion and attendance on %s', (kind) => {
  let t: TestContext;
  let day = 9;
  const nextDate = () => `2026-03-${String(++day).padStart(2, '0')}`;

  const complete = (
    id: string,
    json: unknown,
    key: 'yn.dispatcher' | 'km.dispatcher' | 'yn.viewer' = 'yn.dispatcher',
  ) => call(t, 'POST', `/v1/tasks/${id}/complete`, { key, json });
  const correct = (id: string, json: unknown) =>
    call(t, 'PUT', `/v1/tasks/${id}/attendance`, { key: 'yn.dispatcher', json });
  const taskView = async (id: string) =>
    (await call(t, 'GET', `/v1/tasks/${id}`, { key: 'yn.dispatcher' })).body as unknown as TaskView;

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 12);
  });
  afterAll(() => t.close());

  it('records the work as done with each member’s attendance, releases what is still open and audits it (第十五条)', async () => {
    const panel = await serveTask(
      t,
      't-c-done',
      nextDate(),
      { shadows: 1 },
      { acceptShadows: false },
    );
    expect((await taskView('t-c-done')).status).toBe('confirmed');
    const members = panelMembers(panel);
    const noShow = members[1]?.expertId ?? '';
    const audit = await countAuditEntries(t);
    const done = await complete('t-c-done', {
      attendance: attendanceOf(members, [noShow]),
      note: '现场核查已完成',
    });
    expect(done.status).toBe(200);
    const record = done.body as unknown as ServiceRecord;
    expect(record).toMatchObject({
      taskId: 't-c-done',
      status: 'completed',
      completedAt: t.clock.now().toISOString(),
      ratingRequest: null,
    });
    expect(record.panel.map((p) => [p.expertId, p.attendance])).toEqual(
      members.map((m) => [m.expertId, m.expertId === noShow ? 'no_show' : 'attended']),
    );
    const view = await taskView('t-c-done');
    expect(view.status).toBe('completed');
    // The shadow never answered and the alternates were not needed: all released.
    const released = view.panel.filter((s) => s.role === 'alternate' || s.role === 'shadow');
    expect(released.length).toBe(3);
    expect(released.every((s) => s.state === 'released')).toBe(true);
    expect(await countAuditEntries(t)).toBe(audit + 1);
    const [entry] = await lastAuditEntries(t, 1);
    expect(entry).toMatchObject({
      action: 'task.completed',
      entityId: 't-c-done',
      reason: '现场核查已完成',
      before: { status: 'confirmed' },
      after: { status: 'completed' },
    });
    const read = await call(t, 'GET', '/v1/tasks/t-c-done/service-record', { key: 'yn.viewer' });
    expect(read.body).toEqual(record);
  });

  it('refuses to complete a task whose panel is still being invited, whose window has not started, or that is already completed (409)', async () => {
    const inviting = await postTaskOnDay(t, 't-c-inviting', nextDate());
    const invitingMembers = panelMembers((inviting.body as unknown as TaskView).panel);
    const early = await serveTask(t, 't-c-early', nextDate());
    const earlyDate = day;
    t.clock.set(`2026-03-${String(earlyDate).padStart(2, '0')}T08:00:00+08:00`);
    const cases: [string, string, Seat[]][] = [
      ['inviting', 't-c-inviting', invitingMembers],
      ['before the window', 't-c-early', panelMembers(early)],
    ];
    for (const [why, id, members] of cases) {
      const audit = await countAuditEntries(t);
      const refused = await complete(id, { attendance: attendanceOf(members) });
      expect(refused.status, why).toBe(409);
      expect(refused.body.code, why).toBe('illegal_transition');
      expect(await countAuditEntries(t)).toBe(audit);
      expect((await taskView(id)).status, why).not.toBe('completed');
    }
    t.clock.set(`2026-03-${String(earlyDate).padStart(2, '0')}T10:00:00+08:00`);
    expect(
      (await complete('t-c-early', { attendance: attendanceOf(panelMembers(early)) })).status,
    ).toBe(200);
    const twice = await complete('t-c-early', { attendance: attendanceOf(panelMembers(early)) });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'illegal_transition', from: 'completed' });
  });

  it('requires the leader and every member to be covered, once each, with field paths (422, 第十五条)', async () => {
    const panel = await serveTask(t, 't-c-fields', nextDate());
    const [leader, first, second] = panelMembers(panel);
    if (!leader || !first || !second) throw new Error('a panel of three');
    const outsider = panel.find((s) => s.role === 'alternate')?.expertId ?? 'e-none';
    const cases: [string, unknown, { path: string }[]][] = [
      [
        'a member left out',
        { attendance: attendanceOf([leader, first]) },
        [{ path: 'attendance' }],
      ],
      [
        'an expert who did not serve',
        {
          attendance: [
            ...attendanceOf([leader, first, second]),
            { expertId: outsider, attendance: 'attended' },
          ],
        },
        [{ path: 'attendance.3.expertId' }],
      ],
      [
        'a member listed twice',
        {
          attendance: [
            ...attendanceOf([leader, first, second]),
            { expertId: first.expertId, attendance: 'no_show' },
          ],
        },
        [{ path: 'attendance.3.expertId' }],
      ],
      [
        'an unknown attendance value',
        {
          attendance: [
            { expertId: leader.expertId, attendance: 'late' },
            ...attendanceOf([first, second]),
          ],
        },
        [{ path: 'attendance.0.attendance' }],
      ],
    ];
    const audit = await countAuditEntries(t);
    for (const [why, body, errors] of cases) {
      const refused = await complete('t-c-fields', body);
      expect(refused.status, why).toBe(422);
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body.errors, why).toEqual(errors.map((e) => expect.objectContaining(e)));
    }
    expect(await countAuditEntries(t)).toBe(audit);
    const record = await call(t, 'GET', '/v1/tasks/t-c-fields/service-record', {
      key: 'yn.dispatcher',
    });
    expect(
      (record.body as unknown as ServiceRecord).panel.every((p) => p.attendance === null),
    ).toBe(true);
    expect((record.body as unknown as ServiceRecord).status).toBe('confirmed');
  });

  it('hides another authority’s task (404) and lets only dispatchers complete (403)', async () => {
    const panel = await serveTask(t, 't-c-scope', nextDate());
    const body = { attendance: attendanceOf(panelMembers(panel)) };
    expect((await complete('t-c-scope', body, 'km.dispatcher')).status).toBe(404);
    expect((await complete('t-c-scope', body, 'yn.viewer')).status).toBe(403);
    expect(
      (await call(t, 'GET', '/v1/tasks/t-c-scope/service-record', { key: 'km.viewer' })).status,
    ).toBe(404);
    expect((await complete('t-c-missing', body)).status).toBe(404);
  });

  it('keeps a shadow’s attendance optional at completion, adds it later with a reason, and lists it in the shadowing record (第二十一条（三）)', async () => {
    const panel = await serveTask(t, 't-c-shadow', nextDate(), { shadows: 1 });
    const shadow = panel.find((s) => s.role === 'shadow');
    if (shadow === undefined) throw new Error('no shadow drawn');
    const done = await complete('t-c-shadow', { attendance: attendanceOf(panelMembers(panel)) });
    expect(done.status).toBe(200);
    const shadowRow = (done.body as unknown as ServiceRecord).panel.find(
      (p) => p.role === 'shadow',
    );
    expect(shadowRow).toMatchObject({ expertId: shadow.expertId, attendance: null });

    const audit = await countAuditEntries(t);
    const noReason = await correct('t-c-shadow', {
      attendance: [{ expertId: shadow.expertId, attendance: 'attended' }],
    });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    const corrected = await correct('t-c-shadow', {
      attendance: [{ expertId: shadow.expertId, attendance: 'attended' }],
      reason: '补录跟班学习专家出勤',
    });
    expect(corrected.status).toBe(200);
    expect(await countAuditEntries(t)).toBe(audit + 1);
    const [entry] = await lastAuditEntries(t, 1);
    expect(entry).toMatchObject({
      action: 'task.attendance_corrected',
      reason: '补录跟班学习专家出勤',
      before: [{ expertId: shadow.expertId, attendance: null }],
      after: [{ expertId: shadow.expertId, attendance: 'attended' }],
    });
    const unchanged = await correct('t-c-shadow', {
      attendance: [{ expertId: shadow.expertId, attendance: 'attended' }],
      reason: '重复提交',
    });
    expect(unchanged.status).toBe(200);
    expect(await countAuditEntries(t)).toBe(audit + 1);

    const record = await call(t, 'GET', `/v1/experts/${shadow.expertId}/shadowing`, {
      key: 'km.viewer',
    });
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({
      expertId: shadow.expertId,
      summary: { joined: 1, attended: 1, noShow: 0 },
      items: [
        {
          taskId: 't-c-shadow',
          authorityId: 'yn-yjt',
          type: 'enforcement_inspection',
          taskStatus: 'completed',
          attendance: 'attended',
        },
      ],
      nextCursor: null,
    });
    expect(JSON.stringify(record.body)).not.toContain('昆明钢铁');
  });

  it('refuses to correct the attendance of a task that is not completed (409)', async () => {
    const panel = await serveTask(t, 't-c-open', nextDate());
    const [leader] = panelMembers(panel);
    const refused = await correct('t-c-open', {
      attendance: [{ expertId: leader?.expertId, attendance: 'no_show' }],
      reason: '更正',
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'illegal_transition', from: 'confirmed' });
  });

  it('shows a local expert’s shadowing record only to the pool’s own authority (第二十六条)', async () => {
    const created = await call(t, 'POST', '/v1/experts', {
      key: 'km.admin',
      json: makeActiveExpert({
        id: 'e-km-shadow',
        tier: 'city',
        region: '530102',
        idNumber: undefined,
        employer: { id: 'org-km-1', name: '昆明某设计院', kind: 'design_institute' },
      }),
    });
    expect(created.status).toBe(201);
    expect(
      (await call(t, 'GET', '/v1/experts/e-km-shadow/shadowing', { key: 'yn.viewer' })).status,
    ).toBe(404);
    const own = await call(t, 'GET', '/v1/experts/e-km-shadow/shadowing', { key: 'km.viewer' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ summary: { joined: 0, attended: 0, noShow: 0 }, items: [] });
    expect(
      (await call(t, 'GET', '/v1/experts/e-km-shadow/shadowing?cursor=bogus', { key: 'km.viewer' }))
        .status,
    ).toBe(422);
  });
});
