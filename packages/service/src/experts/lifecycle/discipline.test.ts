import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postTask, postTaskOnDay, seedPanelPool } from '../../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../../tasks/task-view.js';
import { makeActiveExpert, makeExpert } from '../../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type TestBody,
  type TestContext,
} from '../../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

type Exclusion = { reasons: string[]; expertIds: string[] };
type Reasons = Record<string, { ruleId: string; article: string | null }>;

describe.each(backends)('discipline and who can be drawn on %s', (kind) => {
  let t: TestContext;
  const act = (id: string, action: string, json: unknown) =>
    call(t, 'POST', `/v1/experts/${id}/actions/${action}`, { key: 'yn.admin', json });
  const doc = (ref: string) => [{ kind: 'document', ref }];

  /** Draws a provincial task on `date` and returns the rules and articles that left `expertId` out. */
  async function exclusionOf(expertId: string, taskId: string, date: string) {
    const created = await postTaskOnDay(t, taskId, date, { panelSize: 2, alternates: 0 });
    const drawId = (created.body as unknown as TaskView).draw?.id;
    const draw = await call(t, 'GET', `/v1/draws/${drawId}`, { key: 'yn.auditor' });
    const result = draw.body.result as { excluded: Exclusion[]; exclusionReasons: Reasons };
    const group = result.excluded.find((g) => g.expertIds.includes(expertId));
    return (group?.reasons ?? []).map((key) => {
      const reason = result.exclusionReasons[key];
      return `${reason?.ruleId}@${reason?.article}`;
    });
  }

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 10, 'd-');
  });
  afterAll(() => t.close());

  // Each draw on a day of its own, so that no booking of an earlier draw gets in the way.
  it.each([
    ['suspend', '第十二条', 'd-001', ['good-standing@第十二条'], 10],
    ['dismiss', '第二十三条（四）', 'd-002', ['good-standing@第二十三条'], 11],
    ['withdraw', '第二十四条', 'd-003', ['good-standing@第二十四条'], 12],
    ['disqualify', '第十六条（三）', 'd-004', ['good-standing@第十六条（三）'], 13],
  ])(
    '%s (%s) leaves the expert out of the very next draw with that article',
    async (action, article, id, reasons, day) => {
      expect(await exclusionOf(id, `t-before-${action}`, `2026-03-${day}`)).toEqual([]);
      const done = await act(id, action, {
        reason: '经调查核实',
        article,
        evidence: doc(`${action}-2026-001`),
      });
      expect(done.status).toBe(200);
      expect(await exclusionOf(id, `t-after-${action}`, `2026-04-${day}`)).toEqual(reasons);
    },
  );

  it('keeps a warned or interviewed expert drawable, the warning on record (第二十三条)', async () => {
    for (const action of ['interview', 'warn']) {
      const done = await act('d-005', action, {
        reason: '服务不认真',
        article: '第二十三条（二）',
        evidence: doc(`${action}-2026-002`),
      });
      expect(done.status).toBe(200);
      expect(done.body.status).toBe('active');
    }
    expect((await call(t, 'GET', '/v1/experts/d-005', { key: 'yn.admin' })).body.warnings).toEqual([
      { on: '2026-03-02', article: '第二十三条（二）', reason: '服务不认真' },
    ]);
    expect(await exclusionOf('d-005', 't-warned', '2026-03-14')).toEqual([]);
  });

  it('records the reason, the article and the evidence with what it showed in the audit log', async () => {
    const task = await postTask(
      t,
      {
        type: 'enforcement_inspection',
        industries: ['metallurgy'],
        enterprise: { id: 'org-steel', name: '昆明钢铁有限公司', region: '530111' },
        window: { from: '2026-03-16T08:30:00+08:00', to: '2026-03-16T18:00:00+08:00' },
        panelSize: 2,
        alternates: 0,
        leaderId: 'd-006',
        id: 't-declined',
      },
      'key-t-declined',
    );
    const seat = (task.body as unknown as TaskView).panel.find((s) => s.expertId === 'd-006');
    const invitationId = seat?.invitationId ?? '';
    const declined = await call(t, 'POST', `/v1/invitations/${invitationId}/reply`, {
      key: 'yn.dispatcher',
      json: { answer: 'decline', reason: 'unjustified' },
    });
    expect(declined.status).toBe(200);
    const warned = await act('d-006', 'warn', {
      reason: '一年内两次无正当理由拒绝委派',
      article: '第二十三条（一）',
      evidence: [
        { kind: 'invitation', ref: invitationId, note: '无正当理由拒绝' },
        { kind: 'task', ref: 't-declined' },
        { kind: 'document', ref: '约谈记录〔2026〕7号' },
      ],
    });
    expect(warned.status).toBe(200);
    const audit = await call(t, 'GET', '/v1/audit?entityType=expert&entityId=d-006', {
      key: 'yn.auditor',
    });
    const entry = audit.body.items?.at(-1) as TestBody;
    expect(entry).toMatchObject({
      action: 'expert.warn',
      reason: '一年内两次无正当理由拒绝委派',
      after: {
        lifecycleAction: {
          action: 'warn',
          article: '第二十三条（一）',
          on: '2026-03-02',
          evidence: [
            {
              kind: 'invitation',
              ref: invitationId,
              note: '无正当理由拒绝',
              facts: { taskId: 't-declined', state: 'declined', declineReason: 'unjustified' },
            },
            { kind: 'task', ref: 't-declined', facts: { state: 'declined' } },
            { kind: 'document', ref: '约谈记录〔2026〕7号' },
          ],
        },
      },
    });
  });

  it.each([
    ['warn', { reason: '无证据' }, 'evidence'],
    ['interview', { reason: '无证据', evidence: [] }, 'evidence'],
    ['suspend', { reason: '违规', article: '第二十三条（五）' }, 'evidence'],
    ['withdraw', { reason: '退出', article: '第二十三条', evidence: doc('x') }, 'article'],
    ['warn', { reason: 'x', evidence: [{ kind: 'invitation', ref: '999999' }] }, 'evidence.0.ref'],
    ['warn', { reason: 'x', evidence: [{ kind: 'task', ref: 'no-such-task' }] }, 'evidence.0.ref'],
    ['warn', { reason: 'x', evidence: [{ kind: 'photo', ref: 'a.jpg' }] }, 'evidence.0.kind'],
  ])('refuses %s with %j as a 422 on %s, changing nothing', async (action, json, path) => {
    const before = await countAuditEntries(t);
    const refused = await act('d-007', action, json);
    expect(refused.status).toBe(422);
    expect(refused.body.errors?.map((e) => e.path)).toContain(path);
    expect(await countAuditEntries(t)).toBe(before);
    expect((await call(t, 'GET', '/v1/experts/d-007', { key: 'yn.admin' })).body.status).toBe(
      'active',
    );
  });

  it('suspends for work needs under 第十二条 without evidence', async () => {
    expect((await act('d-008', 'suspend', { reason: '工作需要暂停' })).status).toBe(200);
    expect((await act('d-008', 'reinstate', { reason: '恢复' })).status).toBe(200);
  });
});

