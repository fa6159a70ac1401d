import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/query-rows.js';
import {
  availableBackends,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { makeTaskRequest, postTask, seedPanelPool } from './task-fixtures.test-helpers.js';

const backends = await availableBackends();

describe.each(backends)('concurrent requests on %s', (kind) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 6, 'e-c');
  });
  afterAll(() => t.close());

  it('never books one expert into overlapping windows, whatever the concurrency (第十五条)', async () => {
    const requests = Array.from({ length: 12 }, (_, i) =>
      postTask(
        t,
        makeTaskRequest({
          id: `t-race-${i}`,
          panelSize: 2,
          alternates: 0,
          specialties: [],
          // Windows shift by an hour, so every pair of tasks overlaps.
          window: {
            from: new Date(Date.parse('2026-04-01T08:00:00+08:00') + i * 3_600_000).toISOString(),
            to: new Date(Date.parse('2026-04-02T18:00:00+08:00') + i * 3_600_000).toISOString(),
          },
        }),
        `key-race-${String(i).padStart(4, '0')}`,
      ),
    );
    const responses = await Promise.all(requests);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 422)).toHaveLength(9);
    const doubleBooked = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n
          from panel_seats a join panel_seats b
            on a.expert_id = b.expert_id and a.id < b.id
           and a.window_from < b.window_to and b.window_from < a.window_to
         where a.state in ('invited', 'accepted') and b.state in ('invited', 'accepted')
           and a.role <> 'alternate' and b.role <> 'alternate'`,
    );
    expect(Number(doubleBooked[0]?.n)).toBe(0);
    const booked = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(distinct expert_id)::int as n from panel_seats where state = 'invited'`,
    );
    expect(Number(booked[0]?.n)).toBe(6);
  });

  it('creates one task for concurrent duplicates of one request', async () => {
    const body = makeTaskRequest({
      id: 't-dup',
      panelSize: 1,
      alternates: 0,
      specialties: [],
      window: { from: '2026-05-01T08:00:00+08:00', to: '2026-05-01T18:00:00+08:00' },
    });
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => postTask(t, body, 'key-dup-0001')),
    );
    const created = responses.filter((r) => r.status === 201);
    const inProgress = responses.filter((r) => r.status === 409);
    expect(created.length + inProgress.length).toBe(6);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const response of created) expect(response.body).toEqual(created[0]?.body);
    expect(created[0]?.body).toMatchObject({ draw: { seedSource: 'service' } });
    for (const response of inProgress)
      expect(response.body).toMatchObject({ code: 'idempotency_in_progress' });
    const tasks = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from tasks where id = 't-dup'`,
    );
    expect(Number(tasks[0]?.n)).toBe(1);
    const draws = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from draws where task_id = 't-dup'`,
    );
    expect(Number(draws[0]?.n)).toBe(1);
  });

  it('creates one task for concurrent duplicates when the service names the task', async () => {
    // No caller id: each attempt inserts a task of its own id before it knows whether the key
    // was free, so only the rollback of the losers keeps the count at one.
    const body = makeTaskRequest({
      panelSize: 1,
      alternates: 0,
      specialties: [],
      window: { from: '2026-05-02T08:00:00+08:00', to: '2026-05-02T18:00:00+08:00' },
    });
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => postTask(t, body, 'key-dup-0002')),
    );
    const created = responses.filter((r) => r.status === 201);
    expect(created.length + responses.filter((r) => r.status === 409).length).toBe(6);
    for (const response of created) expect(response.body).toEqual(created[0]?.body);
    const tasks = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from tasks where window_from = '2026-05-02T08:00:00+08:00'`,
    );
    expect(Number(tasks[0]?.n)).toBe(1);
    const replay = await postTask(t, body, 'key-dup-0002');
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(created[0]?.body);
    const after = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from tasks where window_from = '2026-05-02T08:00:00+08:00'`,
    );
    expect(Number(after[0]?.n)).toBe(1);
  });
});
