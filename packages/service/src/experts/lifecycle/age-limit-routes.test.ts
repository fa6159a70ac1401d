import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addActiveExperts, makeTaskRequest } from '../../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../../tasks/task-view.js';
import { makeActiveExpert, makeExpert } from '../../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

const APPROVAL = {
  document: '云应急函〔2026〕12号',
  approvedBy: '云南省应急管理厅',
  approvedOn: '2026-01-10',
};

type Exclusion = { reasons: string[]; expertIds: string[] };
type Reasons = Record<string, { ruleId: string; article: string | null }>;

describe.each(backends)('the age limit over every day of the task (第九条（五）) on %s', (kind) => {
  let t: TestContext;
  const act = (id: string, action: string, json: unknown = { reason: '按程序办理' }) =>
    call(t, 'POST', `/v1/experts/${id}/actions/${action}`, { key: 'yn.admin', json });

  beforeAll(async () => {
    t = await createTestContext(kind);
  });
  afterAll(() => t.close());

  it.each([
    ['without its approval', { ageWaiver: true }, 'ageWaiverApproval'],
    [
      'with two limits',
      { ageWaiver: true, ageWaiverApproval: { ...APPROVAL, maxAge: 72, lastDate: '2028-01-01' } },
      'ageWaiverApproval.maxAge',
    ],
    [
      'with an approval but no waiver',
      { ageWaiver: false, ageWaiverApproval: { ...APPROVAL, maxAge: 72 } },
      'ageWaiver',
    ],
  ])('refuses an age waiver %s: 适当放宽 is not “no limit”', async (_name, waiver, path) => {
    const refused = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({ id: 'w-bad', idNumber: undefined, ...waiver }),
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors?.map((e) => e.path)).toContain(path);
  });

  it('excludes an expert turning 66 on the task’s second day, and keeps one with an approved waiver', async () => {
    await addActiveExperts(t, [
      ['a-66', { birthDate: '1960-03-11', industries: ['metallurgy'] }],
      ['a-ok', { birthDate: '1975-03-11', industries: ['metallurgy'] }],
      [
        'a-waived',
        {
          birthDate: '1955-03-11',
          industries: ['metallurgy'],
          ageWaiver: true,
          ageWaiverApproval: { ...APPROVAL, maxAge: 72 },
        },
      ],
    ]);
    const created = await call(t, 'POST', '/v1/tasks', {
      key: 'yn.dispatcher',
      headers: { 'idempotency-key': 'age-task-1' },
      json: makeTaskRequest({
        id: 'age-task-1',
        window: { from: '2026-03-10T09:00:00+08:00', to: '2026-03-11T18:00:00+08:00' },
        panelSize: 2,
        alternates: 0,
        policy: 'best',
      }),
    });
    expect(created.status).toBe(201);
    const task = created.body as unknown as TaskView;
    const draw = await call(t, 'GET', `/v1/draws/${task.draw?.id}`, { key: 'yn.auditor' });
    const result = draw.body.result as { excluded: Exclusion[]; exclusionReasons: Reasons };
    const reasonsOf = (id: string) =>
      (result.excluded.find((g) => g.expertIds.includes(id))?.reasons ?? []).map(
        (key) => `${result.exclusionReasons[key]?.ruleId}@${result.exclusionReasons[key]?.article}`,
      );
    expect(reasonsOf('a-66')).toEqual(['age-limit@第九条（五）']);
    expect(reasonsOf('a-ok')).toEqual([]);
    expect(reasonsOf('a-waived')).toEqual([]);
  });

  it('tells the admin, on approval, the day the expert passes the limit within the term', async () => {
    t.clock.set('2026-03-02T09:00:00+08:00');
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeExpert({
        id: 'a-new',
        idNumber: undefined,
        name: '将满龄',
        birthDate: '1961-03-01',
      }),
    });
    await act('a-new', 'recommend');
    await act('a-new', 'start-review');
    const approved = await act('a-new', 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body.ageLimitWithinTerm).toMatchObject({
      date: '2027-03-01',
      article: '第九条（五）',
      message: {
        zh: '将满龄将于2027年3月1日超过年龄上限（第九条（五）），聘期（2026年3月2日至2029年3月1日）内此后不再选派',
      },
    });
  });

  it('says nothing when the limit lies after the term', async () => {
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeExpert({
        id: 'a-young',
        idNumber: undefined,
        name: '年轻',
        birthDate: '1980-01-01',
      }),
    });
    await act('a-young', 'recommend');
    await act('a-young', 'start-review');
    const approved = await act('a-young', 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body.ageLimitWithinTerm).toBeUndefined();
  });
});
