import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/open-database.js';
import { queryRows } from '../src/db/query-rows.js';
import { dropQueuePrefix } from '../src/testing/redis.test-helpers.js';
import {
  type ServiceProcess,
  startServiceProcess,
} from '../src/testing/service-process.test-helpers.js';
import { postWarmUpTask, runLoadClient, seedBenchPool } from './bench-setup.js';
import { startLoadReading } from './machine-load.js';
import { createScratchDatabase } from './scratch-database.js';

/** Sequential requests per process before the load: each process prepares its pool once. */
const WARMUP_PER_PROCESS = 10;
/** The tables a task's request writes to. */
const TASK_TABLES = [
  'tasks',
  'draws',
  'panel_seats',
  'deliveries',
  'outbox',
  'idempotency_keys',
  'audit_log',
  'pool_snapshots',
];

/** POST /v1/tasks under load against some API processes, and what it cost PostgreSQL. */
export interface ApiRun {
  readonly processes: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly machineBusy: number | null;
  /** Per task created under load: commits, rows inserted and updated, bytes stored. */
  readonly perTask: {
    readonly commits: number;
    readonly inserted: number;
    readonly updated: number;
    readonly bytes: number;
  };
}

interface Counters {
  readonly commits: number;
  readonly inserted: number;
  readonly updated: number;
  readonly bytes: number;
  readonly tasks: number;
}

async function readCounters(db: Database, name: string): Promise<Counters> {
  const sizes = TASK_TABLES.map((table) => `pg_total_relation_size('${table}')`).join(' + ');
  const [row] = await queryRows<Record<string, string>>(
    db,
    sql`select xact_commit::text as commits, tup_inserted::text as inserted,
               tup_updated::text as updated, (${sql.raw(sizes)})::text as bytes,
               (select count(*) from tasks)::text as tasks
          from pg_stat_database where datname = ${name}`,
  );
  return {
    commits: Number(row?.commits),
    inserted: Number(row?.inserted),
    updated: Number(row?.updated),
    bytes: Number(row?.bytes),
    tasks: Number(row?.tasks),
  };
}

/**
 * Seeds a fresh scratch database, starts `processes` API processes on it, warms each up, runs
 * autocannon against all of them for `durationSeconds`, stops them, and reads what PostgreSQL
 * did (its statistics are flushed when the processes' connections close).
 *
 * @example
 * const run = await runApiProcesses({ processes: 2, poolSize: 2000, connections: 10, durationSeconds: 10, queuePrefix: 'edbench-1' });
 */
export async function runApiProcesses(options: {
  readonly processes: number;
  readonly poolSize: number;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly redisUrl?: string;
  readonly queuePrefix: string;
}): Promise<ApiRun> {
  const scratch = await createScratchDatabase(2);
  const apis: ServiceProcess[] = [];
  try {
    const { db } = scratch.database;
    const headers = await seedBenchPool(db, options.poolSize);
    const env = {
      DATABASE_URL: scratch.url,
      ...(options.redisUrl === undefined ? {} : { REDIS_URL: options.redisUrl }),
      QUEUE_PREFIX: options.queuePrefix,
      DISPATCH_WORKERS: 'false',
      LOG_LEVEL: 'warn',
      DEMO: 'false',
    };
    for (let k = 1; k <= options.processes; k++) {
      apis.push(await startServiceProcess('api', `api-${k}`, env));
    }
    let next = 0;
    for (const api of apis) {
      for (let k = 0; k < WARMUP_PER_PROCESS; k++) await postWarmUpTask(api.url, headers, next++);
    }
    const before = await readCounters(db, scratch.name);
    const stopReading = startLoadReading();
    const result = await runLoadClient({
      url: apis.map((api) => api.url),
      headers,
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      first: next,
    });
    const load = stopReading();
    await Promise.all(apis.splice(0).map((api) => api.stop()));
    // A backend reports its statistics when its connection ends; give the collector a moment.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await readCounters(db, scratch.name);
    const created = Math.max(1, after.tasks - before.tasks);
    return {
      processes: options.processes,
      perSecond: result['2xx'] / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      machineBusy: load.machineBusy,
      perTask: {
        commits: (after.commits - before.commits) / created,
        inserted: (after.inserted - before.inserted) / created,
        updated: (after.updated - before.updated) / created,
        bytes: (after.bytes - before.bytes) / created,
      },
    };
  } finally {
    await Promise.all(apis.map((api) => api.stop()));
    await scratch.drop();
    if (options.redisUrl !== undefined) await dropQueuePrefix(options.queuePrefix);
  }
}
