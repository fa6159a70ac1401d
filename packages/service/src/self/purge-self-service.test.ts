import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expertLoginCodes, expertSessions } from '../db/schema.js';
import { startScheduler } from '../schedule/start-scheduler.js';
import { seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import { createTestContext, type TestContext } from '../testing/test-backends.test-helpers.js';
import { purgeSelfService } from './purge-self-service.js';

const NOW = new Date('2026-03-03T02:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

/** Expired self-service codes and sessions (第八条（一）) go after SELF_SERVICE_RETENTION_DAYS. */
describe('the self-service purge', () => {
  let t: TestContext;
  let expertId = '';

  const seed = async () => {
    // expires: hours from NOW (negative: expired that long ago)
    const rows: readonly [string, number][] = [
      ['expired-2-days', -48],
      ['expired-1-hour', -1],
      ['valid', 0.1],
    ];
    await t.database.db.insert(expertLoginCodes).values(
      rows.map(([id, expires]) => ({
        id: `code-${id}`,
        expertId,
        phoneKey: 'k',
        salt: 's',
        codeHash: 'h',
        expiresAt: hoursAgo(-expires),
        createdAt: hoursAgo(-expires + 0.1),
      })),
    );
    await t.database.db.insert(expertSessions).values(
      rows.map(([id, expires]) => ({
        tokenHash: `session-${id}`,
        expertId,
        expiresAt: hoursAgo(-expires),
        createdAt: hoursAgo(-expires + 2),
      })),
    );
  };
  const left = async () => ({
    codes: (await t.database.db.select({ id: expertLoginCodes.id }).from(expertLoginCodes))
      .map((row) => row.id)
      .sort(),
    sessions: (await t.database.db.select({ id: expertSessions.tokenHash }).from(expertSessions))
      .map((row) => row.id)
      .sort(),
  });

  beforeAll(async () => {
    t = await createTestContext('pglite');
    expertId = (await seedPanelPool(t, 1))[0] ?? '';
    expect(expertId).not.toBe('');
  }, 60_000);
  afterAll(() => t.close());

  it.each<[number, string[]]>([
    [1, ['expired-1-hour', 'valid']],
    [0, ['valid']],
  ])('keeps what expired less than %i day(s) ago and every valid one', async (days, kept) => {
    await t.database.db.delete(expertLoginCodes);
    await t.database.db.delete(expertSessions);
    await seed();
    const purged = await purgeSelfService(t.database.db, NOW, days);
    expect(purged).toEqual({ loginCodes: 3 - kept.length, sessions: 3 - kept.length });
    expect(await left()).toEqual({
      codes: kept.map((id) => `code-${id}`).sort(),
      sessions: kept.map((id) => `session-${id}`).sort(),
    });
  });

  it('runs in the daily retention_purge job, once a day', async () => {
    await t.database.db.delete(expertLoginCodes);
    await t.database.db.delete(expertSessions);
    await seed();
    t.clock.set(NOW.toISOString());
    const scheduler = startScheduler(
      { db: t.database.db, logger: t.services.logger, now: t.clock.now, ruleSet: yunnanGmy2025 },
      {
        intervalMs: 3_600_000,
        digestContacts: [],
        retention: { idempotencyKeyDays: 30, outboxDays: 7, selfServiceDays: 1 },
      },
    );
    const report = await scheduler.tickNow();
    await scheduler.close();
    expect(report.retention_purge).toMatchObject({
      ran: true,
      result: { loginCodes: 1, sessions: 1, selfServiceDays: 1 },
    });
    expect((await left()).codes).toEqual(['code-expired-1-hour', 'code-valid']);
  });
});
