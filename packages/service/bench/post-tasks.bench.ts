// Benchmark of POST /v1/tasks on PostgreSQL: a 2,000-expert provincial pool, the real HTTP
// server, autocannon for a bounded time; then, in the same run and on the same database and
// driver, a baseline of the same rows written raw, one transaction per request: every row a
// request stores (task, draw, seats, deliveries, outbox, Idempotency-Key, audit — 7 inserts),
// and, narrower, the panel alone (task, draw, seats — 3 inserts). Run: `npm run bench -w @expert-dispatch/service` (or `npm run bench` at the root).
// Settings: BENCH_DURATION (s, 10), BENCH_CONNECTIONS (10), BENCH_POOL_SIZE (2000),
// BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres).

import { loadavg } from 'node:os';
import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { count, eq, sql } from 'drizzle-orm';
import { createApp } from '../src/app.js';
import { queryRows } from '../src/db/query-rows.js';
import { draws, experts } from '../src/db/schema.js';
import { readEnv } from '../src/env.js';
import type { Services } from '../src/http/app-env.js';
import { createLogger } from '../src/logger.js';
import { resolveServiceEnv } from '../src/secrets/resolve-service-env.js';
import { serveLocally } from '../src/testing/local-http-server.test-helpers.js';
import { postWarmUpTask, runLoadClient, seedBenchPool } from './bench-setup.js';
import { describeMachine, type LoadReading, startLoadReading } from './machine-load.js';
import { type BaselineRows, runRawInsertBaseline, samplePanels } from './raw-insert-baseline.js';
import { createScratchDatabase } from './scratch-database.js';
import { profileStatements } from './statement-profile.js';
import { idempotencyKeyOf, taskBody } from './task-bodies.js';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 2000);
const WARMUP_REQUESTS = 30;
const PROFILED_REQUESTS = 20;
const TARGET_RATIO = 0.5;

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
/** CPU milliseconds per transaction of this process and of PostgreSQL during a stretch. */
const cpuPer = (reading: LoadReading, perSecond: number) =>
  `${fixed((reading.processCores * 1000) / perSecond, 2)} / ${
    reading.postgresCores === null ? '?' : fixed((reading.postgresCores * 1000) / perSecond, 2)
  } ms`;
