import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type KeyName,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

describe.each(backends)('recommendations upward (第二十一条（一）) on %s', (kind) => {
  let t: TestContext;
  // Each recommendation a minute after the last, so that lists have one order.
  let minutes = 0;
  const recommend = (json: unknown, key: KeyName = 'wh.admin') => {
    minutes += 1;
    t.clock.set(new Date(Date.parse('2026-03-02T09:00:00+08:00') + minutes * 60_000).toISOString());
    return call(t, 'POST', '/v1/recommendations', { key, json });
  };
  const decide = (id: string, decision: string, key: KeyName, reason = '经研究') =>
    call(t, 'POST', `/v1/recommendations/${id}/${decision}`, { key, json: { reason } });
  const localExpert = (id: string, overrides: Record<string, unknown>) =>
    makeActiveExpert({ id, tier: 'county', ...overrides });

  beforeAll(async () => {
    t = await createTestContext(kind);
    for (const [id, overrides] of [
      ['wh-1', { name: '王立新', idNumber: '530102197506151111' }],
      ['wh-2', { name: '赵德明', idNumber: '530102197506152222' }],
      ['wh-3', { name: '孙国强', idNumber: '530102197506153333' }],
      ['wh-4', { name: '周文', idNumber: '530102197506154444', status: 'suspended' }],
      ['wh-5', { name: '吴刚', idNumber: '530102197506155555', disqualifiedOn: '2024-01-01' }],
    ] as const) {
      const created = await call(t, 'POST', '/v1/experts', {
        key: 'wh.admin',
        json: localExpert(id, overrides),
      });
      expect(created.status).toBe(201);
    }
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({ id: 'p-1', idNumber: '530102197506159999' }),
    });
  });
  afterAll(() => t.close());

  let approvedId = '';

  it('records a county’s recommendation of its own active expert, pending, audited', async () => {
    const before = await countAuditEntries(t);
    const made = await recommend({ expertId: 'wh-1', reason: '业务能力强、参与积极' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      expertId: 'wh-1',
      expertName: '王立新',
      fromAuthorityId: 'wh-yjj',
      toTier: 'province',
      state: 'pending',
      reason: '业务能力强、参与积极',
      admittedExpertId: null,
    });
    expect(made.body.id).toMatch(/^rc_[0-9a-f]{20}$/);
    expect(await countAuditEntries(t)).toBe(before + 1);
    approvedId = String(made.body.id);
  });

  it.each<[string, Record<string, unknown>, KeyName, number, string]>([
    [
      'a second pending recommendation of the same expert',
      { expertId: 'wh-1', reason: '再次' },
      'wh.admin',
      409,
      'already_exists',
    ],
    [
      'a suspended expert',
      { expertId: 'wh-4', reason: '推荐' },
      'wh.admin',
      409,
      'illegal_transition',
    ],
    [
      'a person disqualified within the bar (第十六条（三）)',
      { expertId: 'wh-5', reason: '推荐' },
      'wh.admin',
      422,
      'admission_refused',
    ],
    [
      'another authority’s expert',
      { expertId: 'p-1', reason: '推荐' },
      'wh.admin',
      403,
      'forbidden',
    ],
    [
      'a pool the caller cannot see',
      { expertId: 'wh-2', reason: '推荐' },
      'km.admin',
      404,
      'not_found',
    ],
    [
      'the province recommending',
      { expertId: 'p-1', reason: '推荐' },
      'yn.admin',
      403,
      'forbidden',
    ],
    [
      'a city recommending to a city',
      { expertId: 'wh-2', reason: '推荐', toTier: 'city' },
      'km.admin',
      422,
      'validation_failed',
    ],
    ['a missing reason', { expertId: 'wh-2' }, 'wh.admin', 422, 'validation_failed'],
    [
      'an unknown field',
      { expertId: 'wh-2', reason: '推荐', score: 5 },
      'wh.admin',
      422,
      'validation_failed',
    ],
    ['a viewer', { expertId: 'wh-2', reason: '推荐' }, 'wh.viewer', 403, 'forbidden'],
  ])('refuses %s', async (_name, json, key, status, code) => {
    const before = await countAuditEntries(t);
    const refused = await recommend(json, key);
    expect(refused.status).toBe(status);
    expect(refused.body.code).toBe(code);
    expect(await countAuditEntries(t)).toBe(before);
  });

  it('lets only the province decide a provincial recommendation', async () => {
    expect((await decide(approvedId, 'approve', 'wh.admin')).status).toBe(403);
    expect((await decide(approvedId, 'approve', 'km.admin')).status).toBe(404);
    expect((await decide(approvedId, 'approve', 'yn.viewer')).status).toBe(403);
    expect((await decide(approvedId, 'withdraw', 'yn.admin')).status).toBe(403);
  });

  it('on approval opens a provincial record on the admission path and keeps the local one', async () => {
    const before = await countAuditEntries(t);
    const approved = await decide(approvedId, 'approve', 'yn.admin', '符合条件，进入审核程序');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      state: 'approved',
      decisionReason: '符合条件，进入审核程序',
      decidedBy: t.keyIds['yn.admin'],
      admittedExpertId: `province:${approvedId}`,
    });
    expect(await countAuditEntries(t)).toBe(before + 2);
    const admitted = await call(t, 'GET', `/v1/experts/province:${approvedId}`, {
      key: 'yn.admin',
    });
    expect(admitted.body).toMatchObject({
      name: '王立新',
      tier: 'province',
      status: 'recommended',
      appointment: null,
      poolAuthorityId: 'yn-yjt',
    });
    const local = await call(t, 'GET', '/v1/experts/wh-1', { key: 'wh.admin' });
    expect(local.body).toMatchObject({
      tier: 'county',
      status: 'active',
      poolAuthorityId: 'wh-yjj',
    });
    // The province reviews it as any other applicant (第十条（三）).
    for (const action of ['start-review', 'approve']) {
      const step = await call(t, 'POST', `/v1/experts/province:${approvedId}/actions/${action}`, {
        key: 'yn.admin',
        json: { reason: '审核' },
      });
      expect(step.status).toBe(200);
    }
    const audit = await call(
      t,
      'GET',
      `/v1/audit?entityType=recommendation&entityId=${approvedId}`,
      { key: 'yn.auditor' },
    );
    expect(audit.body.items?.map((e) => e.action)).toEqual([
      'recommendation.created',
      'recommendation.approved',
    ]);
  });

  it('refuses to decide twice, and to admit the same person twice', async () => {
    const again = await decide(approvedId, 'reject', 'yn.admin');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'illegal_transition', from: 'approved' });
    const second = await recommend({ expertId: 'wh-1', reason: '再次推荐' });
    expect(second.status).toBe(201);
    const duplicate = await decide(String(second.body.id), 'approve', 'yn.admin');
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({
      code: 'already_exists',
      expertId: `province:${approvedId}`,
    });
    expect(
      (await decide(String(second.body.id), 'reject', 'yn.admin', '已在审核')).body.state,
    ).toBe('rejected');
  });

  it('lets a county recommend to its city, which the city decides (第二十一条)', async () => {
    const made = await recommend({ expertId: 'wh-2', reason: '推荐入市级库', toTier: 'city' });
    expect(made.status).toBe(201);
    const id = String(made.body.id);
    expect((await decide(id, 'approve', 'dl.admin')).status).toBe(404);
    expect((await decide(id, 'approve', 'yn.admin')).status).toBe(404);
    const approved = await decide(id, 'approve', 'km.admin', '同意入市级库');
    expect(approved.body).toMatchObject({ state: 'approved', admittedExpertId: `city:${id}` });
    const admitted = await call(t, 'GET', `/v1/experts/city:${id}`, { key: 'km.admin' });
    expect(admitted.body).toMatchObject({
      tier: 'city',
      poolAuthorityId: 'km-yjj',
      status: 'recommended',
    });
  });

  it('lets the recommending county withdraw a pending recommendation', async () => {
    const made = await recommend({ expertId: 'wh-3', reason: '推荐' });
    const withdrawn = await decide(String(made.body.id), 'withdraw', 'wh.admin', '本人暂不参加');
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', decisionReason: '本人暂不参加' });
  });

  it('lists what each authority made or reviews, with filters and a cursor', async () => {
    const ids = async (key: KeyName, query = '') =>
      ((await call(t, 'GET', `/v1/recommendations${query}`, { key })).body.items ?? []).map(
        (item) => `${item.expertId}:${item.state}`,
      );
    expect(await ids('wh.viewer')).toEqual([
      'wh-1:approved',
      'wh-1:rejected',
      'wh-2:approved',
      'wh-3:withdrawn',
    ]);
    expect(await ids('yn.auditor')).toEqual(['wh-1:approved', 'wh-1:rejected', 'wh-3:withdrawn']);
    expect(await ids('km.admin')).toEqual(['wh-2:approved']);
    expect(await ids('dl.admin')).toEqual([]);
    expect(await ids('wh.admin', '?state=approved&toTier=province')).toEqual(['wh-1:approved']);
    const first = await call(t, 'GET', '/v1/recommendations?limit=3', { key: 'wh.admin' });
    expect(first.body.items).toHaveLength(3);
    const rest = await call(
      t,
      'GET',
      `/v1/recommendations?limit=3&cursor=${first.body.nextCursor}`,
      { key: 'wh.admin' },
    );
    expect(rest.body.items?.map((item) => item.expertId)).toEqual(['wh-3']);
    expect(rest.body.nextCursor).toBeNull();
    expect(
      (await call(t, 'GET', '/v1/recommendations?cursor=nonsense', { key: 'wh.admin' })).body
        .errors,
    ).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
  });

  it('shows one recommendation to those who may see it only', async () => {
    expect(
      (await call(t, 'GET', `/v1/recommendations/${approvedId}`, { key: 'wh.viewer' })).status,
    ).toBe(200);
    expect(
      (await call(t, 'GET', `/v1/recommendations/${approvedId}`, { key: 'dl.viewer' })).status,
    ).toBe(404);
  });
});
