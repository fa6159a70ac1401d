import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/query-rows.js';
import type { Principal } from '../http/app-env.js';
import {
  availableBackends,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { loadPreparedPool } from './load-pool.js';
import { seedPanelPool } from './task-fixtures.test-helpers.js';

const backends = await availableBackends();

describe.each(backends)('the prepared pool and its revision on %s', (kind) => {
  let t: TestContext;
  const principal: Principal = {
    keyId: 'k-test',
    authorityId: 'yn-yjt',
    role: 'dispatcher',
    tier: 'province',
    region: '530000',
  };
  const revision = async () => {
    const [row] = await queryRows<{ revision: string }>(
      t.database.db,
      sql`select revision::text as revision from pool_revision where id = 1`,
    );
    return Number(row?.revision);
  };
  /** An owner of its own, so that each case starts with an empty cache. */
  const freshOwner = () => ({});

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 6, 'e-rev');
  });
  afterAll(() => t.close());

  it('counts the revision up once per committed transaction that changed experts', async () => {
    const before = await revision();
    await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`update experts set name = name || '' where id like 'e-rev%'`);
      await tx.execute(sql`update experts set name = name || '' where id = 'e-rev001'`);
    });
    expect(await revision()).toBe(before + 1);
  });

  it('leaves the revision alone when the change rolls back', async () => {
    const before = await revision();
    await expect(
      t.database.db.transaction(async (tx) => {
        await tx.execute(sql`update experts set name = 'x' where id = 'e-rev002'`);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await revision()).toBe(before);
  });

  it('reuses the prepared pool until an expert changes, then reads the change', async () => {
    const owner = freshOwner();
    const first = await loadPreparedPool(t.database.db, principal, owner);
    const again = await loadPreparedPool(t.database.db, principal, owner);
    expect(again.pool).toBe(first.pool);
    // Written straight to the table, as another process or a console would.
    await t.database.db.execute(sql`update experts set status = 'suspended' where id = 'e-rev003'`);
    const after = await loadPreparedPool(t.database.db, principal, owner);
    expect(after.pool).not.toBe(first.pool);
    const index = after.pool.indexOf.get('e-rev003');
    expect(index === undefined ? undefined : after.pool.experts[index]?.status).toBe('suspended');
  });

  it('shares one load among draws that find the same new revision at once (#17)', async () => {
    const owner = freshOwner();
    const first = await loadPreparedPool(t.database.db, principal, owner);
    await t.database.db.execute(sql`update experts set name = name || '' where id = 'e-rev004'`);
    // Each in a transaction of its own, as concurrent requests are.
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map(() =>
        t.database.db.transaction((tx) => loadPreparedPool(tx, principal, owner)),
      ),
    );
    expect(a?.pool).not.toBe(first.pool);
    expect([b?.pool, c?.pool]).toEqual([a?.pool, a?.pool]);
    expect(b?.pool).toBe(a?.pool);
    // The shared load is over: the next change is loaded afresh.
    await t.database.db.execute(sql`update experts set name = name || '' where id = 'e-rev004'`);
    const next = await loadPreparedPool(t.database.db, principal, owner);
    expect(next.pool).not.toBe(a?.pool);
  });
});
