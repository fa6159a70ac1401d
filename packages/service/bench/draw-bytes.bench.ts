// Bytes written per draw, end to end (#17): POST /v1/tasks through the service's own app
// (app.request, no HTTP) on a scratch PostgreSQL database seeded with the demo pool, a sequence
// of BENCH_DRAWS (50) realistic tasks (bench/task-bodies.ts: industries, employers and days vary),
// with BENCH_UPDATES (3) experts changed (one UPDATE each, between draws, not measured) before
// every BENCH_CHANGE_EVERY-th (5th) draw. Around each draw, every table of the schema is measured:
// rows and the sum of pg_column_size of its rows (the tuples as stored, TOAST compressed) — the
// delta is what the draw's transaction left (updated rows count by their size change only);
// the whole database's pg_total_relation_size delta over the sequence (pages, indexes, TOAST,
// dead tuples) is printed too. The draws row's input (the stored history: H2 replaces it with a
// reference) is reported apart so the figure reads either way. os.loadavg() beside each figure.
// Run (packages/service): `tsx --conditions=@expert-dispatch/source bench/draw-bytes.bench.ts`
// with BENCH_POOL_SIZE (2,000; 100,000 for the figure — seeding takes minutes: wrap in
// `flock /tmp/bench.lock`). The 1,000,000 figure: bench/draw-bytes-synthetic.bench.ts.
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { createApp } from '../src/app.js';
import type { Database } from '../src/db/open-database.js';
import { queryRows } from '../src/db/query-rows.js';
import { benchServices, seedBenchPool } from './bench-setup.js';
import { median } from './sample-stats.js';
import { createScratchDatabase } from './scratch-database.js';
import { idempotencyKeyOf, taskBody } from './task-bodies.js';

const size = Number(process.env.BENCH_POOL_SIZE ?? 2_000);
const drawCount = Number(process.env.BENCH_DRAWS ?? 50);
const updatesPerChange = Number(process.env.BENCH_UPDATES ?? 3);
const changeEvery = Number(process.env.BENCH_CHANGE_EVERY ?? 5);
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join('/');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const SNAPSHOT_TABLES = ['expert_versions', 'pool_blocks', 'pool_block_lists', 'pool_snapshots'];

/** Per table: rows and the bytes of its rows as stored. */
type Census = Map<string, { rows: number; bytes: number }>;

