// Scale-out benchmark (issue #7): POST /v1/tasks against 1 and then 2 API processes (real
// `main` child processes, DISPATCH_WORKERS=false as in docker/compose.yml, BullMQ on a private
// key prefix), the same 2,000-expert pool on a fresh PostgreSQL database each time; autocannon
// in a child process spreads its connections over the processes' ports in turn (no proxy).
// The 1-process runs are the baseline of the 2-process ones: BENCH_SCALE_PASSES (2) passes over
// the process counts, alternating their order (1, 2, 2, 1: ABBA), so that neither always runs
// in the same stretch of the shared machine; medians over the passes, the baseline's spread and
// os.loadavg() beside every run (issue #17). Then what a national pool needs:
// PostgreSQL writes per task, Redis memory per queued job (a private redis-server), and
// loading a large pool through the service's load-pool path.
// Run: `npm run bench -w @expert-dispatch/service` (or `npm run bench` at the root).
// Settings: BENCH_DURATION (s, 10), BENCH_CONNECTIONS (10), BENCH_POOL_SIZE (2000),
// BENCH_PROCESSES ("1,2"; empty skips), BENCH_SCALE_PASSES (2), BENCH_QUEUED_JOBS (10000; 0 skips), BENCH_LARGE_POOL (100000; 0 skips),
// BENCH_POSTGRES_URL, BENCH_REDIS_URL (redis://127.0.0.1:6379).

import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { describeMachine } from './machine-load.js';
import { measurePoolLoading } from './pool-loading.js';
import { measureJobMemory } from './redis-job-memory.js';
import { type ApiRun, runApiProcesses } from './run-api-processes.js';
import { loadText, median, spread } from './sample-stats.js';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 2000);
const PROCESSES = (process.env.BENCH_PROCESSES ?? '1,2')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const PASSES = Math.max(1, Number(process.env.BENCH_SCALE_PASSES ?? 2));
const QUEUED_JOBS = Number(process.env.BENCH_QUEUED_JOBS ?? 10_000);
const LARGE_POOL = Number(process.env.BENCH_LARGE_POOL ?? 100_000);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const percent = (value: number | null) => (value === null ? 'n/a' : `${fixed(value * 100, 0)} %`);
const grouped = (value: number) => Math.round(value).toLocaleString('en-US');

