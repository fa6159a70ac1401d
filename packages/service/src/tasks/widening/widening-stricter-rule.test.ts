import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../access/issue-api-key.js';
import { makeActiveExpert } from '../../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type KeyName,
  type TestContext,
} from '../../testing/test-backends.test-helpers.js';
import { makeTaskRequest } from '../task-fixtures.test-helpers.js';

const backends = await availableBackends();

const EXPIRED = { from: '2023-11-03', to: '2026-11-02', sealed: true };

// 五华区 (530102) waives 第十一条 (a term in force) for its own pool (第二十六条: a loosening for
// the own pool only). It holds two metallurgy experts, one whose term ended 2026-11-02; 盘龙区
// (530103), its neighbour, holds two as well, one expired the same way. A panel of three needs
// the neighbour's pool (异地抽取): widening adds the neighbour's expert in term and never its
// expired one — the waiver stays with 五华区's own pool, the stricter rule applies to the rest.
describe.each(backends)('widening never loosens a rule (第二十六条, 第十一条) on %s', (kind) => {
  let t: TestContext;
  let panlong: string;
  const add = async (key: KeyName | { secret: string }, id: string, region: string, over = {}) => {
    const created = await call(t, 'POST', '/v1/experts', {
      key,
      json: makeActiveExpert({
        idNumber: undefined,
        id,
        name: `专家${id}`,
        tier: 'county',
        region,
        title: 'senior_full',
        industries: ['metallurgy'],
        employer: { id: `org-${id}`, name: `单位${id}`, kind: 'university' },
        ...over,
      }),
    });
    expect(created.status, created.text).toBe(201);
  };
  const request = (id: string, date: string, overrides: Record<string, unknown> = {}) =>
    call(t, 'POST', '/v1/tasks', {
      key: 'wh.dispatcher',
      headers: { 'idempotency-key': `key-${id}` },
      json: makeTaskRequest({
        id,
        window: { from: `${date}T08:30:00+08:00`, to: `${date}T18:00:00+08:00` },
        enterprise: { id: 'org-plant', name: '五华区某冶炼厂', region: '530102' },
        specialties: [],
        panelSize: 3,
        alternates: 0,
        policy: 'best',
        ...overrides,
      }),
    });

  beforeAll(async () => {
    t = await createTestContext(kind);
    t.clock.set('2026-12-02T09:00:00+08:00');
    const issued = await t.database.db.transaction((tx) =>
      issueApiKey(
        tx,
        {
          authority: { id: 'pl-yjj', tier: 'county', region: '530103', name: '盘龙区应急管理局' },
          role: 'admin',
          label: 'pl admin',
          actor: { keyId: 'system:test', authorityId: null },
        },
        t.clock.now(),
      ),
    );
    panlong = issued.key;
    const waived = await call(t, 'PUT', '/v1/authorities/wh-yjj/rule-set', {
      key: 'wh.admin',
      json: {
        reason: '本区专家库聘期另行管理',
        overrides: {
          id: 'wuhua-gmy',
          version: '1.0.0',
          removeDispatchRules: ['appointment-in-force'],
        },
      },
    });
    expect(waived.status, waived.text).toBe(200);
    expect(waived.body.loosenings).toMatchObject([{ article: '第十一条', appliesTo: 'own-pool' }]);
    await add('wh.admin', 'wh-ok', '530102');
    await add('wh.admin', 'wh-expired', '530102', { appointment: EXPIRED });
    await add({ secret: panlong }, 'pl-ok', '530103');
    await add({ secret: panlong }, 'pl-expired', '530103', { appointment: EXPIRED });
  }, 120_000);
  afterAll(() => t.close());

  it('counts only the neighbour’s expert in term as what the first step adds', async () => {
    const refused = await request('t-strict-own', '2026-12-14');
    expect(refused.status, refused.text).toBe(422);
    const next = (
      refused.body.widening as { next: { step: string; addsEligible: number; feasible: boolean }[] }
    ).next;
    expect(next[0]).toMatchObject({
      step: 'same_prefecture_counties',
      addsEligible: 1,
      feasible: true,
    });
  });

  it('seats its own expired expert under its waiver and leaves the neighbour’s out for 第十一条', async () => {
    const drawn = await request('t-strict-wide', '2026-12-15', {
      widen: ['same_prefecture_counties'],
    });
    expect(drawn.status, drawn.text).toBe(201);
    const seated = (drawn.body.panel as { expertId: string }[]).map((s) => s.expertId).sort();
    expect(seated).toEqual(['pl-ok', 'wh-expired', 'wh-ok']);
    const drawId = (drawn.body.draw as { id: string }).id;
    const draw = await call(t, 'GET', `/v1/draws/${drawId}`, { key: 'wh.auditor' });
    expect(draw.status, draw.text).toBe(200);
    expect(draw.body.widen).toEqual(['same_prefecture_counties']);
    const excluded = (
      draw.body.result as { excluded: { reasons: string[]; expertIds: string[] }[] }
    ).excluded;
    expect(excluded).toContainEqual({
      reasons: ['appointment-in-force'],
      expertIds: ['pl-expired'],
    });
    const verified = await call(t, 'GET', `/v1/draws/${drawId}/verify`, { key: 'wh.auditor' });
    expect(verified.body, verified.text).toMatchObject({ ok: true });
  });
});