async function tablesOf(db: Database): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`,
  );
  return rows.map((row) => row.name);
}

async function census(db: Database, tables: readonly string[], skip: ReadonlySet<string>) {
  const parts = tables
    .filter((table) => !skip.has(table))
    .map(
      (table) =>
        sql`select ${table} as name, count(*)::text as rows, coalesce(sum(pg_column_size(t.*)), 0)::text as bytes from ${sql.identifier(table)} t`,
    );
  const rows = await queryRows<{ name: string; rows: string; bytes: string }>(
    db,
    sql.join(parts, sql` union all `),
  );
  const result: Census = new Map();
  for (const row of rows)
    result.set(row.name, { rows: Number(row.rows), bytes: Number(row.bytes) });
  return result;
}

async function databaseBytes(db: Database): Promise<number> {
  const [row] = await queryRows<{ bytes: string }>(
    db,
    sql`select pg_database_size(current_database())::text as bytes`,
  );
  return Number(row?.bytes ?? 0);
}

interface DrawWrite {
  readonly n: number;
  readonly kind: 'first' | 'after a change' | 'steady';
  readonly total: number;
  readonly byTable: Map<string, number>;
  readonly input: number;
  readonly result: number;
  readonly exclusions: number;
  readonly load: string;
}

const scratch = await createScratchDatabase(4);
try {
  const { db } = scratch.database;
  const seedStarted = Date.now();
  const headers = await seedBenchPool(db, size);
  await db.execute(sql`analyze`);
  console.log(
    `seeded ${size} demo experts in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s; load ${load()}`,
  );
  const services = await benchServices(db, scratch.url);
  const app = createApp(services);
  const tables = await tablesOf(db);
  // The experts and their change log are written by the updates, not by a draw.
  const skip = new Set(['experts', 'pool_changes']);
  const ids = (await queryRows<{ id: string }>(db, sql`select id from experts order by id`)).map(
    (row) => row.id,
  );
  let databaseBefore = 0;
  const writes: DrawWrite[] = [];
  let changed = 0;
  for (let n = 0; n < drawCount; n++) {
    const afterChange = n > 0 && n % changeEvery === 0;
    if (afterChange) {
      for (let k = 0; k < updatesPerChange; k++) {
        const id = ids[(changed++ * 7919) % ids.length] as string;
        await db.execute(
          sql`update experts set practice_years = practice_years + 1, updated_at = now() where id = ${id}`,
        );
      }
    }
    if (n === 1) databaseBefore = await databaseBytes(db);
    const before = await census(db, tables, skip);
    const response = await app.request('/v1/tasks', {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': idempotencyKeyOf(n) },
      body: JSON.stringify(taskBody(n)),
    });
    const text = await response.text();
    if (response.status !== 201)
      throw new Error(`draw ${n}: ${response.status} ${text.slice(0, 300)}`);
    const drawId = (JSON.parse(text) as { draw?: { id?: string } }).draw?.id ?? '';
    const after = await census(db, tables, skip);
    const byTable = new Map<string, number>();
    let total = 0;
    for (const [table, now] of after) {
      const delta = now.bytes - (before.get(table)?.bytes ?? 0);
      if (delta !== 0) byTable.set(table, delta);
      total += delta;
    }
    const [columns] = await queryRows<{ input: number; result: number; exclusions: number }>(
      db,
      sql`select pg_column_size(input) as input, pg_column_size(result) as result,
                 pg_column_size(exclusions) as exclusions from draws where id = ${drawId}`,
    );
    writes.push({
      n,
      kind: n === 0 ? 'first' : afterChange ? 'after a change' : 'steady',
      total,
      byTable,
      input: Number(columns?.input ?? 0),
      result: Number(columns?.result ?? 0),
      exclusions: Number(columns?.exclusions ?? 0),
      load: load(),
    });
  }
  const databaseGrowth = (await databaseBytes(db)) - databaseBefore;

  console.log(
    `\nBytes written per draw, ${size} experts, ${drawCount} draws of bench/task-bodies.ts, ${updatesPerChange} experts changed before every ${changeEvery}th (draw-bytes.bench.ts)\n`,
  );
  console.log(
    '| draw | kind | all tables | without draws.input | snapshot tables | exclusion_sets | draws.input / result / exclusions | load 1/5/15 |\n| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const write of writes)
    console.log(
      `| ${write.n} | ${write.kind} | ${kb(write.total)} | ${kb(write.total - write.input)} | ${kb(SNAPSHOT_TABLES.reduce((sum, table) => sum + (write.byTable.get(table) ?? 0), 0))} | ${kb(write.byTable.get('exclusion_sets') ?? 0)} | ${kb(write.input)} / ${kb(write.result)} / ${kb(write.exclusions)} | ${write.load} |`,
    );
  const kinds = ['first', 'after a change', 'steady'] as const;
  console.log(
    '\nMedian per kind of draw, by table (bytes of the rows a draw added; the first draw stores the whole pool as versions):\n',
  );
  const shown = [...new Set(writes.flatMap((write) => [...write.byTable.keys()]))].sort();
  console.log(
    `| kind | draws | all | without draws.input | ${shown.join(' | ')} | draws.input | draws.exclusions |\n| ${['---', '---', '---', '---', ...shown.map(() => '---'), '---', '---'].join(' | ')} |`,
  );
  for (const kind of kinds) {
    const of = writes.filter((write) => write.kind === kind);
    if (of.length === 0) continue;
    const cells = shown.map((table) =>
      kb(median(of.map((write) => write.byTable.get(table) ?? 0))),
    );
    console.log(
      `| ${kind} | ${of.length} | ${kb(median(of.map((w) => w.total)))} | ${kb(median(of.map((w) => w.total - w.input)))} | ${cells.join(' | ')} | ${kb(median(of.map((w) => w.input)))} | ${kb(median(of.map((w) => w.exclusions)))} |`,
    );
  }
  const rest = writes.slice(1);
  const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  console.log(
    `\nDraws 2–${drawCount} (the sequence after the first): mean ${kb(mean(rest.map((w) => w.total)))} per draw, ${kb(mean(rest.map((w) => w.total - w.input)))} without draws.input; database size grew ${kb(databaseGrowth)} over draws 2–${drawCount} and ${changed} updates (pages, indexes, TOAST, dead tuples, the updates' own rows: ${kb(databaseGrowth / (drawCount - 1))} per draw); load ${load()}`,
  );
} finally {
  await scratch.drop();
}