async function isReachable(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** One run and the load averages at its start and end. */
type LoadedRun = ApiRun & { readonly load: string };

function printApiRuns(runs: readonly LoadedRun[], redis: boolean, loadBefore: number): void {
  console.log('\nPOST /v1/tasks with 1 and 2 API processes (bench/scale-out.bench.ts)\n');
  console.log(
    `${describeMachine()}; load average before the runs ${fixed(loadBefore, 2)}; pool ${POOL_SIZE} ` +
      `experts; autocannon ${CONNECTIONS} connections for ${DURATION_S} s, spread over the ` +
      `processes' ports; queue ${redis ? 'BullMQ (private prefix)' : 'in-process (no Redis)'}; ` +
      `${PASSES} passes, alternating the order of the process counts\n`,
  );
  console.log(
    '| run | API processes | load 1/5/15 start → end | 201/s | p50 ms | p99 ms | requests (non-2xx, errors) | machine CPU busy |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  runs.forEach((run, k) => {
    console.log(
      `| ${k + 1} | ${run.processes} | ${run.load} | **${fixed(run.perSecond)}** | ${fixed(run.p50, 0)} | ${fixed(run.p99, 0)} | ` +
        `${run.requests} (${run.non2xx}, ${run.errors}) | ${percent(run.machineBusy)} |`,
    );
  });
  const rateOf = (processes: number) =>
    runs.filter((run) => run.processes === processes).map((run) => run.perSecond);
  const base = median(rateOf(1));
  console.log(
    '\n| API processes | 201/s, median of the passes | min / median / max | ratio to 1 process |',
  );
  console.log('| --- | --- | --- | --- |');
  for (const processes of PROCESSES) {
    const rates = rateOf(processes);
    console.log(
      `| ${processes} | **${fixed(median(rates))}** | ${spread(rates)} | ${Number.isNaN(base) ? 'n/a' : fixed(median(rates) / base, 2)} |`,
    );
  }
  console.log(
    '\nPostgreSQL work per task created under load (pg_stat_database of the scratch database):\n',
  );
  console.log(
    '| run | API processes | commits | rows inserted | rows updated | bytes stored (tables + indexes) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  runs.forEach((run, k) => {
    const w = run.perTask;
    console.log(
      `| ${k + 1} | ${run.processes} | ${fixed(w.commits)} | ${fixed(w.inserted)} | ${fixed(w.updated)} | ${grouped(w.bytes)} |`,
    );
  });
}

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const loadBefore = loadavg()[0] ?? 0;
  const redis = await isReachable(REDIS_URL);
  const runs: LoadedRun[] = [];
  const order = Array.from({ length: PASSES }, (_, pass) =>
    pass % 2 === 0 ? PROCESSES : [...PROCESSES].reverse(),
  ).flat();
  for (const processes of order) {
    const loadAtStart = loadText();
    const run = await runApiProcesses({
      processes,
      poolSize: POOL_SIZE,
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      ...(redis ? { redisUrl: REDIS_URL } : {}),
      queuePrefix: `edbench-${randomBytes(4).toString('hex')}`,
    });
    runs.push({ ...run, load: `${loadAtStart} → ${loadText()}` });
  }
  if (runs.length > 0) printApiRuns(runs, redis, loadBefore);

  if (QUEUED_JOBS > 0) {
    const memory = await measureJobMemory(QUEUED_JOBS);
    console.log('\nRedis memory per job (INFO used_memory deltas on a private redis-server):\n');
    if (memory === null) {
      console.log('redis-server is not installed: not measured.');
    } else {
      console.log(
        `| job (${grouped(memory.jobs)} of each, Redis ${memory.redisVersion}) | bytes |`,
      );
      console.log('| --- | --- |');
      console.log(`| deliver_invitation, waiting | ${grouped(memory.waitingBytes)} |`);
      console.log(`| invitation_deadline, delayed | ${grouped(memory.delayedBytes)} |`);
      console.log(`| finished, kept 24 h | ${grouped(memory.completedBytes)} |`);
    }
  }

  if (LARGE_POOL > 0) {
    const pool = await measurePoolLoading(LARGE_POOL);
    const gc = typeof (globalThis as { gc?: unknown }).gc === 'function';
    console.log(`\nLoading a pool of ${grouped(pool.experts)} experts from PostgreSQL:\n`);
    console.log('| figure | value |\n| --- | --- |');
    const rows: [string, string][] = [
      ['insert, 1,000 rows per statement', `${grouped(pool.insertPerSecond)} experts/s`],
      ['experts table with indexes', `${grouped(pool.tableBytesPerExpert)} bytes per expert`],
      ['cold loadPreparedPool (first draw after a change)', `${grouped(pool.coldMs)} ms`],
      [
        '… of which select / row mapping / preparePool',
        `${grouped(pool.selectMs)} / ${grouped(pool.mapMs)} / ${grouped(pool.prepareMs)} ms`,
      ],
      ['warm loadPreparedPool (revision query only)', `${fixed(pool.warmMs)} ms`],
      [
        `heap kept by the prepared pool${gc ? '' : ' (no --expose-gc: not collected first)'}`,
        `${fixed(pool.heapMb)} MB`,
      ],
      [
        'pool snapshot a draw stores per pool revision',
        `${fixed(pool.snapshotBytes / 1_048_576)} MB JSON, inserted in ${grouped(pool.snapshotInsertMs)} ms`,
      ],
    ];
    rows.push([
      'one lottery draw on it (empty history)',
      `${grouped(pool.drawMs)} ms; stores ${grouped(pool.drawResultBytes / 1024)} KB result + ${grouped(pool.drawExclusionsBytes / 1024)} KB exclusions`,
    ]);
    for (const [figure, value] of rows) console.log(`| ${figure} | ${value} |`);
  }
  console.log(`\nbench total ${fixed(Number(process.hrtime.bigint() - started) / 1e9)} s`);
}

await main();
