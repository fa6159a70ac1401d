import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeActiveExpert, makeExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type KeyName,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

/** A made-up 2027: 元旦 on Friday 1 January to Sunday 3 January, 春节 with one make-up Saturday. */
const MADE_UP_2027 = {
  holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-02-06', '2027-02-07', '2027-02-08'],
  makeupWorkdays: ['2027-02-13'],
  reason: '测试用2027年安排',
};

describe.each(backends)('the working-day calendar as data (第十条（四）) on %s', (kind) => {
  let t: TestContext;
  const put = (year: string, json: unknown, key: KeyName = 'yn.admin') =>
    call(t, 'PUT', `/v1/calendar/${year}`, { key, json });
  const act = (id: string, action: string, json: unknown = { reason: '按程序办理' }) =>
    call(t, 'POST', `/v1/experts/${id}/actions/${action}`, { key: 'yn.admin', json });

  /** An applicant whose review was approved on the clock's day. */
  async function approvedApplicant(id: string) {
    const created = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeExpert({ id, idNumber: undefined, name: `公示${id}` }),
    });
    expect(created.status).toBe(201);
    for (const action of ['recommend', 'start-review', 'approve']) {
      expect((await act(id, action)).status).toBe(200);
    }
  }

  beforeAll(async () => {
    t = await createTestContext(kind);
  });
  afterAll(() => t.close());

  it('ships 2025 and 2026 as the first rows, readable with any key', async () => {
    const year = await call(t, 'GET', '/v1/calendar/2026', { key: 'wh.viewer' });
    expect(year.status).toBe(200);
    expect(year.body).toMatchObject({ year: 2026, source: 'china-national-2025-2026' });
    expect(year.body.holidays).toContain('2026-10-01');
    expect(year.body.makeupWorkdays).toContain('2026-02-14');
    expect((await call(t, 'GET', '/v1/calendar/2025', { key: 'km.auditor' })).status).toBe(200);
    expect((await call(t, 'GET', '/v1/calendar/2026')).status).toBe(401);
  });

  it('answers 404 for a year not loaded', async () => {
    const missing = await call(t, 'GET', '/v1/calendar/2030', { key: 'yn.viewer' });
    expect(missing.status).toBe(404);
    expect(missing.body.detailZh).toBe('尚未载入2030年的工作日历');
  });

  it.each<[string, KeyName]>([
    ['a city admin', 'km.admin'],
    ['a county admin', 'wh.admin'],
    ['a provincial dispatcher', 'yn.dispatcher'],
  ])('lets only a provincial admin load a year, not %s', async (_who, key) => {
    const before = await countAuditEntries(t);
    const refused = await put('2031', MADE_UP_2027, key);
    expect(refused.status).toBe(403);
    expect(await countAuditEntries(t)).toBe(before);
  });

  it.each([
    ['a holiday of another year', { holidays: ['2026-12-31'], makeupWorkdays: [] }, 'holidays.0'],
    [
      'a make-up day on a weekday',
      { holidays: [], makeupWorkdays: ['2027-01-04'] },
      'makeupWorkdays.0',
    ],
    ['a date twice', { holidays: ['2027-01-01', '2027-01-01'], makeupWorkdays: [] }, 'holidays'],
    [
      'a day both off and worked',
      { holidays: ['2027-02-13'], makeupWorkdays: ['2027-02-13'] },
      'makeupWorkdays.0',
    ],
    ['a malformed date', { holidays: ['2027-13-01'], makeupWorkdays: [] }, 'holidays.0'],
    ['an unknown field', { holidays: [], makeupWorkdays: [], weekends: [6, 0] }, 'weekends'],
  ])('refuses %s with the path of the bad entry', async (_name, body, path) => {
    const refused = await put('2027', body);
    expect(refused.status).toBe(422);
    expect(refused.body.errors?.map((e) => e.path)).toContain(path);
  });

  it('refuses a renewal notice reaching 2027 while 2027 is missing (第十一条, 第十条（四）)', async () => {
    t.clock.set('2026-12-28T09:00:00+08:00');
    const created = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({ id: 'cal-r', idNumber: undefined, name: '续聘甲' }),
    });
    expect(created.status, created.text).toBe(201);
    const refused = await act('cal-r', 'start-renewal-notice');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'calendar_year_unknown', year: 2027 });
    expect(refused.body.detailZh).toContain('尚未载入2027年的节假日安排');
  });

  it('refuses a 2027 notice until 2027 is loaded, then counts over 元旦 2027 (第十条（四）)', async () => {
    t.clock.set('2026-12-28T09:00:00+08:00'); // a Monday
    await approvedApplicant('cal-1');
    const refused = await act('cal-1', 'start-public-notice');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'calendar_year_unknown', year: 2027 });
    expect(refused.body.detailZh).toContain('尚未载入2027年的节假日安排');
    expect(refused.body.errors).toEqual([
      { path: 'on', message: 'reaches 2027, a year without calendar data' },
    ]);
    expect((await call(t, 'GET', '/v1/experts/cal-1', { key: 'yn.admin' })).body.status).toBe(
      'under_review',
    );

    const before = await countAuditEntries(t);
    const loaded = await put('2027', MADE_UP_2027);
    expect(loaded.status).toBe(200);
    expect(loaded.body).toMatchObject({ year: 2027, source: null });
    expect(await countAuditEntries(t)).toBe(before + 1);
    const audit = await call(t, 'GET', '/v1/audit?entityType=calendar_year', { key: 'yn.auditor' });
    expect(audit.body.items?.at(-1)).toMatchObject({
      action: 'calendar.year_set',
      entityId: '2027',
      reason: '测试用2027年安排',
    });

    // Dec 28, 29, 30, 31, then 元旦 1–3 January, then Monday 4 January.
    const notice = await act('cal-1', 'start-public-notice');
    expect(notice.status).toBe(200);
    expect(notice.body.selection).toMatchObject({
      publicNotice: { start: '2026-12-28', end: '2027-01-04', workingDays: 5 },
    });
  });

  it('sees a changed year at once in this process', async () => {
    // 4 January made a holiday too: from 29 December, 29, 30, 31, then 5 and 6 January.
    const changed = await put('2027', {
      ...MADE_UP_2027,
      holidays: [...MADE_UP_2027.holidays, '2027-01-04'],
    });
    expect(changed.status).toBe(200);
    t.clock.set('2026-12-29T09:00:00+08:00');
    await approvedApplicant('cal-2');
    const notice = await act('cal-2', 'start-public-notice');
    expect(notice.body.selection).toMatchObject({
      publicNotice: { start: '2026-12-29', end: '2027-01-06' },
    });
  });

  it.each([
    ['the day before the approval', '2026-12-29', 'before_approval'],
    ['two working days back', '2026-12-29', 'too_far_in_the_past'],
  ])(
    'refuses a notice start %s with the field path (第十条（三）（四）)',
    async (name, approvedDay) => {
      t.clock.set(`${approvedDay}T09:00:00+08:00`);
      const id = name.includes('approval') ? 'cal-3' : 'cal-4';
      await approvedApplicant(id);
      const on = name.includes('approval') ? '2026-12-28' : '2026-12-29';
      if (!name.includes('approval')) t.clock.set('2026-12-31T09:00:00+08:00');
      const refused = await act(id, 'start-public-notice', { reason: '公示', on });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('validation_failed');
      expect(refused.body.errors?.map((e) => e.path)).toEqual(['on']);
      expect(refused.body.detailZh).toContain('公示开始日期2026年');
    },
  );

  it('accepts a notice recorded the working day after it was put up', async () => {
    t.clock.set('2026-12-30T09:00:00+08:00');
    await approvedApplicant('cal-5');
    t.clock.set('2026-12-31T09:00:00+08:00');
    const notice = await act('cal-5', 'start-public-notice', { reason: '公示', on: '2026-12-30' });
    expect(notice.status).toBe(200);
  });
});
