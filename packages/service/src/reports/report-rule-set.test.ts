import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type KeyName,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

/** 五华区 asks for a profile update every 6 months and gives 180 days' notice of a term's end. */
const WUHUA = {
  id: 'wuhua-gmy-2026',
  version: '1.0.0',
  parameters: { profileStaleMonths: 6, appointment: { renewalNoticeDays: 180 } },
};

/** Updated 9 months before 2026-03-02; the term ends 150 days after it. */
const standing = {
  profileUpdatedAt: '2025-06-01T10:00:00+08:00',
  appointment: { from: '2024-07-30', to: '2026-07-30', sealed: true },
};

describe.each(backends)('the lists on each authority’s own rule set (第二十六条) on %s', (kind) => {
  let t: TestContext;
  const listsOf = async (key: KeyName) => {
    const response = await call(t, 'GET', '/v1/reports/lists', { key });
    expect(response.status).toBe(200);
    return response.body as {
      ruleSet: { id: string };
      lists: Record<string, { expertId: string; message: { zh: string } }[]>;
    };
  };
  const idsIn = (entries: { expertId: string }[] | undefined) =>
    (entries ?? []).map((e) => e.expertId);

  beforeAll(async () => {
    t = await createTestContext(kind);
    const set = await call(t, 'PUT', '/v1/authorities/wh-yjj/rule-set', {
      key: 'wh.admin',
      json: { reason: '本区专家每半年更新信息', overrides: WUHUA },
    });
    expect(set.status).toBe(200);
    const created = [
      await call(t, 'POST', '/v1/experts', {
        key: 'wh.admin',
        json: makeActiveExpert({ id: 'wh-9', tier: 'county', idNumber: undefined, ...standing }),
      }),
      await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeActiveExpert({ id: 'yn-9', idNumber: undefined, name: '钱明', ...standing }),
      }),
    ];
    expect(created.map((r) => r.status)).toEqual([201, 201]);
  });
  afterAll(() => t.close());

  it('lists a county expert on its own 6-month profile threshold (第八条（一）, 第二十六条)', async () => {
    const county = await listsOf('wh.admin');
    expect(county.ruleSet.id).toBe('wuhua-gmy-2026');
    expect(idsIn(county.lists.staleProfiles)).toEqual(['wh-9']);
    expect(county.lists.staleProfiles?.[0]?.message.zh).toContain('6个月');
  });

  it('gives a county expert 180 days’ notice of the term’s end on its own rule set (第十一条, 第二十六条)', async () => {
    const county = await listsOf('wh.admin');
    expect(idsIn(county.lists.terms)).toEqual(['wh-9']);
  });

  it('keeps the provincial thresholds for the province, the same expert data unlisted', async () => {
    const province = await listsOf('yn.admin');
    expect(province.ruleSet.id).toBe('yunnan-gmy-2025');
    expect(idsIn(province.lists.staleProfiles)).toEqual([]);
    expect(idsIn(province.lists.terms)).toEqual([]);
  });

  it('computes the annual report’s lists on the county’s own rule set too', async () => {
    const annual = await call(t, 'GET', '/v1/reports/annual?year=2026', { key: 'wh.admin' });
    expect(annual.status).toBe(200);
    const body = annual.body as {
      ruleSet: { id: string };
      lists: Record<string, { expertId: string }[]>;
    };
    expect(body.ruleSet.id).toBe('wuhua-gmy-2026');
    expect(idsIn(body.lists.staleProfiles)).toEqual(['wh-9']);
    expect(idsIn(body.lists.terms)).toEqual(['wh-9']);
  });
});
