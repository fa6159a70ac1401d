// Benchmark of POST /v1/tasks on PostgreSQL: a provincial pool (2,000 experts by default), the
// real HTTP server, autocannon in rounds; and, interleaved with those rounds on the same
// database and driver, a baseline of the same rows written raw, one transaction per request:
// every row a request stores (task, draw, seats, deliveries, outbox, Idempotency-Key, audit —
// 7 inserts). For reference, one at a time and the panel alone (task, draw, seats — 3 inserts).
// Expert updates run in the background throughout (empty PATCHes through the API, as profile
// confirmations under 第八条（一）): each counts the pool's revision up, so the next draw reloads
// the pool and stores a new snapshot. Run: `npm run bench -w @expert-dispatch/service` (or
// `npm run bench` at the root).
// Settings: BENCH_ROUNDS (6), BENCH_PASS_SECONDS (5 s of load per round), BENCH_CONNECTIONS (10),
// BENCH_POOL_SIZE (2000; 100000 for the issue #17 figure, which takes minutes to seed),
// BENCH_EXPERT_UPDATES (5 a second; 0 for none), BENCH_POSTGRES_URL
// (postgres://postgres@127.0.0.1:5432/postgres).
//
// Why the baseline is stable (issue #17): it used to run once before and once after the load,
// and the ratio took the faster; on a shared machine either run could land in a busy or a quiet
// stretch. Now each round has a pass of the load and a pass of the baseline (ABAB, alternating
// which goes first), the figures are over all rounds (and the median of the rounds' ratios
// beside it), the baseline's spread over its passes is printed, and os.loadavg() is printed
// beside every round.

import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { count, eq, sql } from 'drizzle-orm';
import { createApp } from '../src/app.js';
import type { Database } from '../src/db/open-database.js';
import { queryRows } from '../src/db/query-rows.js';
import { draws, experts } from '../src/db/schema.js';
import { serveLocally } from '../src/testing/local-http-server.test-helpers.js';
import {
  benchKeyHeaders,
  benchServices,
  postWarmUpTask,
  runLoadClient,
  seedBenchPool,
} from './bench-setup.js';
import { describeMachine, type LoadReading, startLoadReading } from './machine-load.js';
import { runRawInsertBaseline, samplePanels } from './raw-insert-baseline.js';
import { loadText, median, percentile, spread } from './sample-stats.js';
import { createScratchDatabase } from './scratch-database.js';
import { profileStatements } from './statement-profile.js';
import { idempotencyKeyOf, taskBody } from './task-bodies.js';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 6));
const PASS_SECONDS = Number(process.env.BENCH_PASS_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 2000);
const UPDATES_PER_SECOND = Number(process.env.BENCH_EXPERT_UPDATES ?? 5);
const WARMUP_REQUESTS = 30;
const PROFILED_REQUESTS = 20;
const TARGET_RATIO = 0.5;