const percent = (value: number | null) => (value === null ? 'n/a' : `${fixed(value * 100, 0)} %`);

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

    const services: Services = {
      db,
      env: (
        await resolveServiceEnv(
          readEnv({ LOG_LEVEL: 'silent', DATABASE_URL: scratch.url }),
          db,
          'api',
        )
      ).env,
      logger: createLogger('silent'),
      ruleSet: yunnanGmy2025,
      now: () => new Date(),
    };
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

    // The baseline runs before the load as well as after it: on a shared machine either run
    // alone can be lucky or unlucky, and the database grows during the load.
    const warmPanels = await samplePanels(db, 100);
    const beforeReading = startLoadReading();
    const before = await runRawInsertBaseline(db, warmPanels, {
      count: 500,
      concurrency: CONNECTIONS,
      tag: 'request-before',
      firstDay: 50_000,
      rows: 'request',
    });
    const beforeLoad = beforeReading();

    const stopReading = startLoadReading();
    const result = await runLoadClient({
      url,
      headers,
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      first: next,
    });
    next = result.last;
    const load = stopReading();
    await server.close();

    const [drawCount] = await db.select({ n: count() }).from(draws);
    const loadDraws = (drawCount?.n ?? 0) - (warmDraws?.n ?? 0);
    const [sizes] = await queryRows<Record<string, string | null>>(
      db,
      sql`select avg(octet_length(input::text))::int as input,
                 avg(octet_length(result::text))::int as result,
                 avg(octet_length(exclusions::text))::int as exclusions,
                 (select avg(octet_length(response_body::text))::int from idempotency_keys) as response,
                 (select max(octet_length(experts::text)) from pool_snapshots) as snapshot,
                 (select count(*) from pool_snapshots)::int as snapshots
            from draws`,
    );
    const statuses = Object.entries(result.statusCodeStats)
      .map(([status, { count: n }]) => `${status}×${n}`)
      .join(', ');
    const served = result['2xx'];
    const benchRate = served / result.duration;

    // The baseline: as many panels as the load stored, written raw, first at the load's
    // concurrency (the headline), then one at a time.
    const panels = await samplePanels(db, 100);
    const seatsPerPanel = panels.reduce((sum, p) => sum + p.seats.length, 0) / panels.length;
    const baselineCount = Math.max(served, 500);
    const baseline = (rows: BaselineRows, concurrency: number, slot: number) =>
      runRawInsertBaseline(db, panels, {
        count: baselineCount,
        concurrency,
        tag: `${rows}-c${concurrency}`,
        firstDay: slot * baselineCount,
        rows,
      });
    const afterReading = startLoadReading();
    const concurrent = await baseline('request', CONNECTIONS, 0);
    const afterLoad = afterReading();
    const serial = await baseline('request', 1, 1);
    const panelOnly = await baseline('panel', CONNECTIONS, 2);
    const rowsPerRequest = panels[0]
      ? 2 +
        panels[0].seats.length +
        panels[0].deliveries.length +
        panels[0].outbox.length +
        (panels[0].idempotency === undefined ? 0 : 1) +
        panels[0].audit.length
      : 0;
    // Against the faster of the two runs: the headline never leans on an unlucky baseline.
    const baselineRate = Math.max(before.perSecond, concurrent.perSecond);
    const ratio = benchRate / baselineRate;
    const [pg] = await queryRows<{ v: string }>(
      db,
      sql`select current_setting('server_version') as v`,
    );

    const rows: [string, string][] = [
      ['date', `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`],
      ['machine', `${describeMachine()}; load average before the run ${fixed(loadBefore, 2)}`],
      ['database', `PostgreSQL ${pg?.v ?? '?'} on 127.0.0.1, postgres.js pool of ${CONNECTIONS}`],
      [
        'pool',
        `${POOL_SIZE} experts (demo generator), ${active?.n ?? 0} active; seeded in ${fixed(seedSeconds)} s`,
      ],
      [
        'load',
        `autocannon in a child process, ${CONNECTIONS} connections, ${DURATION_S} s, panel 5 + 5 alternates, 1–2 industries, one day each over 2026–2027`,
      ],
      [
        'requests completed',
        `${result.requests.total} (${statuses}); errors ${result.errors}, timeouts ${result.timeouts}`,
      ],
      ['non-2xx', String(result.non2xx)],
      ['draws made (load / warm-up and profile)', `${loadDraws} / ${warmDraws?.n ?? 0}`],
      ['**POST /v1/tasks, 201/s**', `**${fixed(benchRate)}**`],
      [
        'latency p50 / p99 under load',
        `${fixed(result.latency.p50, 0)} ms / ${fixed(result.latency.p99, 0)} ms`,
      ],
      [
        'latency p50 / p99, one at a time (warm-up)',
        `${fixed(percentile(sequential.slice(5), 50))} ms / ${fixed(percentile(sequential.slice(5), 99))} ms`,
      ],
      [
        `**baseline: the request's rows raw (${rowsPerRequest} rows in 7 inserts: task, draw, ${fixed(seatsPerPanel, 0)} seats, deliveries, outbox, Idempotency-Key, audit) per tx, ${CONNECTIONS} at a time, tx/s**`,
        `**${fixed(baselineRate)}**, the faster of: before the load ${fixed(before.perSecond)} (${before.transactions} tx), after it ${fixed(concurrent.perSecond)} (${concurrent.transactions} tx)`,
      ],
      ['the same, one at a time, tx/s', `${fixed(serial.perSecond)} (${serial.transactions} tx)`],
      [
        `narrower baseline: the panel alone (task, draw, ${fixed(seatsPerPanel, 0)} seats in 3 inserts), ${CONNECTIONS} at a time, tx/s`,
        `${fixed(panelOnly.perSecond)} (${panelOnly.transactions} tx)`,
      ],
      [
        '**ratio bench / baseline**',
        `**${fixed(ratio, 3)}** (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'missed'}; against one at a time ${fixed(benchRate / serial.perSecond, 3)}; against the panel alone ${fixed(benchRate / panelOnly.perSecond, 3)})`,
      ],
      [
        'CPU during load: machine / this process / its event loop',
        `${percent(load.machineBusy)} / ${fixed(load.processCores, 2)} cores / ${percent(load.eventLoopBusy)}`,
      ],
      [
        'CPU per transaction, this process / PostgreSQL: the load; the baseline before, after',
        [
          cpuPer(load, benchRate),
          cpuPer(beforeLoad, before.perSecond),
          cpuPer(afterLoad, concurrent.perSecond),
        ].join('; '),
      ],
      [
        'stored JSON per draw: input / result / exclusions',
        `${sizes?.input ?? '?'} / ${sizes?.result ?? '?'} / ${sizes?.exclusions ?? '?'} bytes`,
      ],
      [
        'stored response per Idempotency-Key; pool snapshot',
        `${sizes?.response ?? '?'} bytes; ${sizes?.snapshots ?? '?'} × ${sizes?.snapshot ?? '?'} bytes`,
      ],
      ['bench total', `${fixed(Number(process.hrtime.bigint() - started) / 1e9)} s`],
    ];
    console.log('\nPOST /v1/tasks benchmark (packages/service/bench/post-tasks.bench.ts)\n');
    console.log('| figure | value |\n| --- | --- |');
    for (const [figure, value] of rows) console.log(`| ${figure} | ${value} |`);
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
