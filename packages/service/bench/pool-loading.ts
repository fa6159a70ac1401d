import { generateTask, preparePool, selectPanel } from '@expert-dispatch/matcher';
import { asc, sql } from 'drizzle-orm';
import { issueApiKey } from '../src/access/issue-api-key.js';
import type { Database } from '../src/db/open-database.js';
import { queryRows } from '../src/db/query-rows.js';
import { experts, poolSnapshots } from '../src/db/schema.js';
import { generateDemoPool } from '../src/demo/generate-demo-pool.js';
import { DEMO_AUTHORITY } from '../src/demo/seed-demo.js';
import { expertToColumns, rowToExpert } from '../src/experts/expert-row.js';
import { visibleExperts } from '../src/experts/pool-scope.js';
import type { Principal } from '../src/http/app-env.js';
import { loadPreparedPool, toDrawExpert } from '../src/tasks/load-pool.js';
import { createScratchDatabase } from './scratch-database.js';

/** What loading a large pool through the service's load-pool path costs. */
export interface PoolLoading {
  readonly experts: number;
  /** Inserting the generated experts, 1,000 rows per statement, experts per second. */
  readonly insertPerSecond: number;
  /** `experts` table with its indexes, bytes per expert. */
  readonly tableBytesPerExpert: number;
  /** The cold `loadPreparedPool`: revision query, select, row mapping and `preparePool`. */
  readonly coldMs: number;
  /** Its parts, measured apart: the select, the row mapping, `preparePool`. */
  readonly selectMs: number;
  readonly mapMs: number;
  readonly prepareMs: number;
  /** A warm `loadPreparedPool` (the revision query only, the pool cached). */
  readonly warmMs: number;
  /** Heap the prepared pool keeps, MB (after GC when node runs with --expose-gc). */
  readonly heapMb: number;
  /** The pool snapshot a draw stores once per pool revision: JSON bytes and insert time. */
  readonly snapshotBytes: number;
  readonly snapshotInsertMs: number;
  /** One lottery draw on the loaded pool (empty history): its time and the JSON it stores. */
  readonly drawMs: number;
  readonly drawResultBytes: number;
  readonly drawExclusionsBytes: number;
}

/** A dispatcher of the demo authority, as the benches read the pool. */
export const PRINCIPAL: Principal = {
  keyId: 'bench',
  authorityId: DEMO_AUTHORITY.id,
  tier: 'province',
  region: DEMO_AUTHORITY.region,
  role: 'dispatcher',
};

const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

function heapMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return process.memoryUsage().heapUsed / 1_048_576;
}

/**
 * The demo authority's admin key and `size` demo experts (fixed seed) in `db`, inserted 1,000
 * rows a statement: the pool the pool benches load (analyse it before timing reads).
 *
 * @example
 * await seedDemoExperts(scratch.database.db, 100_000, new Date());
 */
export async function seedDemoExperts(db: Database, size: number, now: Date): Promise<void> {
  await db.transaction((tx) =>
    issueApiKey(
      tx,
      {
        authority: DEMO_AUTHORITY,
        role: 'admin',
        label: 'bench',
        actor: { keyId: 'system:bench', authorityId: null },
      },
      now,
    ),
  );
  const pool = generateDemoPool({ size, seed: 20_251_217, now });
  for (let start = 0; start < pool.length; start += 1000) {
    await db.insert(experts).values(
      pool.slice(start, start + 1000).map((expert) => ({
        ...expertToColumns(expert),
        ownerAuthorityId: DEMO_AUTHORITY.id,
        createdAt: now,
        updatedAt: now,
      })),
    );
  }
}

/**
 * Puts `size` demo experts into a scratch PostgreSQL database and times the service's pool
 * loading on them, cold and warm, and the pool snapshot a draw writes after any change.
 *
 * @example
 * const figures = await measurePoolLoading(100_000);
 */
export async function measurePoolLoading(size: number): Promise<PoolLoading> {
  const scratch = await createScratchDatabase(4);
  try {
    const { db } = scratch.database;
    const now = new Date();
    const insertStarted = process.hrtime.bigint();
    await seedDemoExperts(db, size, now);
    const insertMs = since(insertStarted);
    await db.execute(sql`analyze experts`);
    const [table] = await queryRows<{ bytes: string }>(
      db,
      sql`select pg_total_relation_size('experts')::text as bytes`,
    );

    const heapBefore = heapMb();
    const coldStarted = process.hrtime.bigint();
    const owner = {};
    const loaded = await loadPreparedPool(db, PRINCIPAL, owner);
    const coldMs = since(coldStarted);
    const heapAfter = heapMb();
    const warmStarted = process.hrtime.bigint();
    await loadPreparedPool(db, PRINCIPAL, owner);
    const warmMs = since(warmStarted);

    const selectStarted = process.hrtime.bigint();
    const rows = await db
      .select()
      .from(experts)
      .where(visibleExperts(PRINCIPAL))
      .orderBy(asc(experts.id));
    const selectMs = since(selectStarted);
    const mapStarted = process.hrtime.bigint();
    const mapped = rows.map((row) => toDrawExpert(rowToExpert(row)));
    const mapMs = since(mapStarted);
    const prepareStarted = process.hrtime.bigint();
    preparePool(mapped);
    const prepareMs = since(prepareStarted);

    const snapshotBytes = Buffer.byteLength(JSON.stringify(loaded.pool.experts));
    const snapshotStarted = process.hrtime.bigint();
    await db
      .insert(poolSnapshots)
      .values({ digest: loaded.pool.digest, experts: loaded.pool.experts, createdAt: now });
    const snapshotInsertMs = since(snapshotStarted);

    const task = generateTask({ seed: 'scale', now: now.toISOString(), experts: mapped });
    const drawStarted = process.hrtime.bigint();
    const drawn = selectPanel({ task, experts: loaded.pool, now, seed: 'scale-out' });
    const drawMs = since(drawStarted);
    if (!drawn.ok) throw new Error(`the draw on the large pool failed: ${drawn.code}`);
    // Stored as draw-task.ts stores them: the exclusion record apart from the panel.
    const { excluded, exclusionReasons, funnel, eligible, ...panel } = drawn;

    return {
      experts: rows.length,
      insertPerSecond: size / (insertMs / 1000),
      tableBytesPerExpert: Number(table?.bytes ?? 0) / size,
      coldMs,
      selectMs,
      mapMs,
      prepareMs,
      warmMs,
      heapMb: heapAfter - heapBefore,
      snapshotBytes,
      snapshotInsertMs,
      drawMs,
      drawResultBytes: Buffer.byteLength(JSON.stringify(panel)),
      drawExclusionsBytes: Buffer.byteLength(
        JSON.stringify({ funnel, eligible, excluded, exclusionReasons }),
      ),
    };
  } finally {
    await scratch.drop();
  }
}
