import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from '../../db/open-database.js';
import { deliveries, panelSeats } from '../../db/schema.js';
import { postTaskOnDay, seedPanelPool } from '../../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../../tasks/task-view.js';
import {
  availableBackends,
  createTestContext,
  type TestContext,
} from '../../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

/** The statements of migration 0011 that rewrite rows written before it (its last two). */
const DATA_STATEMENTS = readFileSync(join(MIGRATIONS_FOLDER, '0011_seat_outcomes.sql'), 'utf8')
  .split('--> statement-breakpoint')
  .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
  .filter((statement) => statement.startsWith('UPDATE'));

describe.each(backends)('migration 0011 on rows written before it, on %s', (kind) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 8);
  });
  afterAll(() => t.close());

  const seatOf = async (id: number) => {
    const [row] = await t.database.db.select().from(panelSeats).where(eq(panelSeats.id, id));
    return row;
  };

  it('records the first receipt, and turns a time-out that was never delivered into undeliverable', async () => {
    expect(DATA_STATEMENTS).toHaveLength(2);
    const created = await postTaskOnDay(t, 't-mig-0011', '2026-09-01');
    const [delivered, failed, open] = (created.body as unknown as TaskView).panel.filter(
      (s) => s.state === 'invited',
    ) as [TaskView['panel'][number], TaskView['panel'][number], TaskView['panel'][number]];
    const sentAt = new Date('2026-08-20T01:00:00Z');
    const db = t.database.db;
    // As the service before 0011 left them: a time-out after a sent notification, a time-out
    // after a notification that failed for good (then treated as unanswered), an open one.
    await db
      .update(deliveries)
      .set({ state: 'sent', sentAt })
      .where(eq(deliveries.seatId, Number(delivered.invitationId)));
    await db
      .update(deliveries)
      .set({ state: 'failed', failedAt: sentAt })
      .where(eq(deliveries.seatId, Number(failed.invitationId)));
    await db.execute(
      sql`update panel_seats set state = 'timed_out'
          where id in (${Number(delivered.invitationId)}, ${Number(failed.invitationId)})`,
    );
    for (const statement of DATA_STATEMENTS) await db.execute(sql.raw(statement));
    expect(await seatOf(Number(delivered.invitationId))).toMatchObject({
      state: 'timed_out',
      deliveredAt: sentAt,
    });
    expect(await seatOf(Number(failed.invitationId))).toMatchObject({
      state: 'undeliverable',
      deliveredAt: null,
    });
    expect(await seatOf(Number(open.invitationId))).toMatchObject({
      state: 'invited',
      deliveredAt: null,
    });
  });
});
