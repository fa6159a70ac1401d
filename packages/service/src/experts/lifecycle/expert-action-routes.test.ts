import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeActiveExpert, makeExpert } from '../../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

describe.each(backends)('expert lifecycle actions on %s', (kind) => {
  let t: TestContext;
  const act = (
    id: string,
    action: string,
    json: unknown = { reason: '按程序办理' },
    key: 'yn.admin' | 'km.admin' | 'yn.viewer' = 'yn.admin',
  ) => call(t, 'POST', `/v1/experts/${id}/actions/${action}`, { key, json });

  beforeAll(async () => {
    t = await createTestContext(kind);
  });
  afterAll(() => t.close());

  it('takes an applicant through the selection procedure to a sealed 3-year term (第十条, 第十一条)', async () => {
    t.clock.set('2026-03-02T09:00:00+08:00'); // a Monday
    expect(
      (await call(t, 'POST', '/v1/experts', { key: 'yn.admin', json: makeExpert({ id: 'p-1' }) }))
        .status,
    ).toBe(201);
    expect((await act('p-1', 'recommend')).body.status).toBe('recommended');
    expect((await act('p-1', 'start-review')).body.status).toBe('under_review');
    const approved = await act('p-1', 'approve', { reason: '符合第九条条件' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('under_review');
    const notice = await act('p-1', 'start-public-notice');
    expect(notice.body).toMatchObject({
      status: 'public_notice',
      selection: {
        reviewApprovedAt: '2026-03-02T01:00:00.000Z',
        publicNotice: { start: '2026-03-02', end: '2026-03-06', workingDays: 5, covered: true },
      },
    });

    // Five working days: Mon 2 to Fri 6 March; appointing on the last day is too early.
    t.clock.set('2026-03-06T17:00:00+08:00');
    const early = await act('p-1', 'appoint');
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'illegal_transition' });
    expect(early.body.detail).toContain('2026-03-06');

    t.clock.set('2026-03-09T09:00:00+08:00');
    // Not backdated before the notice was over (第十条（四）（五）): 2024-02-29, nor its last day.
    for (const on of ['2024-02-29', '2026-03-06']) {
      const backdated = await act('p-1', 'appoint', { reason: '按程序办理', on });
      expect(backdated.status).toBe(422);
      expect(backdated.body.errors?.map((e) => e.path)).toEqual(['on']);
      expect(backdated.body.detailZh).toContain('早于公示期满后的2026年3月7日');
    }
    const appointed = await act('p-1', 'appoint');
    expect(appointed.status).toBe(200);
    expect(appointed.body).toMatchObject({
      status: 'active',
      appointment: { from: '2026-03-09', to: '2029-03-08', sealed: false },
    });
    const sealed = await act('p-1', 'seal', { reason: '聘书已盖章' });
    expect(sealed.body.appointment).toEqual({ from: '2026-03-09', to: '2029-03-08', sealed: true });
    expect((await act('p-1', 'seal')).status).toBe(409);
  });

  it('counts the public notice in working days across a holiday (第十条（四）)', async () => {
    t.clock.set('2026-02-12T09:00:00+08:00');
    await call(t, 'POST', '/v1/experts', { key: 'yn.admin', json: makeExpert({ id: 'p-2' }) });
    for (const action of ['recommend', 'start-review', 'approve']) {
      expect((await act('p-2', action)).status).toBe(200);
    }
    const notice = await act('p-2', 'start-public-notice');
    expect(notice.status).toBe(200);
    t.clock.set('2026-02-25T12:00:00+08:00');
    expect((await act('p-2', 'appoint')).status).toBe(409);
    t.clock.set('2026-02-26T09:00:00+08:00');
    expect((await act('p-2', 'appoint')).status).toBe(200);
  });

  it('refuses to approve an applicant who fails the admission rules (第九条（四）) and keeps the state', async () => {
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeExpert({ id: 'p-junior', title: 'junior', safetyEngineer: null, practiceYears: 3 }),
    });
    await act('p-junior', 'recommend');
    await act('p-junior', 'start-review');
    const refused = await act('p-junior', 'approve');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'admission_refused' });
    expect(refused.body.reasons).toEqual(
      expect.arrayContaining([expect.objectContaining({ ruleId: 'qualification', ok: false })]),
    );
    expect((await act('p-junior', 'start-public-notice')).status).toBe(409);
    expect((await call(t, 'GET', '/v1/experts/p-junior', { key: 'yn.admin' })).body.status).toBe(
      'under_review',
    );
  });

  it('suspends, warns, reinstates and dismisses, and never brings a dismissed expert back', async () => {
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({ id: 'a-1' }),
    });
    expect((await act('a-1', 'suspend', { reason: '核查举报' })).body.status).toBe('suspended');
    const warned = await act('a-1', 'warn', {
      reason: '一年内两次无故拒绝',
      on: '2026-03-01',
      article: '第二十三条（一）',
      evidence: [{ kind: 'document', ref: '约谈记录〔2026〕1号' }],
    });
    expect(warned.body.warnings).toEqual([
      { on: '2026-03-01', article: '第二十三条（一）', reason: '一年内两次无故拒绝' },
    ]);
    expect((await act('a-1', 'reinstate')).body.status).toBe('active');
    const dismissed = await act('a-1', 'dismiss', {
      reason: '严重违规',
      evidence: [{ kind: 'document', ref: '调查报告〔2026〕3号' }],
    });
    expect(dismissed.body.status).toBe('dismissed');
    const back = await act('a-1', 'reinstate');
    expect(back.status).toBe(409);
    expect(back.body).toMatchObject({
      code: 'illegal_transition',
      from: 'dismissed',
      to: 'active',
      action: 'reinstate',
    });
    const renewed = await act('a-1', 'renew');
    expect(renewed.status).toBe(409);
  });

  it('disqualifies with a date (第十六条（三）) and records withdrawal (第二十四条)', async () => {
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({ id: 'a-2', idNumber: '530102196801011234' }),
    });
    const disqualified = await act('a-2', 'disqualify', {
      reason: '冒用省级专家名义',
      on: '2026-02-01',
      evidence: [{ kind: 'document', ref: '核查通报〔2026〕2号' }],
    });
    expect(disqualified.body).toMatchObject({ status: 'dismissed', disqualifiedOn: '2026-02-01' });
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({ id: 'a-3' }),
    });
    const application = [{ kind: 'document', ref: '退出申请书 2026-02-10' }];
    expect(
      (await act('a-3', 'withdraw', { reason: '本人书面申请退出', evidence: application })).body
        .status,
    ).toBe('withdrawn');
    expect((await act('a-3', 'withdraw', { reason: '再次', evidence: application })).status).toBe(
      409,
    );
  });

  it('renews an expired term from the given date, unsealed until sealed again (第十一条)', async () => {
    t.clock.set('2026-03-02T09:00:00+08:00');
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({ id: 'a-4' }),
    });
    expect((await act('a-4', 'expire')).body.status).toBe('expired');
    expect((await act('a-4', 'start-renewal-notice')).status).toBe(200);
    t.clock.set('2026-03-09T09:00:00+08:00');
    const renewed = await act('a-4', 'renew', { reason: '考核合格续聘', on: '2026-03-09' });
    expect(renewed.body).toMatchObject({
      status: 'active',
      appointment: { from: '2026-03-09', to: '2029-03-08', sealed: false },
    });
  });

  it('continues an active term from the day after it ends', async () => {
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({ id: 'a-5' }),
    });
    t.clock.set('2026-03-09T09:00:00+08:00');
    expect((await act('a-5', 'start-renewal-notice')).status).toBe(200);
    t.clock.set('2026-03-16T09:00:00+08:00');
    const renewed = await act('a-5', 'renew');
    expect(renewed.body.appointment).toEqual({
      from: '2028-01-01',
      to: '2030-12-31',
      sealed: false,
    });
  });

  it('records each action in the audit log with its reason, before and after', async () => {
    const audit = await call(t, 'GET', '/v1/audit?entityType=expert&entityId=a-1', {
      key: 'yn.auditor',
    });
    const actions = audit.body.items?.map((e) => e.action);
    expect(actions).toEqual([
      'expert.created',
      'expert.suspend',
      'expert.warn',
      'expert.reinstate',
      'expert.dismiss',
    ]);
    const suspend = audit.body.items?.[1];
    expect(suspend).toMatchObject({
      reason: '核查举报',
      actorKeyId: t.keyIds['yn.admin'],
      actorAuthorityId: 'yn-yjt',
      before: expect.objectContaining({ status: 'active' }),
      after: expect.objectContaining({ status: 'suspended' }),
    });
  });

  it.each([
    [{}, 'reason'],
    [{ reason: '' }, 'reason'],
    [{ reason: 'x', on: '2026-02-30' }, 'on'],
    [{ reason: 'x', by: 'me' }, 'by'],
  ])('refuses the body %j with a 422 naming %s', async (json, path) => {
    const response = await act('p-1', 'suspend', json);
    expect(response.status).toBe(422);
    expect(response.body.errors?.map((e) => e.path)).toContain(path);
  });

  it('refuses an unknown action with a 422 on the path parameter', async () => {
    const response = await act('p-1', 'promote');
    expect(response.status).toBe(422);
    expect(response.body.errors?.[0]?.path).toBe('params.action');
  });

  it('lets only the owner’s admin act: viewers get 403, other pools 404', async () => {
    expect((await act('p-1', 'suspend', { reason: 'x' }, 'yn.viewer')).status).toBe(403);
    expect((await act('p-1', 'suspend', { reason: 'x' }, 'km.admin')).status).toBe(403);
    await call(t, 'POST', '/v1/experts', {
      key: 'km.admin',
      json: makeActiveExpert({ id: 'km-1', tier: 'city' }),
    });
    expect((await act('km-1', 'suspend', { reason: 'x' })).status).toBe(404);
  });
});
