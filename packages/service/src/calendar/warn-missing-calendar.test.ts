import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notices } from '../db/schema.js';
import { type Scheduler, startScheduler } from '../schedule/start-scheduler.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

const DEPARTMENT = { channel: 'webhook', address: 'https://aqjg.example.gov.cn/calendar' } as const;

describe.each(backends)('warning while next year’s calendar is missing on %s', (kind) => {
  let t: TestContext;
  const running: Scheduler[] = [];
  const tickAt = async (at: string) => {
    t.clock.set(at);
    const scheduler = startScheduler(
      { db: t.database.db, logger: t.services.logger, now: t.clock.now, ruleSet: yunnanGmy2025 },
      { intervalMs: 3_600_000, digestContacts: [DEPARTMENT] },
    );
    running.push(scheduler);
    const report = await scheduler.tickNow();
    await scheduler.close();
    return report.calendar_check;
  };
  const warnings = () =>
    t.database.db.select().from(notices).where(eq(notices.kind, 'calendar_missing'));
  const listsOn = async (on: string) =>
    (await call(t, 'GET', `/v1/reports/lists?on=${on}`, { key: 'yn.auditor' })).body;

  beforeAll(async () => {
    t = await createTestContext(kind);
  });
  afterAll(async () => {
    await Promise.all(running.map((scheduler) => scheduler.close()));
    await t.close();
  });

  it('says nothing in October, to its last second in Beijing', async () => {
    expect(await tickAt('2026-10-31T23:59:59+08:00')).toEqual({
      ran: true,
      result: { missing: null, warned: 0 },
    });
    expect(await warnings()).toHaveLength(0);
    expect((await listsOn('2026-10-31')).calendarWarnings).toEqual([]);
  });

  it('warns the department from 1 November, once a week, and lists the missing year', async () => {
    // Midnight in Beijing, still 31 October in UTC.
    expect(await tickAt('2026-10-31T16:00:00Z')).toEqual({
      ran: true,
      result: { missing: 2027, warned: 1 },
    });
    expect(await tickAt('2026-11-03T09:00:00+08:00')).toEqual({ ran: false });
    const sent = await warnings();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      contact: DEPARTMENT,
      subject: '请载入2027年工作日历（节假日安排）',
    });
    expect((await listsOn('2026-11-03')).calendarWarnings).toMatchObject([
      { year: 2027, since: '2026-11-01', article: '第十条（四）' },
    ]);
  });

  it('stops once 2027 is loaded', async () => {
    t.clock.set('2026-11-05T09:00:00+08:00');
    const loaded = await call(t, 'PUT', '/v1/calendar/2027', {
      key: 'yn.admin',
      json: { holidays: ['2027-01-01'], makeupWorkdays: [] },
    });
    expect(loaded.status).toBe(200);
    expect(await tickAt('2026-11-08T09:00:00+08:00')).toEqual({
      ran: true,
      result: { missing: null, warned: 0 },
    });
    expect(await warnings()).toHaveLength(1);
    expect((await listsOn('2026-11-08')).calendarWarnings).toEqual([]);
  });
});
