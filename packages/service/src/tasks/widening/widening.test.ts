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

interface WideningBody {
  readonly taken: string[];
  readonly next: {
    step: string;
    widen: string[];
    addsEligible: number;
    feasible: boolean;
    preApproved: boolean;
    label: { zh: string; en: string };
  }[];
}

// 五华区 (530102) asks for four metallurgy experts and holds one; 盘龙区 (530103), its neighbour
// in 昆明市, holds two; 昆明市's own pool two; 大理州 one. The provincial pool holds none for
// metallurgy. The Yunnan ladder (local policy): neighbouring counties → the prefecture's pool →
// the other prefectures; accident rescue takes the first two unasked.
describe.each(backends)('widening a county draw step by step (异地抽取) on %s', (kind) => {
  let t: TestContext;
  let panlong: string;
  const add = async (
    key: KeyName | { secret: string },
    id: string,
    region: string,
    tier: string,
  ) => {
    const created = await call(t, 'POST', '/v1/experts', {
      key,
      json: makeActiveExpert({
        idNumber: undefined,
        id,
        name: `专家${id}`,
        tier,
        region,
        industries: ['metallurgy'],
        employer: { id: `org-${id}`, name: `单位${id}`, kind: 'university' },
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
        panelSize: 4,
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
    await add('wh.admin', 'wh-1', '530102', 'county');
    await add({ secret: panlong }, 'pl-1', '530103', 'county');
    await add({ secret: panlong }, 'pl-2', '530103', 'county');
    await add('km.admin', 'km-1', '530100', 'city');
    await add('km.admin', 'km-2', '530100', 'city');
    await add('dl.admin', 'dl-1', '532900', 'city');
  });
  afterAll(() => t.close());

  it('refuses the draw from its own pools and lists each further step with what it adds (routine work: none pre-approved)', async () => {
    const refused = await request('t-own', '2026-12-14');
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.code).toBe('panel_infeasible');
    const widening = refused.body.widening as WideningBody;
    expect(widening.taken).toEqual([]);
    expect(
      widening.next.map(({ step, widen, addsEligible, feasible, preApproved }) => ({
        step,
        widen,
        addsEligible,
        feasible,
        preApproved,
      })),
    ).toEqual([
      {
        step: 'same_prefecture_counties',
        widen: ['same_prefecture_counties'],
        addsEligible: 2,
        feasible: false,
        preApproved: false,
      },
      {
        step: 'prefecture_pool',
        widen: ['same_prefecture_counties', 'prefecture_pool'],
        addsEligible: 2,
        feasible: true,
        preApproved: false,
      },
      {
        step: 'other_prefectures',
        widen: ['same_prefecture_counties', 'prefecture_pool', 'other_prefectures'],
        addsEligible: 1,
        feasible: true,
        preApproved: false,
      },
    ]);
    expect(widening.next[0]?.label.zh).toBe('本州（市）其他县（市、区）专家库');
  });

  it('refuses a step taken out of the ladder’s order, naming the field', async () => {
    const refused = await request('t-skip', '2026-12-15', { widen: ['prefecture_pool'] });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.code).toBe('validation_failed');
    expect(refused.body.errors?.[0]?.path).toBe('widen');
  });

  it('still refuses after the first step alone, listing the steps left', async () => {
    const refused = await request('t-one', '2026-12-16', { widen: ['same_prefecture_counties'] });
    expect(refused.status, refused.text).toBe(422);
    const widening = refused.body.widening as WideningBody;
    expect(widening.taken).toEqual(['same_prefecture_counties']);
    expect(widening.next.map((option) => option.step)).toEqual([
      'prefecture_pool',
      'other_prefectures',
    ]);
  });

  it('draws from the widened pools when the request names the steps, and records them', async () => {
    const widen = ['same_prefecture_counties', 'prefecture_pool'];
    const drawn = await request('t-wide', '2026-12-17', { widen });
    expect(drawn.status, drawn.text).toBe(201);
    const members = (drawn.body.panel as { expertId: string; role: string }[])
      .filter((seat) => seat.role !== 'alternate')
      .map((seat) => seat.expertId)
      .sort();
    expect(members).toHaveLength(4);
    expect(members.every((id) => !id.startsWith('dl-'))).toBe(true);
    expect((drawn.body.task as { widen: string[] }).widen).toEqual(widen);

    const drawId = (drawn.body.draw as { id: string }).id;
    const verified = await call(t, 'GET', `/v1/draws/${drawId}/verify`, { key: 'wh.auditor' });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body.ok).toBe(true);

    // The draw record shows the steps: in the API and on the printed 抽取记录.
    const record = await call(t, 'GET', `/v1/draws/${drawId}`, { key: 'wh.auditor' });
    expect(record.status, record.text).toBe(200);
    expect(record.body.widen).toEqual(widen);
    const signed = await call(t, 'POST', '/desk/login', {
      body: new URLSearchParams({ key: t.keys['wh.dispatcher'], next: '/desk' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(signed.status, signed.text).toBe(303);
    const cookie = (signed.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const printed = await call(t, 'GET', `/desk/draws/${drawId}/record`, { headers: { cookie } });
    expect(printed.status, printed.text).toBe(200);
    expect(/<span id="record-widen">([^<]*)<\/span>/.exec(printed.text)?.[1]).toBe(
      '本州（市）其他县（市、区）专家库 → 本州（市）级专家库',
    );

    const audit = await call(t, 'GET', '/v1/audit?entityType=draw', { key: 'wh.auditor' });
    expect(audit.status, audit.text).toBe(200);
    const entry = audit.body.items?.find(
      (item) => (item.after as { taskId?: string } | null)?.taskId === 't-wide',
    );
    expect(entry?.after).toMatchObject({ widen, widenedUnasked: false });
  });

  it('widens an accident rescue through the pre-approved steps unasked', async () => {
    const drawn = await request('t-rescue', '2026-12-18', { type: 'accident_rescue' });
    expect(drawn.status, drawn.text).toBe(201);
    expect((drawn.body.task as { widen?: string[] }).widen).toEqual([
      'same_prefecture_counties',
      'prefecture_pool',
    ]);
    const stored = await call(t, 'GET', '/v1/tasks/t-rescue', { key: 'wh.dispatcher' });
    expect((stored.body.task as { widen?: string[] }).widen).toEqual([
      'same_prefecture_counties',
      'prefecture_pool',
    ]);
    // Audited as taken unasked, and shown in the draw record.
    const audit = await call(t, 'GET', '/v1/audit?entityType=draw', { key: 'wh.auditor' });
    const entry = audit.body.items?.find(
      (item) => (item.after as { taskId?: string } | null)?.taskId === 't-rescue',
    );
    expect(entry?.after).toMatchObject({
      widen: ['same_prefecture_counties', 'prefecture_pool'],
      widenedUnasked: true,
    });
    const drawId = (drawn.body.draw as { id: string }).id;
    const record = await call(t, 'GET', `/v1/draws/${drawId}`, { key: 'wh.auditor' });
    expect(record.body.widen).toEqual(['same_prefecture_counties', 'prefecture_pool']);
  });
});
