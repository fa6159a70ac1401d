import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, idempotencyKeys, outbox } from '../db/schema.js';
import { postTaskOnDay, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import {
  availableBackends,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { purgeExpired } from './purge-expired.js';
import { startScheduler } from './start-scheduler.js';

const backends = await availableBackends();

/** A day after the test clock's start, when the task below is posted (its key is young). */
const NOW = new Date('2026-03-03T02:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

describe.each(backends)('the retention purge on %s', (kind) => {
  let t: TestContext;
  let taskOutbox: string[];
  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 8);
    await postTaskOnDay(t, 't-purge', '2026-09-01');
    // The task's notifications, as if relayed long ago, their deliveries still pending.
    taskOutbox = (await t.database.db.select({ id: deliveries.outboxId }).from(deliveries)).map(
      (row) => row.id,
    );
    expect(taskOutbox.length).toBeGreaterThan(0);
    await t.database.db
      .update(outbox)
      .set({ relayedAt: daysAgo(40), createdAt: daysAgo(40), runAt: daysAgo(40) })
      .where(inArray(outbox.id, taskOutbox));
    await t.database.db.insert(idempotencyKeys).values([
      {
        key: 'old-answered',
        authorityId: 'yn-yjt',
        requestHash: 'h',
        responseStatus: 201,
        responseBody: {},
        createdAt: daysAgo(40),
      },
      { key: 'old-in-flight', authorityId: 'yn-yjt', requestHash: 'h', createdAt: daysAgo(40) },
      {
        key: 'mid-answered',
        authorityId: 'yn-yjt',
        requestHash: 'h',
        responseStatus: 201,
        responseBody: {},
        createdAt: daysAgo(20),
      },
      {
        key: 'young-answered',
        authorityId: 'km-yjj',
        requestHash: 'h',
        responseStatus: 409,
        responseBody: {},
        createdAt: daysAgo(1),
      },
    ]);
    const row = (id: string, days: number, relayed: boolean, runInDays = 0) => ({
      id,
      kind: 'task_callback',
      payload: { taskId: 't-purge' },
      runAt: daysAgo(days - runInDays),
      relayedAt: relayed ? daysAgo(days) : null,
      createdAt: daysAgo(days),
    });
    await t.database.db.insert(outbox).values([
      row('ob-old-relayed', 10, true),
      row('ob-old-unrelayed', 10, false),
      row('ob-old-due-later', 10, true, 9), // a delayed job, due yesterday
      row('ob-young-relayed', 2, true),
    ]);
  });
  afterAll(() => t.close());

  const keysLeft = async () =>
    (await t.database.db.select({ key: idempotencyKeys.key }).from(idempotencyKeys))
      .map((r) => r.key)
      .filter((k) => k !== 'key-t-purge') // the task's own, a day old
      .sort();
  const outboxLeft = async (ids: string[]) =>
    (await t.database.db.select({ id: outbox.id }).from(outbox).where(inArray(outbox.id, ids)))
      .map((r) => r.id)
      .sort();

  it('keeps idempotency keys for the retention given, and any still in flight', async () => {
    const ids = ['ob-old-relayed', 'ob-old-unrelayed', 'ob-old-due-later', 'ob-young-relayed'];
    // A retention longer than every row: nothing goes.
    expect(
      await purgeExpired(t.database.db, NOW, { idempotencyKeyDays: 60, outboxDays: 60 }),
    ).toEqual({ idempotencyKeys: 0, outbox: 0 });
    const first = await purgeExpired(t.database.db, NOW, { idempotencyKeyDays: 30, outboxDays: 7 });
    expect(first.idempotencyKeys).toBe(1);
    expect(await keysLeft()).toEqual(['mid-answered', 'old-in-flight', 'young-answered']);
    // Relayed and due more than 7 days ago goes; unrelayed, due lately or young stays; so do the
    // task's notifications, whose deliveries are unfinished.
    expect(first.outbox).toBe(1);
    expect(await outboxLeft(ids)).toEqual([
      'ob-old-due-later',
      'ob-old-unrelayed',
      'ob-young-relayed',
    ]);
    expect(await outboxLeft(taskOutbox)).toEqual([...taskOutbox].sort());
    // A shorter retention takes more.
    const second = await purgeExpired(t.database.db, NOW, {
      idempotencyKeyDays: 10,
      outboxDays: 1,
    });
    expect(second.idempotencyKeys).toBe(1);
    expect(await keysLeft()).toEqual(['old-in-flight', 'young-answered']);
    // Due exactly a day ago is not yet past a day's retention.
    expect(await outboxLeft(ids)).toEqual(['ob-old-due-later', 'ob-old-unrelayed']);
  });

  it('purges a notification’s outbox row once its delivery is finished', async () => {
    const [first] = taskOutbox;
    await t.database.db
      .update(deliveries)
      .set({ state: 'sent', sentAt: daysAgo(40) })
      .where(eq(deliveries.outboxId, first ?? ''));
    const purged = await purgeExpired(t.database.db, NOW, {
      idempotencyKeyDays: 30,
      outboxDays: 7,
    });
    expect(purged.outbox).toBe(1);
    expect(await outboxLeft(taskOutbox)).not.toContain(first);
    // The delivery itself is a record and stays.
    const [delivery] = await t.database.db
      .select({ state: deliveries.state })
      .from(deliveries)
      .where(eq(deliveries.outboxId, first ?? ''));
    expect(delivery?.state).toBe('sent');
  });

  it('runs daily from the scheduler, once, with an audit entry of what it removed', async () => {
    await t.database.db.insert(idempotencyKeys).values({
      key: 'sched-old',
      authorityId: 'yn-yjt',
      requestHash: 'h',
      responseStatus: 201,
      responseBody: {},
      createdAt: daysAgo(45),
    });
    t.clock.set(NOW.toISOString());
    const scheduler = startScheduler(
      { db: t.database.db, logger: t.services.logger, now: t.clock.now, ruleSet: yunnanGmy2025 },
      {
        intervalMs: 3_600_000,
        digestContacts: [],
        retention: { idempotencyKeyDays: 30, outboxDays: 7 },
      },
    );
    const report = await scheduler.tickNow();
    const again = await scheduler.tickNow();
    await scheduler.close();
    expect(report.retention_purge).toMatchObject({
      ran: true,
      result: { idempotencyKeys: 1, idempotencyKeyDays: 30, outboxDays: 7 },
    });
    expect(again.retention_purge).toEqual({ ran: false });
    const audited = await t.database.db.execute(
      sql`select count(*)::int as n from audit_log where action = 'retention.purged'`,
    );
    const rows = Array.isArray(audited) ? audited : (audited as { rows: unknown[] }).rows;
    expect(rows).toEqual([{ n: 1 }]);
  });
});
