// History per draw (#17): what a draw reads and stores of the experts' history counters, on a
// scratch PostgreSQL database with BENCH_POOL_SIZE demo experts (default 2,000; 100,000 for the
// issue's figure — seeding takes minutes) and the matcher's synthetic history counters for them
// (generateHistoryCounts: BENCH_INVITATIONS invitations per expert on average, default 3, over
// three years), written to expert_history_counts and its change log (as migration 0030's
// backfill). Interleaved, BENCH_REPEATS times (default 7), median and spread:
// - before 0030: the whole read (loadHistoryCounts, json_agg over every counter) + prepareHistory;
// - since: the cached read (readHistoryCounts, no change since) + prepareDrawHistory (the rows
//   and JSON of the same counters reused), and the same after 10 counter changes (the read
//   applies them and patches the columns, the prepared rows and the digest's text of the
//   changed experts only);
// then the bytes a draw stores: pg_column_size of `draws.input` for draws made through
// POST /v1/tasks (a reference), beside the same input with the counters in it (before 0030),
// and the time the export / verify routes take to sum a reference back. os.loadavg() beside each.
// Run: `tsx --conditions=@expert-dispatch/source bench/history-per-draw.bench.ts` in
// packages/service (wrap runs at 100,000 in `flock /tmp/bench.lock`).
import { createHash } from 'node:crypto';
import { generateHistoryCounts, prepareHistory } from '@expert-dispatch/matcher';
import { fromEpochDay, yunnanGmy2025 } from '@expert-dispatch/rules';
import { sql } from 'drizzle-orm';
import { issueApiKey } from '../src/access/issue-api-key.js';
import { createApp } from '../src/app.js';
import { queryRows } from '../src/db/query-rows.js';
import { DEMO_AUTHORITY } from '../src/demo/seed-demo.js';
import { sinceOf } from '../src/tasks/draw-task.js';
import { readHistoryCounts } from '../src/tasks/history-counts-cache.js';
import { resolveStoredHistory, type StoredHistory } from '../src/tasks/history-reference.js';
import { loadHistoryCounts } from '../src/tasks/load-history-counts.js';
import { loadPreparedPool } from '../src/tasks/load-pool.js';
import { prepareDrawHistory } from '../src/tasks/prepare-draw-history.js';
import { benchKeyHeaders, benchServices } from './bench-setup.js';
import { PRINCIPAL, seedDemoExperts } from './pool-loading.js';
import { loadText, median, spread } from './sample-stats.js';
import { createScratchDatabase } from './scratch-database.js';
import { idempotencyKeyOf, taskBody } from './task-bodies.js';

const SIZE = Number(process.env.BENCH_POOL_SIZE ?? 2_000);
const REPEATS = Math.max(1, Number(process.env.BENCH_REPEATS ?? 7));
const INVITATIONS = Number(process.env.BENCH_INVITATIONS ?? 3);
const DRAWS = 5;
const WINDOW = { from: '2026-12-20T08:30:00+08:00', to: '2026-12-20T18:00:00+08:00' };
const sha256 = () => createHash('sha256');
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const fixed = (value: number, digits = 1) => value.toFixed(digits);
const kb = (bytes: number) => `${fixed(bytes / 1024)} KB`;

