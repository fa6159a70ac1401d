// The incremental pool cache and versioned snapshots (#17), through the service's own code on a
// scratch PostgreSQL database: the cold loadPreparedPool, then rounds of one expert changed
// (one UPDATE, whose commit logs it in pool_changes) followed by the next draw's
// loadPreparedPool (which applies the change) and storePoolSnapshot (which writes the new
// version, its block, its list of block hashes and the top list); the bytes each revision
// adds to expert_versions, pool_blocks, pool_block_lists and pool_snapshots. BENCH_POOL_SIZE
// (default 5,000; 100,000 for the figure — inserting takes minutes), BENCH_ROUNDS
// (default 10). os.loadavg() beside each figure.
// Run: `tsx --conditions=@expert-dispatch/source bench/pool-changes.bench.ts` in packages/service.
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { queryRows } from '../src/db/query-rows.js';
import { DEMO_AUTHORITY } from '../src/demo/seed-demo.js';
import { storePoolSnapshot } from '../src/draws/pool-snapshot-store.js';
import type { Principal } from '../src/http/app-env.js';
import { loadPreparedPool } from '../src/tasks/load-pool.js';
import { seedDemoExperts } from './pool-loading.js';
import { median } from './sample-stats.js';
import { createScratchDatabase } from './scratch-database.js';

const size = Number(process.env.BENCH_POOL_SIZE ?? 5_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const PRINCIPAL: Principal = {
  keyId: 'bench',
  authorityId: DEMO_AUTHORITY.id,
  tier: 'province',
  region: DEMO_AUTHORITY.region,
  role: 'dispatcher',
};
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

const scratch = await createScratchDatabase(4);
try {
  const { db } = scratch.database;
  const now = new Date();
  await seedDemoExperts(db, size, now);
  await db.execute(sql`analyze experts`);
  const bytes = async () => {
    const [row] = await queryRows<{ bytes: string }>(
      db,
      sql`select (coalesce((select sum(pg_column_size(e.*)) from expert_versions e), 0)
                + coalesce((select sum(pg_column_size(b.*)) from pool_blocks b), 0)
                + coalesce((select sum(pg_column_size(l.*)) from pool_block_lists l), 0)
                + coalesce((select sum(pg_column_size(s.*)) from pool_snapshots s), 0))::text as bytes`,
    );
    return Number(row?.bytes ?? 0);
  };
  const owner = {};
  const coldStarted = process.hrtime.bigint();
  let loaded = await loadPreparedPool(db, PRINCIPAL, owner);
  console.log(
    `${size} experts: cold loadPreparedPool ${since(coldStarted).toFixed(0)} ms (${loaded.loadedBy}); load ${load()}`,
  );
  const firstStarted = process.hrtime.bigint();
  let mark = await db.transaction((tx) => storePoolSnapshot(tx, loaded.pool, owner, now));
  mark();
  console.log(
    `first snapshot as versions: ${((await bytes()) / 1_048_576).toFixed(1)} MB in ${since(firstStarted).toFixed(0)} ms; load ${load()}`,
  );
  const updates: number[] = [];
  const applies: number[] = [];
  const stores: number[] = [];
  const written: number[] = [];
  const ids = loaded.pool.ids;
  for (let round = 0; round < rounds; round++) {
    const id = ids[(round * 7919) % ids.length] as string;
    let started = process.hrtime.bigint();
    await db.execute(
      sql`update experts set practice_years = practice_years + 1, updated_at = now() where id = ${id}`,
    );
    updates.push(since(started));
    started = process.hrtime.bigint();
    loaded = await loadPreparedPool(db, PRINCIPAL, owner);
    applies.push(since(started));
    if (loaded.loadedBy !== 'changes') throw new Error('the change was not applied incrementally');
    const before = await bytes();
    started = process.hrtime.bigint();
    const current = loaded.pool;
    mark = await db.transaction((tx) => storePoolSnapshot(tx, current, owner, now));
    stores.push(since(started));
    mark();
    written.push((await bytes()) - before);
  }
  console.log(
    `per change (median of ${rounds}): UPDATE with its logging trigger ${median(updates).toFixed(1)} ms; loadPreparedPool applying it ${median(applies).toFixed(1)} ms (max ${Math.max(...applies).toFixed(1)}); storePoolSnapshot ${median(stores).toFixed(1)} ms, ${(median(written) / 1024).toFixed(1)} KB written (max ${(Math.max(...written) / 1024).toFixed(1)} KB); load ${load()}`,
  );
} finally {
  await scratch.drop();
}
