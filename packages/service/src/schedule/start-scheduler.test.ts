import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notices, outbox, scheduledRuns } from '../db/schema.js';
import { addActiveExperts, declineAsLeader } from '../tasks/task-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { runOncePerPeriod } from './run-once-per-period.js';
import { type Scheduler, startScheduler } from './start-scheduler.js';

const backends = await availableBackends();

const DIGEST_TO = { channel: 'webhook', address: 'https://aqjg.example.gov.cn/digest' } as const;

describe.each(backends)('scheduled jobs on %s', (kind) => {
  let t: TestContext;
  const running: Scheduler[] = [];
  const start = () => {
    const scheduler = startScheduler(
      { db: t.database.db, logger: t.services.logger, now: t.clock.now, ruleSet: yunnanGmy2025 },
      { intervalMs: 3_600_000, digestContacts: [DIGEST_TO] },
    );
    running.push(scheduler);
    return scheduler;
  };
  /** One tick of a fresh scheduler at `at`, closed again. */
  const tickAt = async (at: string) => {
    t.clock.set(at);
    const scheduler = start();
    const report = await scheduler.tickNow();
    await scheduler.close();
    return report;
  };
  const noticesOf = (noticeKind: string) =>
    t.database.db
      .select()
      .from(notices)
      .where(eq(notices.kind, noticeKind))
      .orderBy(asc(notices.createdAt));
  const auditOf = async (id: string) =>
    (await call(t, 'GET', `/v1/audit?entityType=expert&entityId=${id}`, { key: 'yn.auditor' })).body
      .items ?? [];

  beforeAll(async () => {
    t = await createTestContext(kind);
    const experts = [
      ['s-lapse', { appointment: { from: '2023-12-01', to: '2026-11-30', sealed: true } }],
      ['s-stale', { profileUpdatedAt: '2025-10-01T10:00:00+08:00' }],
      ['s-refuse', {}],
      ['s-old', { birthDate: '1962-05-01' }],
      ['s-fresh', {}],
      ['s-spare', {}],
    ] as const;
    await addActiveExperts(t, experts);
    await declineAsLeader(t, 's-refuse', '2026-03-02T09:00:00+08:00', 't-refused-1', '2026-03-20');
    await declineAsLeader(t, 's-refuse', '2026-05-20T09:00:00+08:00', 't-refused-2', '2026-06-10');
  });
  afterAll(async () => {
    await Promise.all(running.map((scheduler) => scheduler.close()));
    await t.close();
  });

  it('keeps a term ending 2026-11-30 in force to the last second of that day (第十一条)', async () => {
    const report = await tickAt('2026-11-30T23:59:59+08:00');
    expect(report.term_lapse).toEqual({ ran: true, result: { expired: 0, experts: [] } });
    expect((await call(t, 'GET', '/v1/experts/s-lapse', { key: 'yn.admin' })).body.status).toBe(
      'active',
    );
  });

  it('lapses it on 2026-12-01 in Shanghai, once, however many schedulers run', async () => {
    t.clock.set('2026-12-01T00:00:00+08:00'); // 2026-11-30T16:00Z: already December in Kunming
    const [a, b] = [start(), start()];
    const reports = await Promise.all([a.tickNow(), b.tickNow()]);
    await Promise.all([a.close(), b.close()]);
    const lapses = reports.map((report) => report.term_lapse);
    expect(lapses).toEqual(
      expect.arrayContaining([
        { ran: true, result: { expired: 1, experts: ['s-lapse'] } },
        { ran: false },
      ]),
    );
    const digests = reports.map((report) => report.monthly_digest?.ran);
    expect(digests.sort()).toEqual([false, true]);
    const runs = await t.database.db
      .select()
      .from(scheduledRuns)
      .where(eq(scheduledRuns.period, '2026-12-01'));
    expect(runs.map((run) => run.job).sort()).toEqual(['profile_reminder', 'term_lapse']);

    expect((await call(t, 'GET', '/v1/experts/s-lapse', { key: 'yn.admin' })).body.status).toBe(
      'expired',
    );
    const expiries = (await auditOf('s-lapse')).filter((e) => e.action === 'expert.expire');
    expect(expiries).toHaveLength(1);
    expect(expiries[0]).toMatchObject({
      actorKeyId: 'system:scheduler',
      reason: expect.stringContaining('第十一条'),
      after: { status: 'expired', lifecycleAction: { article: '第十一条', on: '2026-12-01' } },
    });
    const lapsed = await noticesOf('term_lapsed');
    expect(lapsed.map((n) => n.expertId)).toEqual(['s-lapse']);
    expect(lapsed[0]?.body).toContain('2026年11月30日');
  });

  it('does nothing more on a later tick of the same day', async () => {
    const report = await tickAt('2026-12-01T15:00:00+08:00');
    expect(report).toEqual({
      term_lapse: { ran: false },
      profile_reminder: { ran: false },
      monthly_digest: { ran: false },
      calendar_check: { ran: false },
    });
  });

  it('reminds a stale profile at most once a month (第八条（一）)', async () => {
    // Reminded on 2026-11-30 (the first tick): not on 12-01 nor 12-29, again on 12-30.
    const remindedOn = async () =>
      (await noticesOf('profile_reminder')).map(
        (n) => `${n.expertId}@${n.createdAt.toISOString()}`,
      );
    expect(await remindedOn()).toEqual(['s-stale@2026-11-30T15:59:59.000Z']);
    await tickAt('2026-12-29T09:00:00+08:00');
    expect(await remindedOn()).toHaveLength(1);
    await tickAt('2026-12-30T09:00:00+08:00');
    expect(await remindedOn()).toEqual([
      's-stale@2026-11-30T15:59:59.000Z',
      's-stale@2026-12-30T01:00:00.000Z',
    ]);
    const [reminder] = await noticesOf('profile_reminder');
    expect(reminder?.body).toContain('第八条（一）');
    const [queued] = await t.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.kind, 'deliver_notice'));
    expect(queued).toBeDefined();
  });

  it('sends the department one digest a month with the lists and their evidence', async () => {
    const digests = await noticesOf('monthly_digest');
    expect(digests.map((n) => n.subject)).toEqual([
      '省级工贸专家库2026年11月月度提示',
      '省级工贸专家库2026年12月月度提示',
    ]);
    expect(digests.every((n) => n.contact?.address === DIGEST_TO.address)).toBe(true);
    const december = digests[1]?.body ?? '';
    const line = (id: string) => december.split('\n').find((l) => l.includes(`（${id}）`)) ?? '';
    expect(line('s-refuse')).toMatch(/第二十三条（一）.*t-refused-1.*t-refused-2/);
    expect(line('s-refuse')).not.toMatch(/\d{4}-\d\d-\d\d|declined|timed_out/);
    expect(line('s-stale')).toContain('第八条（一）');
    expect(line('s-lapse')).toContain('第十一条');
    expect(line('s-old')).toContain('第九条（五）');
    expect(line('s-fresh')).toBe('');
    expect(december).not.toMatch(/1\d{10}|5301\d{14}|1962-05-01/);
  });
});

describe.each(backends)('runOncePerPeriod on %s', (kind) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(kind);
  });
  afterAll(() => t.close());

  it('rolls a failed run back with its claim, so the next tick runs the period', async () => {
    const now = new Date('2026-12-01T09:00:00+08:00');
    await expect(
      runOncePerPeriod(t.database.db, 'probe', '2026-12', now, async () => {
        throw new Error('gateway down');
      }),
    ).rejects.toThrow('gateway down');
    const run = () =>
      runOncePerPeriod(t.database.db, 'probe', '2026-12', now, async () => ({
        result: { done: true },
        audit: [],
      }));
    expect(await run()).toEqual({ ran: true, result: { done: true } });
    expect(await run()).toEqual({ ran: false });
  });
});