const scratch = await createScratchDatabase(4);
try {
  const { db } = scratch.database;
  const now = new Date();
  const seedStarted = process.hrtime.bigint();
  await seedDemoExperts(db, SIZE, now);
  const owner = {};
  const { pool } = await loadPreparedPool(db, PRINCIPAL, owner);
  const counts = generateHistoryCounts({
    experts: pool.experts,
    seed: 'history-per-draw',
    now,
    invitationsPerExpert: INVITATIONS,
  });
  // The counters as the triggers keep them: one jsonb row per expert, and the change log.
  let row = 0;
  const perExpert: [string, Record<string, number>][] = counts.experts.map((id, k) => {
    const keyed: Record<string, number> = {};
    for (let r = row; r < row + (counts.rows[k] as number); r++) {
      const key = `${fromEpochDay(counts.day[r] as number)}/${counts.kinds[counts.kind[r] as number]}`;
      keyed[key] = (keyed[key] ?? 0) + (counts.n[r] as number);
    }
    row += counts.rows[k] as number;
    return [id, keyed];
  });
  for (let start = 0; start < perExpert.length; start += 2_000) {
    const batch = JSON.stringify(perExpert.slice(start, start + 2_000));
    await db.execute(sql`insert into expert_history_counts (expert_id, counts)
      select x ->> 0, x -> 1 from jsonb_array_elements(${batch}::jsonb) as x`);
  }
  await db.execute(sql`insert into history_count_changes (expert_id, key, delta)
    select h.expert_id, c.key, c.value::int from expert_history_counts h
    cross join lateral jsonb_each_text(h.counts) as c`);
  await db.execute(sql`analyze expert_history_counts; analyze history_count_changes`);
  const seedSeconds = ms(seedStarted) / 1000;
  const since = sinceOf(now, yunnanGmy2025);

  // Before 0030 a draw prepared its history whole; since, with what the process made of it.
  const prepare = (history: Parameters<typeof prepareHistory>[0]) =>
    prepareHistory(history, pool, yunnanGmy2025, { sha256 });
  const prepareCached = (history: Parameters<typeof prepareHistory>[0]) =>
    prepareDrawHistory(history, pool, yunnanGmy2025);
  await readHistoryCounts(db, owner, WINDOW, since);
  const before = { read: [] as number[], prepare: [] as number[] };
  const cached = { read: [] as number[], prepare: [] as number[] };
  const changed = { read: [] as number[], prepare: [] as number[] };
  const experts = counts.experts;
  for (let k = 0; k < REPEATS; k++) {
    let t0 = process.hrtime.bigint();
    const whole = await loadHistoryCounts(db, WINDOW, since);
    before.read.push(ms(t0));
    t0 = process.hrtime.bigint();
    prepare(whole);
    before.prepare.push(ms(t0));

    t0 = process.hrtime.bigint();
    const warm = await readHistoryCounts(db, owner, WINDOW, since);
    cached.read.push(ms(t0));
    t0 = process.hrtime.bigint();
    prepareCached(warm.history);
    cached.prepare.push(ms(t0));

    // Ten answers counted since the last read (as ten seats answered would count).
    for (let c = 0; c < 10; c++) {
      const expert = experts[(k * 10 + c) % experts.length] as string;
      await db.execute(sql`select history_count_add(${expert},
        ${`${fromEpochDay(Math.floor(now.getTime() / 86_400_000) - 1)}/accepted`}, 1)`);
    }
    t0 = process.hrtime.bigint();
    const applied = await readHistoryCounts(db, owner, WINDOW, since);
    changed.read.push(ms(t0));
    t0 = process.hrtime.bigint();
    prepareCached(applied.history);
    changed.prepare.push(ms(t0));
    if (applied.loadedBy !== 'changes' || warm.loadedBy !== 'changes') {
      throw new Error('the cached read fell back to a whole read');
    }
  }
  const loadAfterReads = loadText();
  const whole = await loadHistoryCounts(db, WINDOW, since);
  const counters = whole.day.length;

  // Draws through POST /v1/tasks: what they store.
  const app = createApp(await benchServices(db, scratch.url));
  const headers = await benchKeyHeaders(db, 'dispatcher');
  const drawIds: string[] = [];
  for (let n = 0; n < DRAWS; n++) {
    const response = await app.request('/v1/tasks', {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': idempotencyKeyOf(n) },
      body: JSON.stringify(taskBody(n)),
    });
    if (response.status !== 201) {
      throw new Error(`POST /v1/tasks answered ${response.status}: ${await response.text()}`);
    }
    drawIds.push(((await response.json()) as { draw: { id: string } }).draw.id);
  }
  const [stored] = await queryRows<{ input: number; row: number; text: number }>(
    db,
    sql`select avg(pg_column_size(input))::int as input, avg(pg_column_size(d.*))::int as row,
               avg(octet_length(input::text))::int as text
          from draws d where id in ${drawIds}`,
  );
  // The same inputs with the counters in them, as draws stored them before 0030.
  const inputs = await queryRows<{ id: string; input: { history: StoredHistory } }>(
    db,
    sql`select id, input from draws where id in ${drawIds}`,
  );
  await db.execute(sql`create table bench_inputs_before (input jsonb not null)`);
  const resolveTimes: number[] = [];
  const beforeSizes: number[] = [];
  const beforeTexts: number[] = [];
  for (const { input } of inputs) {
    const t0 = process.hrtime.bigint();
    const history = await resolveStoredHistory(db, input.history);
    resolveTimes.push(ms(t0));
    // Stored in a table, so that it is compressed (TOAST) as the draws row's input was.
    const [size] = await queryRows<{ bytes: number; text: number }>(
      db,
      sql`insert into bench_inputs_before (input) values (${JSON.stringify({ ...input, history })}::jsonb)
          returning pg_column_size(input)::int as bytes, octet_length(input::text)::int as text`,
    );
    beforeSizes.push(size?.bytes ?? Number.NaN);
    beforeTexts.push(size?.text ?? Number.NaN);
  }
  const verifyTimes: number[] = [];
  const audit = await db.transaction((tx) =>
    issueApiKey(
      tx,
      {
        authority: DEMO_AUTHORITY,
        role: 'auditor',
        label: 'bench auditor',
        actor: { keyId: 'system:bench', authorityId: null },
      },
      new Date(),
    ),
  );
  const auditor = { authorization: `Bearer ${audit.key}` };
  for (const id of drawIds) {
    const t0 = process.hrtime.bigint();
    const response = await app.request(`/v1/draws/${id}/verify`, { headers: auditor });
    const body = (await response.json()) as { ok?: boolean };
    verifyTimes.push(ms(t0));
    if (body.ok !== true) throw new Error(`draw ${id} did not verify: ${JSON.stringify(body)}`);
  }

  const lines: [string, string][] = [
    ['date', `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`],
    [
      'pool and history',
      `${SIZE} experts; ${counters} counters since ${whole.from} (${INVITATIONS} invitations per expert on average over 3 years); seeded in ${fixed(seedSeconds)} s`,
    ],
    [
      `before 0030: whole read + prepareHistory, median of ${REPEATS} (spread of the sum)`,
      `${fixed(median(before.read))} + ${fixed(median(before.prepare))} ms (${spread(before.read.map((r, k) => r + (before.prepare[k] as number)))})`,
    ],
    [
      'since: cached read, no change + prepareDrawHistory',
      `${fixed(median(cached.read))} + ${fixed(median(cached.prepare))} ms (${spread(cached.read.map((r, k) => r + (cached.prepare[k] as number)))})`,
    ],
    [
      'since: cached read applying 10 changes + prepareDrawHistory',
      `${fixed(median(changed.read))} + ${fixed(median(changed.prepare))} ms (${spread(changed.read.map((r, k) => r + (changed.prepare[k] as number)))})`,
    ],
    ['load (1/5/15 min) after the reads', loadAfterReads],
    [
      `stored per draw (${DRAWS} draws through POST /v1/tasks): input, pg_column_size (its JSON text)`,
      `${kb(stored?.input ?? Number.NaN)} (${kb(stored?.text ?? Number.NaN)}); the whole draws row ${kb(stored?.row ?? Number.NaN)}`,
    ],
    [
      'the same input with the counters in it (before 0030), pg_column_size (its JSON text)',
      `${kb(median(beforeSizes))} (${kb(median(beforeTexts))})`,
    ],
    [
      'summing a reference back (export, verify) / the whole verify route',
      `${fixed(median(resolveTimes))} / ${fixed(median(verifyTimes))} ms`,
    ],
    ['load (1/5/15 min) at the end', loadText()],
  ];
  console.log('\nHistory per draw (packages/service/bench/history-per-draw.bench.ts)\n');
  console.log('| figure | value |\n| --- | --- |');
  for (const [figure, value] of lines) console.log(`| ${figure} | ${value} |`);
} finally {
  await scratch.drop();
}
