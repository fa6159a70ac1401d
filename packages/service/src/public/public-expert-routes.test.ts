import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_REQUESTS_PER_MINUTE } from '../app.js';
import { makeActiveExpert, makeExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

// Personal data seeded below; none of it may ever appear in a public response.
const PERSONAL = ['13900001111', '53010219700101123X', '1970-01-01', '13900002222', '1968-08-08'];
const PERSONAL_KEYS = [
  'phone',
  'idNumber',
  'birthDate',
  'birthYear',
  'conflicts',
  'unavailable',
  'warnings',
];

function assertNoPersonalData(text: string) {
  for (const value of PERSONAL) expect(text).not.toContain(value);
  for (const key of PERSONAL_KEYS) expect(text).not.toContain(`"${key}"`);
}

describe.each(backends)('the public expert query (第十九条) on %s', (kind) => {
  let t: TestContext;
  const seen: string[] = [];
  const get = async (path: string) => {
    const response = await call(t, 'GET', path);
    seen.push(response.text);
    return response;
  };

  beforeAll(async () => {
    t = await createTestContext(kind);
    const add = (key: 'yn.admin' | 'km.admin', json: Record<string, unknown>) =>
      call(t, 'POST', '/v1/experts', { key, json });
    await add(
      'yn.admin',
      makeActiveExpert({
        id: 'p-active',
        name: '李公开',
        phone: '13900001111',
        idNumber: '53010219700101123X',
        birthDate: '1970-01-01',
        conflicts: [{ organizationId: 'org-x', reason: '亲属' }],
      }),
    );
    await add(
      'yn.admin',
      makeActiveExpert({
        id: 'p-tobacco',
        name: '王烟草',
        phone: '13900002222',
        birthDate: '1968-08-08',
        group: 'building_light_textile_tobacco_commerce',
        industries: ['tobacco'],
        specialties: ['fire'],
      }),
    );
    await add('yn.admin', makeExpert({ id: 'p-applied', name: '赵申请' }));
    await add(
      'yn.admin',
      makeActiveExpert({ id: 'p-suspended', name: '钱暂停', status: 'suspended' }),
    );
    await add('km.admin', makeActiveExpert({ id: 'c-local', name: '孙地方', tier: 'city' }));
    // Active but not drawable today (第十一条): a certificate not sealed yet, a term ended.
    await add(
      'yn.admin',
      makeActiveExpert({
        id: 'p-unsealed',
        name: '周未盖章',
        appointment: { from: '2026-01-01', to: '2028-12-31', sealed: false },
      }),
    );
    await add(
      'yn.admin',
      makeActiveExpert({
        id: 'p-ended',
        name: '吴届满',
        appointment: { from: '2022-01-01', to: '2024-12-31', sealed: true },
      }),
    );
    await add(
      'yn.admin',
      makeActiveExpert({
        id: 'p-later',
        name: '郑未起',
        appointment: { from: '2026-03-03', to: '2029-03-02', sealed: true },
      }),
    );
  });
  afterAll(() => {
    for (const text of seen) assertNoPersonalData(text);
    return t.close();
  });

  it('answers without an API key and lists only active provincial experts whose sealed term covers today (第十一条)', async () => {
    const response = await get('/v1/public/experts');
    expect(response.status).toBe(200);
    const ids = (response.body as unknown as { items: { id: string }[] }).items.map((e) => e.id);
    expect(ids).toEqual(['p-active', 'p-tobacco']);
  });

  it('shows the professional profile and the term, and nothing personal', async () => {
    const response = await get('/v1/public/experts?q=李公开');
    const [expert] = (response.body as unknown as { items: Record<string, unknown>[] }).items;
    expect(expert).toEqual({
      id: 'p-active',
      name: '李公开',
      title: 'senior_associate',
      titleLabel: { zh: '副高级', en: expect.any(String) },
      group: 'metallurgy_nonferrous_machinery',
      groupLabel: { zh: '冶金、有色、机械组', en: expect.any(String) },
      industries: ['metallurgy', 'machinery'],
      industryLabels: [
        { zh: '冶金', en: expect.any(String) },
        { zh: '机械', en: expect.any(String) },
      ],
      specialties: ['molten_metal', 'gas'],
      specialtyNames: ['高温熔融金属', '煤气'],
      employer: {
        name: '昆明钢铁集团有限公司',
        kind: 'enterprise',
        kindLabel: { zh: '企业', en: expect.any(String) },
      },
      region: '530102',
      regionName: '昆明市',
      term: { from: '2025-01-01', to: '2027-12-31' },
    });
  });

  it.each([
    ['industry=tobacco', ['p-tobacco']],
    ['specialty=fire', ['p-tobacco']],
    ['group=metallurgy_nonferrous_machinery', ['p-active']],
    ['q=钢铁', ['p-active', 'p-tobacco']],
    ['q=赵申请', []],
  ])('filters by %s', async (query, ids) => {
    const response = await get(`/v1/public/experts?${query}`);
    expect(
      (response.body as unknown as { items: { id: string }[] }).items.map((e) => e.id),
    ).toEqual(ids);
  });

  it('pages with a cursor', async () => {
    const first = await get('/v1/public/experts?limit=1');
    const body = first.body as unknown as { items: { id: string }[]; nextCursor: string };
    const second = await get(`/v1/public/experts?limit=1&cursor=${body.nextCursor}`);
    expect((second.body as unknown as { items: { id: string }[] }).items[0]?.id).toBe('p-tobacco');
  });

  it('refuses an unknown filter value with a 422 problem', async () => {
    const response = await get('/v1/public/experts?industry=mining');
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'validation_failed' });
  });

  it('does not let the public reach keyed routes', async () => {
    expect((await get('/v1/experts')).status).toBe(401);
    expect((await get('/v1/public/../experts')).status).toBe(401);
  });

  it('limits each client to a fixed number of requests a minute (429 with Retry-After)', async () => {
    let last = await get('/v1/public/experts?limit=1');
    for (let i = 0; i < PUBLIC_REQUESTS_PER_MINUTE && last.status === 200; i++) {
      last = await get('/v1/public/experts?limit=1');
    }
    expect(last.status).toBe(429);
    expect(last.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last.body).toMatchObject({ code: 'rate_limited' });
  });
});