/** One round: a pass of the load and a pass of the baseline, in either order. */
interface PostRound {
  readonly order: string;
  readonly load: string;
  readonly served: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly baselinePerSecond: number;
  readonly baselineTransactions: number;
  readonly baselineSeconds: number;
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const percent = (value: number | null) => (value === null ? 'n/a' : `${fixed(value * 100, 0)} %`);

/** CPU of this process and of PostgreSQL summed over several stretches, per transaction. */
function cpuTotals() {
  let wall = 0;
  let processSeconds = 0;
  let postgresSeconds: number | null = 0;
  let machine: number | null = 0;
  let loop = 0;
  let transactions = 0;
  return {
    add: (reading: LoadReading, seconds: number, done: number) => {
      wall += seconds;
      processSeconds += reading.processCores * seconds;
      postgresSeconds =
        postgresSeconds === null || reading.postgresCores === null
          ? null
          : postgresSeconds + reading.postgresCores * seconds;
      machine =
        machine === null || reading.machineBusy === null
          ? null
          : machine + reading.machineBusy * seconds;
      loop += reading.eventLoopBusy * seconds;
      transactions += done;
    },
    machineBusy: () => (machine === null || wall === 0 ? null : machine / wall),
    processCores: () => (wall === 0 ? Number.NaN : processSeconds / wall),
    eventLoopBusy: () => (wall === 0 ? Number.NaN : loop / wall),
    perTransaction: () =>
      `${fixed((processSeconds * 1000) / transactions, 2)} / ${
        postgresSeconds === null ? '?' : fixed((postgresSeconds * 1000) / transactions, 2)
      } ms`,
  };
}

/**
 * Sends UPDATES_PER_SECOND empty PATCHes (a profile confirmation, 第八条（一）) to random active
 * experts of the pool as an open loop until stopped; `stop` reports what was done.
 */
function startExpertUpdates(url: string, headers: Record<string, string>, db: Database) {
  let stopped = UPDATES_PER_SECOND <= 0;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  const running = (async () => {
    if (stopped) return;
    const ids = (
      await db
        .select({ id: experts.id })
        .from(experts)
        .where(eq(experts.status, 'active'))
        .limit(5000)
    ).map((row) => row.id);
    for (let k = 0; !stopped; k++) {
      const wait = started + (k * 1000) / UPDATES_PER_SECOND - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (stopped) break;
      const id = ids[Math.floor(Math.random() * ids.length)];
      const sentAt = performance.now();
      const update = fetch(`${url}/v1/experts/${id}`, { method: 'PATCH', headers, body: '{}' })
        .then(async (response) => {
          await response.body?.cancel();
          latencies.push(performance.now() - sentAt);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        })
        .catch(() => {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
        })
        .finally(() => pending.delete(update));
      pending.add(update);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await running;
      await Promise.all(pending);
      const seconds = (performance.now() - started) / 1000;
      return {
        done: latencies.length,
        perSecond: latencies.length / seconds,
        statuses: [...statuses].map(([status, n]) => `${status}×${n}`).join(', ') || 'none',
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
      };
    },
  };
}

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const loadBefore = loadavg()[0] ?? 0;
  // One connection pool of CONNECTIONS, as the server would have; the baseline reuses it.
  const scratch = await createScratchDatabase(CONNECTIONS);
  const onSignal = () => void scratch.drop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const db = scratch.database.db;
    const seedStarted = process.hrtime.bigint();
    const headers = await seedBenchPool(db, POOL_SIZE);
    const seedSeconds = Number(process.hrtime.bigint() - seedStarted) / 1e9;
    const [active] = await db
      .select({ n: count() })
      .from(experts)
      .where(eq(experts.status, 'active'));

    const services = await benchServices(db, scratch.url);
    const server = await serveLocally(createApp(services).fetch);
    const url = server.origin;

    // Warm-up, one request at a time: fills the prepared-pool cache, stores the pool snapshot
    // once, and gives the latency of a request on an idle server.
    let next = 0;
    const sequential: number[] = [];
    for (let k = 0; k < WARMUP_REQUESTS; k++) {
      const n = next++;
      const t0 = performance.now();
      await postWarmUpTask(url, headers, n);
      sequential.push(performance.now() - t0);
    }
    // Where one request's time goes, one at a time, statement by statement.
    const profile = await profileStatements(services, scratch.url, PROFILED_REQUESTS, () => {
      const n = next++;
      return {
        headers: { ...headers, 'idempotency-key': idempotencyKeyOf(n) },
        body: JSON.stringify(taskBody(n)),
      };
    });
    const [warmDraws] = await db.select({ n: count() }).from(draws);

    // Expert updates in the background (BENCH_EXPERT_UPDATES a second): each an empty PATCH
    // through the API, which stamps the profile (第八条（一）) and counts the pool's revision up,
    // so a draw after it reloads the pool and stores a new snapshot. They run through the
    // baseline's passes too, so both sides share the machine as it is.
    const updater = startExpertUpdates(url, await benchKeyHeaders(db, 'admin'), db);

    // The load and the baseline interleaved: ROUNDS rounds, each a pass of the load (autocannon
    // for PASS_SECONDS) and a pass of the baseline (as many raw transactions as that load pass
    // stored, at least 100), alternating which goes first (ABAB), so that both see the shared
    // machine as it was in that stretch (issue #17: a baseline run once before and once after
    // the load swung with whatever the machine did then).
    const warmPanels = await samplePanels(db, 100);
    const subjectCpu = cpuTotals();
    const baselineCpu = cpuTotals();
    const rounds: PostRound[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const loadAtStart = loadText();
      const runSubject = async () => {
        const reading = startLoadReading();
        const result = await runLoadClient({
          url,
          headers,
          connections: CONNECTIONS,
          durationSeconds: PASS_SECONDS,
          first: next,
        });
        next = result.last;
        subjectCpu.add(reading(), result.duration, result['2xx']);
        return result;
      };
      const runBaseline = async (transactions: number) => {
        const reading = startLoadReading();
        const run = await runRawInsertBaseline(db, warmPanels, {
          count: transactions,
          concurrency: CONNECTIONS,
          tag: `request-r${round}`,
          firstDay: 100_000 * (round + 1),
          rows: 'request',
        });
        baselineCpu.add(reading(), run.seconds, run.transactions);
        return run;
      };
      const expected = Math.max(100, rounds.at(-1)?.served ?? 200);
      let result: Awaited<ReturnType<typeof runSubject>>;
      let baselineRun: Awaited<ReturnType<typeof runBaseline>>;
      if (round % 2 === 0) {
        result = await runSubject();
        baselineRun = await runBaseline(Math.max(100, result['2xx']));
      } else {
        baselineRun = await runBaseline(expected);
        result = await runSubject();
      }
      rounds.push({
        order: round % 2 === 0 ? 'load, baseline' : 'baseline, load',
        load: `${loadAtStart} → ${loadText()}`,
        served: result['2xx'],
        requests: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        seconds: result.duration,
        perSecond: result['2xx'] / result.duration,
        p50: result.latency.p50,
        p99: result.latency.p99,
        baselinePerSecond: baselineRun.perSecond,
        baselineTransactions: baselineRun.transactions,
        baselineSeconds: baselineRun.seconds,
      });
    }
    const updates = await updater.stop();
    await server.close();
    // The baseline's copies (ids `base-d-…`) are draws rows too: left out.
    const [drawCount] = await db
      .select({ n: count() })
      .from(draws)
      .where(sql`${draws.id} not like 'base-d-%'`);
    const loadDraws = (drawCount?.n ?? 0) - (warmDraws?.n ?? 0);
    const [sizes] = await queryRows<Record<string, string | null>>(
      db,
      sql`select avg(octet_length(input::text))::int as input,
                 avg(octet_length(result::text))::int as result,
                 avg(octet_length(exclusions::text))::int as exclusions,
                 (select avg(octet_length(response_body::text))::int from idempotency_keys) as response,
                 (select max(octet_length(experts::text)) from pool_snapshots) as snapshot,
                 (select count(*) from pool_snapshots)::int as snapshots,
                 pg_size_pretty(pg_total_relation_size('pool_snapshots')
                   + pg_total_relation_size('expert_versions')
                   + pg_total_relation_size('pool_blocks')
                   + pg_total_relation_size('pool_block_lists')) as snapshot_storage
            from draws`,
    );
    const served = rounds.reduce((sum, r) => sum + r.served, 0);
    const loadSeconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
    const benchRate = served / loadSeconds;
    const baselineRate =
      rounds.reduce((sum, r) => sum + r.baselineTransactions, 0) /
      rounds.reduce((sum, r) => sum + r.baselineSeconds, 0);
    const ratio = benchRate / baselineRate;
    const roundRatio = median(rounds.map((r) => r.perSecond / r.baselinePerSecond));

    // For reference (not the ratio's denominator): one at a time, and the panel alone.
    const panels = await samplePanels(db, 100);
    const seatsPerPanel = panels.reduce((sum, p) => sum + p.seats.length, 0) / panels.length;
    const serial = await runRawInsertBaseline(db, panels, {
      count: 300,
      concurrency: 1,
      tag: 'request-c1',
      firstDay: 0,
      rows: 'request',
    });
    const panelOnly = await runRawInsertBaseline(db, panels, {
      count: Math.max(300, Math.round(served / ROUNDS)),
      concurrency: CONNECTIONS,
      tag: `panel-c${CONNECTIONS}`,
      firstDay: 50_000,
      rows: 'panel',
    });
    const rowsPerRequest = panels[0]
      ? 2 +
        panels[0].seats.length +
        panels[0].deliveries.length +
        panels[0].outbox.length +
        (panels[0].idempotency === undefined ? 0 : 1) +
        panels[0].audit.length
      : 0;
    const [pg] = await queryRows<{ v: string }>(
      db,
      sql`select current_setting('server_version') as v`,
    );

    const sumOf = (pick: (r: PostRound) => number) => rounds.reduce((sum, r) => sum + pick(r), 0);
    const rows: [string, string][] = [
      ['date', `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`],
      [
        'machine',
        `${describeMachine()}; load average before the run ${fixed(loadBefore, 2)}, after it ${loadText()}`,
      ],
      ['database', `PostgreSQL ${pg?.v ?? '?'} on 127.0.0.1, postgres.js pool of ${CONNECTIONS}`],
      [
        'pool',
        `${POOL_SIZE} experts (demo generator), ${active?.n ?? 0} active; seeded in ${fixed(seedSeconds)} s`,
      ],
      [
        'load',
        `${ROUNDS} rounds of autocannon (a child process, ${CONNECTIONS} connections, ${PASS_SECONDS} s) interleaved with the baseline, panel 5 + 5 alternates, 1–2 industries, one day each over 2026–2027`,
      ],
      [
        'expert updates in the background',
        UPDATES_PER_SECOND > 0
          ? `${UPDATES_PER_SECOND}/s asked, ${fixed(updates.perSecond, 2)}/s made (${updates.done} empty PATCHes, answers ${updates.statuses}); PATCH p50 / p99 ${fixed(updates.p50, 0)} / ${fixed(updates.p99, 0)} ms`
          : 'none (BENCH_EXPERT_UPDATES=0)',
      ],
      [
        'requests completed',
        `${sumOf((r) => r.requests)}; non-2xx ${sumOf((r) => r.non2xx)}, errors and timeouts ${sumOf((r) => r.errors)}`,
      ],
      ['draws made (load / warm-up and profile)', `${loadDraws} / ${warmDraws?.n ?? 0}`],
      ['**POST /v1/tasks, 201/s (all rounds)**', `**${fixed(benchRate)}**`],
      [
        'latency under load, median over the rounds of p50 / of p99',
        `${fixed(median(rounds.map((r) => r.p50)), 0)} ms / ${fixed(median(rounds.map((r) => r.p99)), 0)} ms`,
      ],
      [
        'latency p50 / p99, one at a time (warm-up)',
        `${fixed(percentile(sequential.slice(5), 50))} ms / ${fixed(percentile(sequential.slice(5), 99))} ms`,
      ],
      [
        `**baseline: the request's rows raw (${rowsPerRequest} rows in 7 inserts: task, draw, ${fixed(seatsPerPanel, 0)} seats, deliveries, outbox, Idempotency-Key, audit) per tx, ${CONNECTIONS} at a time, all rounds, tx/s**`,
        `**${fixed(baselineRate)}** (${sumOf((r) => r.baselineTransactions)} tx in ${ROUNDS} passes)`,
      ],
      [
        "baseline's own spread over its passes, tx/s, min / median / max",
        spread(rounds.map((r) => r.baselinePerSecond)),
      ],
      ['the same, one at a time, tx/s', `${fixed(serial.perSecond)} (${serial.transactions} tx)`],
      [
        `narrower baseline: the panel alone (task, draw, ${fixed(seatsPerPanel, 0)} seats in 3 inserts), ${CONNECTIONS} at a time, tx/s`,
        `${fixed(panelOnly.perSecond)} (${panelOnly.transactions} tx)`,
      ],
      [
        "**ratio bench / baseline** (all rounds; median of the rounds' own ratios)",
        `**${fixed(ratio, 3)}** (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'missed'}); rounds ${fixed(roundRatio, 3)}; against one at a time ${fixed(benchRate / serial.perSecond, 3)}; against the panel alone ${fixed(benchRate / panelOnly.perSecond, 3)}`,
      ],
      [
        'CPU during the load: machine / this process / its event loop',
        `${percent(subjectCpu.machineBusy())} / ${fixed(subjectCpu.processCores(), 2)} cores / ${percent(subjectCpu.eventLoopBusy())}`,
      ],
      [
        'CPU per transaction, this process / PostgreSQL: the load; the baseline',
        `${subjectCpu.perTransaction()}; ${baselineCpu.perTransaction()}`,
      ],
      [
        'stored JSON per draw: input / result / exclusions',
        `${sizes?.input ?? '?'} / ${sizes?.result ?? '?'} / ${sizes?.exclusions ?? '?'} bytes`,
      ],
      [
        'stored response per Idempotency-Key; pool snapshots',
        `${sizes?.response ?? '?'} bytes; ${sizes?.snapshots ?? '?'} snapshots${sizes?.snapshot == null ? ' (as versions and blocks)' : `, whole ones up to ${sizes.snapshot} bytes`}; snapshots, versions, blocks and block lists ${sizes?.snapshot_storage ?? '?'} on disk`,
      ],
      ['bench total', `${fixed(Number(process.hrtime.bigint() - started) / 1e9)} s`],
    ];
    console.log('\nPOST /v1/tasks benchmark (packages/service/bench/post-tasks.bench.ts)\n');
    console.log('| figure | value |\n| --- | --- |');
    for (const [figure, value] of rows) console.log(`| ${figure} | ${value} |`);
    console.log("\nRound by round (load = os.loadavg() 1/5/15 at the round's start → end):\n");
    console.log(
      '| round | order | load | 201/s | p50 / p99 ms | baseline tx/s | ratio |\n| --- | --- | --- | --- | --- | --- | --- |',
    );
    rounds.forEach((r, k) => {
      console.log(
        `| ${k + 1} | ${r.order} | ${r.load} | ${fixed(r.perSecond)} | ${fixed(r.p50, 0)} / ${fixed(r.p99, 0)} | ${fixed(r.baselinePerSecond)} | ${fixed(r.perSecond / r.baselinePerSecond, 3)} |`,
      );
    });
    console.log(
      `\nOne request at a time (${profile.requests} requests through app.request(), no HTTP):`,
      `${fixed(profile.statementsPerRequest)} statements and ${fixed(profile.msPerRequest)} ms per`,
      'request. Time from each statement to the next (its round trip plus the work before the',
      'next; BEGIN/COMMIT are not logged, COMMIT falls in the last):\n',
    );
    console.log('| statement | per request | ms per request |\n| --- | --- | --- |');
    for (const step of profile.steps) {
      console.log(`| ${step.statement} | ${fixed(step.perRequest)} | ${fixed(step.ms)} |`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await scratch.drop();
  }
}

await main();