describe.each(backends)('re-application after disqualification on %s', (kind) => {
  let t: TestContext;
  const act = (id: string, action: string, json: unknown = { reason: '按程序办理' }) =>
    call(t, 'POST', `/v1/experts/${id}/actions/${action}`, { key: 'yn.admin', json });
  const person = { name: '李建国', birthDate: '1970-05-20', idNumber: '530102197005201234' };

  beforeAll(async () => {
    t = await createTestContext(kind);
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({ id: 'r-old', ...person }),
    });
    const disqualified = await act('r-old', 'disqualify', {
      reason: '借用省级专家名义谋取不正当利益',
      on: '2021-03-02',
      evidence: [{ kind: 'document', ref: '核查通报〔2021〕5号' }],
    });
    expect(disqualified.status).toBe(200);
  });
  afterAll(() => t.close());

  it('refuses the recommendation of a new application the day before the 5-year bar ends (第十六条（三）)', async () => {
    t.clock.set('2026-03-01T18:00:00+08:00');
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeExpert({ id: 'r-new', ...person }),
    });
    const refused = await act('r-new', 'recommend');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'admission_refused' });
    expect(refused.body.reasons).toMatchObject([
      { ruleId: 'disqualification-bar', article: '第十六条（三）', ok: false },
    ]);
    expect(refused.body.detail).toContain('2026-03-02');
    expect((await call(t, 'GET', '/v1/experts/r-new', { key: 'yn.admin' })).body.status).toBe(
      'applied',
    );
  });

  it('finds the same person without an ID number by name and birth date', async () => {
    const { idNumber: _none, ...noId } = person;
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeExpert({ id: 'r-noid', ...noId, idNumber: undefined }),
    });
    expect((await act('r-noid', 'recommend')).status).toBe(422);
  });

  it('does not confuse a namesake with another ID number', async () => {
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeExpert({ id: 'r-other', ...person, idNumber: '530102197005209999' }),
    });
    expect((await act('r-other', 'recommend')).status).toBe(200);
  });

  it('admits the re-application on the day the bar ends and carries the disqualification date', async () => {
    t.clock.set('2026-03-02T09:00:00+08:00');
    const recommended = await act('r-new', 'recommend');
    expect(recommended.status).toBe(200);
    expect(recommended.body).toMatchObject({
      status: 'recommended',
      disqualifiedOn: '2021-03-02',
    });
    expect((await act('r-new', 'start-review')).status).toBe(200);
    expect((await act('r-new', 'approve')).status).toBe(200);
    // The old record is final and keeps its history.
    expect((await call(t, 'GET', '/v1/experts/r-old', { key: 'yn.admin' })).body).toMatchObject({
      status: 'dismissed',
      disqualifiedOn: '2021-03-02',
    });
  });

  it('refuses to renew another record of the person inside the bar (第十六条（三）)', async () => {
    t.clock.set('2023-06-01T09:00:00+08:00');
    // Stored expired: an active record of the person is itself refused inside the bar.
    const stored = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({ id: 'r-renew', ...person, status: 'expired' }),
    });
    expect(stored.status).toBe(201);
    const refused = await act('r-renew', 'renew', { reason: '续聘', on: '2023-06-01' });
    expect(refused.status).toBe(422);
    expect(refused.body.reasons).toMatchObject([{ article: '第十六条（三）' }]);
  });
});
