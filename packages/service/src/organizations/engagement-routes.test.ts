import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTaskRequest, postTask, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

interface DrawBody {
  result: {
    members: { expertId: string }[];
    excluded: { reasons: string[]; expertIds: string[] }[];
    exclusionReasons: Record<string, { article: string | null }>;
    engagementRecusals?: {
      organizationId: string;
      article: string;
      engagement: { id: string; kind: string; from: string; to: string };
      expertIds: string[];
    }[];
  };
}

const oneDay = (date: string) => ({
  from: `${date}T08:30:00+08:00`,
  to: `${date}T18:00:00+08:00`,
});

describe.each(backends)('engagements (往来业务, 第十六条（一）) on %s', (kind) => {
  let t: TestContext;
  let recordedId = '';

  const drawFor = async (key: string, overrides: Record<string, unknown>) => {
    const posted = await postTask(t, makeTaskRequest({ policy: 'best', ...overrides }), key);
    expect(posted.status, posted.text).toBe(201);
    const task = posted.body as unknown as TaskView;
    const draw = await call(t, 'GET', `/v1/draws/${task.draw?.id}`, { key: 'yn.auditor' });
    const verified = await call(t, 'GET', `/v1/draws/${task.draw?.id}/verify`, {
      key: 'yn.auditor',
    });
    expect(verified.body).toMatchObject({ ok: true });
    return (draw.body as unknown as DrawBody).result;
  };

  beforeAll(async () => {
    t = await createTestContext(kind);
    const organization = await call(t, 'POST', '/v1/organizations', {
      key: 'yn.admin',
      json: { id: 'org-eval', name: '云南某安全评价有限公司', kind: 'evaluation_agency' },
    });
    expect(organization.status).toBe(201);
    await seedPanelPool(t, 6);
    // The best-scored expert of the pool, so that only the recusal keeps them off the panel.
    const created = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({
        id: 'e-eval',
        idNumber: undefined,
        employer: { id: 'org-eval', name: '云南某安全评价有限公司', kind: 'evaluation_agency' },
        title: 'senior_full',
        industries: ['metallurgy'],
        specialties: ['molten_metal'],
      }),
    });
    expect(created.status, created.text).toBe(201);
  });
  afterAll(() => t.close());

  it('records an engagement, audited, and lists it with its kind in Chinese and English', async () => {
    const before = await countAuditEntries(t);
    const recorded = await call(t, 'POST', '/v1/organizations/org-eval/engagements', {
      key: 'yn.dispatcher',
      json: {
        enterpriseId: 'org-steel',
        kind: 'safety_evaluation',
        from: '2025-01-01',
        to: '2025-03-31',
      },
    });
    expect(recorded.status, recorded.text).toBe(201);
    expect(recorded.body).toMatchObject({
      agencyId: 'org-eval',
      enterpriseId: 'org-steel',
      kindLabel: { zh: '安全评价', en: 'Safety evaluation' },
    });
    recordedId = String(recorded.body.id);
    expect(await countAuditEntries(t)).toBe(before + 1);
    const list = await call(t, 'GET', '/v1/organizations/org-eval/engagements', {
      key: 'wh.viewer',
    });
    expect(list.body.items?.map((e) => e.id)).toEqual([recordedId]);
  });

  it.each<[string, string, Record<string, unknown> | string, number, string]>([
    [
      'refuses the same engagement twice',
      'yn.dispatcher',
      {
        enterpriseId: 'org-steel',
        kind: 'safety_evaluation',
        from: '2025-01-01',
        to: '2025-03-31',
      },
      409,
      'body',
    ],
    [
      'refuses a period that ends before it starts',
      'yn.dispatcher',
      { enterpriseId: 'org-x', kind: 'testing', from: '2025-03-01', to: '2025-02-01' },
      422,
      'to',
    ],
    [
      'refuses an unknown kind',
      'yn.dispatcher',
      { enterpriseId: 'org-x', kind: 'auditing', from: '2025-03-01', to: '2025-04-01' },
      422,
      'kind',
    ],
    [
      'refuses an agency serving itself',
      'yn.dispatcher',
      { enterpriseId: 'org-eval', kind: 'testing', from: '2025-03-01', to: '2025-04-01' },
      422,
      'enterpriseId',
    ],
    [
      'refuses a viewer',
      'wh.viewer',
      { enterpriseId: 'org-x', kind: 'testing', from: '2025-03-01', to: '2025-04-01' },
      403,
      '',
    ],
  ])('%s', async (_name, key, json, status, path) => {
    const before = await countAuditEntries(t);
    const refused = await call(t, 'POST', '/v1/organizations/org-eval/engagements', {
      key: key as 'yn.dispatcher',
      json,
    });
    expect(refused.status, refused.text).toBe(status);
    if (path !== '') expect(refused.body.errors?.map((e) => e.path)).toContain(path);
    expect(await countAuditEntries(t)).toBe(before);
  });

  it('answers 404 for an unknown agency', async () => {
    const missing = await call(t, 'GET', '/v1/organizations/org-none/engagements', {
      key: 'yn.viewer',
    });
    expect(missing.status).toBe(404);
  });

  it('excludes the expert of an agency that evaluated the enterprise, citing 第十六条（一） and naming the engagement', async () => {
    const result = await drawFor('eg-draw-1', { window: oneDay('2026-03-10') });
    expect(result.members.map((m) => m.expertId)).not.toContain('e-eval');
    const group = result.excluded.find((g) => g.expertIds.includes('e-eval'));
    expect(group?.reasons).toEqual(['employer-recusal.related']);
    expect(result.exclusionReasons['employer-recusal.related']?.article).toBe('第十六条（一）');
    expect(result.engagementRecusals).toEqual([
      {
        organizationId: 'org-eval',
        article: '第十六条（一）',
        engagement: {
          id: recordedId,
          kind: 'safety_evaluation',
          from: '2025-01-01',
          to: '2025-03-31',
        },
        expertIds: ['e-eval'],
      },
    ]);
  });

  it('leaves an engagement older than the 3-year look-back out of the draw', async () => {
    await call(t, 'POST', '/v1/organizations/org-eval/engagements', {
      key: 'yn.dispatcher',
      json: { enterpriseId: 'org-old', kind: 'design', from: '2021-01-01', to: '2023-03-09' },
    });
    const result = await drawFor('eg-draw-2', {
      window: oneDay('2026-03-12'),
      enterprise: { id: 'org-old', name: '老客户公司', region: '530111' },
    });
    // Not recused: the expert stays in the funnel (whether the draw then seats them is its own affair).
    expect(result.excluded.find((group) => group.expertIds.includes('e-eval'))).toBeUndefined();
    expect(result.engagementRecusals).toBeUndefined();
  });

  it('still excludes for an organisation the dispatcher names, without an engagement', async () => {
    const result = await drawFor('eg-draw-3', {
      window: oneDay('2026-03-13'),
      enterprise: { id: 'org-new', name: '新客户公司', region: '530111' },
      relatedOrganizations: [{ id: 'org-eval', role: 'evaluator' }],
    });
    expect(result.members.map((m) => m.expertId)).not.toContain('e-eval');
    expect(result.engagementRecusals).toBeUndefined();
  });

  it('refuses an engagement typed into relatedOrganizations by the dispatcher', async () => {
    const refused = await postTask(
      t,
      makeTaskRequest({
        window: oneDay('2026-03-14'),
        relatedOrganizations: [
          {
            id: 'org-eval',
            role: 'evaluator',
            engagement: { id: 'x', kind: 'testing', from: '2025-01-01', to: '2025-01-02' },
          },
        ],
      }),
      'eg-draw-4',
    );
    expect(refused.status).toBe(422);
  });

  it('imports a CSV all or nothing, reports rows already recorded, and deletes with an audit entry', async () => {
    const csv = (rows: string[]) =>
      call(t, 'POST', '/v1/organizations/org-eval/engagements/import', {
        key: 'yn.admin',
        body: ['服务对象编号,业务类型,开始日期,结束日期', ...rows].join('\n'),
        headers: { 'content-type': 'text/csv' },
      });
    const bad = await csv([
      'org-a,testing,2025-01-01,2025-02-01',
      'org-b,auditing,2025-01-01,2025-02-01',
    ]);
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.map((e) => e.path)).toEqual(['rows.1.kind']);
    const before = await countAuditEntries(t);
    const good = await csv([
      'org-a,testing,2025-01-01,2025-02-01',
      'org-steel,safety_evaluation,2025-01-01,2025-03-31',
    ]);
    expect(good.status, good.text).toBe(200);
    expect(good.body).toMatchObject({ unchanged: 1 });
    expect((good.body.created as unknown[]).length).toBe(1);
    expect(await countAuditEntries(t)).toBe(before + 1);
    const asJson = await call(t, 'POST', '/v1/organizations/org-eval/engagements/import', {
      key: 'yn.admin',
      json: [],
    });
    expect(asJson.status).toBe(415);

    const deleted = await call(
      t,
      'DELETE',
      `/v1/organizations/org-eval/engagements/${recordedId}`,
      {
        key: 'yn.admin',
      },
    );
    expect(deleted.status).toBe(200);
    expect(await countAuditEntries(t)).toBe(before + 2);
    const again = await call(t, 'DELETE', `/v1/organizations/org-eval/engagements/${recordedId}`, {
      key: 'yn.admin',
    });
    expect(again.status).toBe(404);
  });
});
