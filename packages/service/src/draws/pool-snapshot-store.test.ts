import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/query-rows.js';
import { draws, poolBlockLists, poolBlocks, poolSnapshots } from '../db/schema.js';
import type { Principal } from '../http/app-env.js';
import { loadPreparedPool } from '../tasks/load-pool.js';
import { makeTaskRequest, postTask, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { blockListsOf, loadSnapshotExperts, storePoolSnapshot } from './pool-snapshot-store.js';

const backends = await availableBackends();

describe.each(backends)('pool snapshots stored as expert versions (#17) on %s', (kind) => {
  let t: TestContext;
  let firstDraw = '';
  const principal: Principal = {
    keyId: 'k-test',
    authorityId: 'yn-yjt',
    role: 'dispatcher',
    tier: 'province',
    region: '530000',
  };
  const counts = async () => {
    const [row] = await queryRows<{ versions: number; blocks: number; lists: number }>(
      t.database.db,
      sql`select (select count(*) from expert_versions)::int as versions,
                 (select count(*) from pool_blocks)::int as blocks,
                 (select count(*) from pool_block_lists)::int as lists`,
    );
    return row;
  };
  const drawOf = async (id: string) => {
    const created = await postTask(t, makeTaskRequest({ id }), `key-${id}`);
    expect(created.status).toBe(201);
    return (created.body as unknown as TaskView).draw?.id ?? '';
  };
  const verified = async (drawId: string) =>
    (await call(t, 'GET', `/v1/draws/${drawId}/verify`, { key: 'yn.auditor' })).body;
  const exported = async (drawId: string) =>
    (await call(t, 'GET', `/v1/draws/${drawId}/export`, { key: 'yn.auditor' })).body as {
      input: { experts: { id: string; practiceYears: number }[] };
    };

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 8, 'e-sv');
  });
  afterAll(() => t.close());

  it('writes each expert version once: a change to one expert adds one version and one block, and every draw replays from its own versions', async () => {
    const first = await drawOf('t-sv-1');
    firstDraw = first;
    const [row] = await t.database.db.select().from(draws).where(eq(draws.id, first));
    const digest = row?.poolSnapshotDigest ?? '';
    expect(digest.startsWith('pool-digest@2:')).toBe(true);
    const [snapshot] = await t.database.db
      .select()
      .from(poolSnapshots)
      .where(eq(poolSnapshots.digest, digest));
    expect(snapshot?.experts).toBeNull();
    expect(snapshot?.blocks).toBeNull();
    expect(snapshot?.blockLists?.length).toBe(1);
    const before = await counts();
    const pool = (await exported(first)).input.experts;

    await t.database.db.execute(
      sql`update experts set practice_years = practice_years + 1 where id = 'e-sv003'`,
    );
    const second = await drawOf('t-sv-2');
    const after = await counts();
    expect(after).toEqual({
      versions: (before?.versions ?? 0) + 1,
      blocks: (before?.blocks ?? 0) + 1,
      lists: (before?.lists ?? 0) + 1,
    });
    // A process that starts afresh (nothing known) finds the blocks committed: writes nothing.
    const process = {};
    const { pool: current } = await loadPreparedPool(t.database.db, principal, process);
    const mark = await t.database.db.transaction((tx) =>
      storePoolSnapshot(tx, current, process, new Date()),
    );
    mark();
    expect(await counts()).toEqual(after);
    expect(await verified(first)).toMatchObject({ ok: true, poolDigestMatches: true });
    expect(await verified(second)).toMatchObject({ ok: true, poolDigestMatches: true });
    // The first draw reads the version it drew from, the second the new one.
    const years = (experts: { id: string; practiceYears: number }[]) =>
      experts.find((expert) => expert.id === 'e-sv003')?.practiceYears ?? 0;
    expect(years((await exported(first)).input.experts)).toBe(years(pool));
    expect(years((await exported(second)).input.experts)).toBe(years(pool) + 1);
  });

  it('reads a snapshot stored as one level of block hashes, as draws stored it before 0029, the same way', async () => {
    const [row] = await t.database.db.select().from(draws).where(eq(draws.id, firstDraw));
    const digest = row?.poolSnapshotDigest ?? '';
    const answer = { verified: await verified(firstDraw), exported: await exported(firstDraw) };
    const [snapshot] = await t.database.db
      .select()
      .from(poolSnapshots)
      .where(eq(poolSnapshots.digest, digest));
    const lists = await t.database.db
      .select()
      .from(poolBlockLists)
      .where(inArray(poolBlockLists.hash, snapshot?.blockLists ?? []));
    const blocks = (snapshot?.blockLists ?? []).flatMap(
      (hash) => lists.find((list) => list.hash === hash)?.blocks ?? [],
    );
    expect(blocks.length).toBeGreaterThan(0);
    await t.database.db
      .update(poolSnapshots)
      .set({ blocks, blockLists: null })
      .where(eq(poolSnapshots.digest, digest));
    // Its blocks as written before 0029 too: record hashes as text, not packed.
    for (const block of await t.database.db
      .select()
      .from(poolBlocks)
      .where(inArray(poolBlocks.hash, blocks)))
      await t.database.db
        .update(poolBlocks)
        .set({ records: block.packed, packed: null })
        .where(eq(poolBlocks.hash, block.hash));
    const asText = await t.database.db
      .select()
      .from(poolBlocks)
      .where(inArray(poolBlocks.hash, blocks));
    expect(asText.map((block) => block.packed === null && block.records !== null)).toEqual(
      blocks.map(() => true),
    );
    expect({ verified: await verified(firstDraw), exported: await exported(firstDraw) }).toEqual(
      answer,
    );
  });

  it('reads a snapshot stored whole, as draws stored it before, the same way', async () => {
    const drawId = firstDraw;
    const [row] = await t.database.db.select().from(draws).where(eq(draws.id, drawId));
    const digest = row?.poolSnapshotDigest ?? '';
    const answer = { verified: await verified(drawId), exported: await exported(drawId) };
    const experts = await loadSnapshotExperts(t.database.db, digest);
    await t.database.db
      .update(poolSnapshots)
      .set({ experts, blocks: null, blockLists: null })
      .where(eq(poolSnapshots.digest, digest));
    expect({ verified: await verified(drawId), exported: await exported(drawId) }).toEqual(answer);
    expect(answer.verified).toMatchObject({ ok: true });
  });
});

describe('block lists of the second level (#17)', () => {
  it('splits block hashes into lists of 64 named by their content, so an unchanged list keeps its name', () => {
    const blocks = Array.from({ length: 200 }, (_, k) => `b${k}`);
    const lists = blockListsOf(blocks);
    expect(lists.map((list) => list.blocks.length)).toEqual([64, 64, 64, 8]);
    expect(lists.flatMap((list) => list.blocks)).toEqual(blocks);
    const changed = blockListsOf(blocks.map((hash, k) => (k === 70 ? 'changed' : hash)));
    expect(changed.map((list, k) => list.hash === lists[k]?.hash)).toEqual([
      true,
      false,
      true,
      true,
    ]);
  });
});
