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

  it('applies only the changed experts to the cached pool, equal to reading the pool whole (#17)', async () => {
    const owner = freshOwner();
    const first = await loadPreparedPool(t.database.db, principal, owner);
    expect(first.loadedBy).toBe('full');
    expect(first.pool.digest.startsWith('pool-digest@2:')).toBe(true);
    await t.database.db.execute(
      sql`update experts set practice_years = practice_years + 1 where id = 'e-rev005'`,
    );
    await t.database.db.execute(sql`update experts set status = 'suspended' where id = 'e-rev006'`);
    const after = await loadPreparedPool(t.database.db, principal, owner);
    expect(after.loadedBy).toBe('changes');
    const whole = await loadPreparedPool(t.database.db, principal, freshOwner());
    expect(whole.loadedBy).toBe('full');
    expect(after.pool.digest).toBe(whole.pool.digest);
    expect(after.pool.experts).toEqual(whole.pool.experts);
    expect(after.pool.digest).not.toBe(first.pool.digest);
    // A removed expert leaves the pool the same way.
    await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`delete from certificates where expert_id = 'e-rev006'`);
      await tx.execute(sql`delete from experts where id = 'e-rev006'`);
    });
    const removed = await loadPreparedPool(t.database.db, principal, owner);
    expect(removed.loadedBy).toBe('changes');
    expect(removed.pool.indexOf.has('e-rev006')).toBe(false);
    expect(removed.pool.digest).toBe(
      (await loadPreparedPool(t.database.db, principal, freshOwner())).pool.digest,
    );
  });

  it('reads the pool whole when the log cannot say what changed: a revision without entries, or a change to who is the same person', async () => {
    const owner = freshOwner();
    await loadPreparedPool(t.database.db, principal, owner);
    // A revision counted with nothing logged, as a TRUNCATE or pruned entries leave it.
    await t.database.db.execute(sql`update pool_revision set revision = revision + 1 where id = 1`);
    expect((await loadPreparedPool(t.database.db, principal, owner)).loadedBy).toBe('full');
    // The same name and birth date as another record: person ids may have moved (第十五条).
    await t.database.db.execute(
      sql`update experts set name = o.name, birth_date = o.birth_date
            from experts o where o.id = 'e-rev001' and experts.id = 'e-rev002'`,
    );
    const linked = await loadPreparedPool(t.database.db, principal, owner);
    expect(linked.loadedBy).toBe('full');
    const [change] = await queryRows<{ linked: boolean }>(
      t.database.db,
      sql`select linked from pool_changes where expert_id = 'e-rev002' order by revision desc limit 1`,
    );
    expect(change?.linked).toBe(true);
  });
});
