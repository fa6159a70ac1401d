import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { serve } from '@hono/node-server';
import type { Cluster, Redis } from 'ioredis';
import { openDashboardQueues } from './admin/queue-dashboard.js';
import { createApp } from './app.js';
import { closeOnSignals, settlesWithin, startBackgroundWork } from './background-work.js';
import { databaseTargetOf, openDatabase } from './db/open-database.js';
import { demoBanner, noticesSettled } from './demo/announce-demo.js';
import { hasAuthority, seedDemoIfEmpty } from './demo/seed-demo.js';
import { demoHistoryTasks, seedDemoHistory } from './demo/seed-demo-history.js';
import type { Services } from './http/app-env.js';
import { createServerDrain } from './http/drain-server.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics/create-metrics.js';
import { openRedis, redisTargetOf } from './queue/redis-target.js';
import { readEnvOrExit, resolveEnvOrExit } from './secrets/start-up-checks.js';

// Starts the service: environment, database (migrated), secrets (configured, or kept in the
// database), optional demo seed, the dispatch loop (queue, outbox relay, sweeper and, unless
// DISPATCH_WORKERS=false, the worker and scheduler), the HTTP server, and a graceful shutdown
// on SIGTERM / SIGINT.
const settings = readEnvOrExit();
const logger = createLogger(settings.LOG_LEVEL);
const target = databaseTargetOf(settings);
const database = await openDatabase(target);
await database.migrate();
logger.info({ database: database.kind }, 'database migrated');
const env = await resolveEnvOrExit(settings, database.db, 'api', logger);
// The report and public reads go to the replica when it is caught up (db/read-replica.ts).
const replica =
  target.kind === 'postgres' && env.DATABASE_REPLICA_URL !== undefined
    ? await openDatabase({ ...target, url: env.DATABASE_REPLICA_URL })
    : undefined;
const base = `http://localhost:${env.PORT}`;

// The demo pool is seeded before the scheduler starts, in both storage modes: its first round
// then finds the pool, instead of claiming the day for an empty database.
const seeded = env.DEMO
  ? await seedDemoIfEmpty(database.db, {
      size: env.DEMO_SIZE,
      seed: env.DEMO_SEED,
      now: new Date(),
    })
  : null;
if (seeded) {
  // A year of synthetic work through the service's own API, so that the reports, lists and
  // charts of a new demo are not zeros; a failure leaves the pool as it is.
  const started = Date.now();
  await seedDemoHistory(database.db, env, yunnanGmy2025, {
    seed: env.DEMO_SEED,
    now: new Date(),
    tasks: demoHistoryTasks(env.DEMO_SIZE),
  })
    .then((history) => logger.info({ ...history, ms: Date.now() - started }, 'demo history seeded'))
    .catch((error: unknown) =>
      logger.warn({ err: { message: String(error) } }, 'demo history not seeded'),
    );
}

let redis: Redis | Cluster | undefined;
const redisTarget = redisTargetOf(env);
if (redisTarget !== undefined) {
  redis = openRedis(redisTarget, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 1000,
  });
  // ioredis retries on its own; one warning a minute is enough while Redis is down.
  let lastWarning = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastWarning < 60_000) return;
    lastWarning = Date.now();
    logger.warn({ err: { message: error.message } }, 'redis error (retrying)');
  });
  redis.connect().catch(() => {});
}

const metrics = createMetrics();
const dashboard = openDashboardQueues(env);
const work = startBackgroundWork({
  env,
  db: database.db,
  logger,
  metrics,
  runWorker: env.DISPATCH_WORKERS,
});
const dispatcher = work.dispatcher;

const services: Services = {
  db: database.db,
  env,
  logger,
  ruleSet: yunnanGmy2025,
  now: () => new Date(),
  redis,
  dispatch: dispatcher,
  metrics,
  queue: dispatcher.queue,
  dashboardQueues: dashboard?.queues,
  databaseLiveness: database.ping,
  readReplica:
    replica === undefined ? undefined : { db: replica.db, waitMs: env.DATABASE_REPLICA_WAIT_MS },
};

if (!env.DEMO && !(await hasAuthority(database.db))) {
  process.stdout.write(
    [
      '',
      ' 尚无 API 密钥 / No API key yet. Create the first admin key with:',
      '   npx expert-dispatch create-admin-key --authority yn-yjt --tier province --region 530000',
      ` (or start with DEMO=true on an empty database). API reference: ${base}/docs`,
      '',
    ].join('\n'),
  );
}

const app = createApp(services);
const drain = createServerDrain();
const server = drain.track(
  serve({ fetch: drain.wrap(app.fetch), port: env.PORT, hostname: env.HOST }, (info) => {
    logger.info({ port: info.port, database: database.kind, docs: `${base}/docs` }, 'listening');
  }),
);

closeOnSignals(
  logger,
  { stopping: 'shutting down', stopped: 'stopped' },
  async () => {
    // Stop taking requests and let those in flight finish (answered `Connection: close`, idle
    // keep-alive connections closed) for at most SHUTDOWN_GRACE_MS; then let the worker finish
    // its jobs in flight, as long again at most (an unfinished job is retried elsewhere); then
    // close the database and Redis.
    const { forced } = await drain.drain(server, env.SHUTDOWN_GRACE_MS);
    if (forced) logger.warn({ graceMs: env.SHUTDOWN_GRACE_MS }, 'connections cut at the deadline');
    if (!(await settlesWithin(work.close(), env.SHUTDOWN_GRACE_MS))) {
      logger.warn(
        { graceMs: env.SHUTDOWN_GRACE_MS },
        'background work still running at the deadline',
      );
    }
    await database.close();
    await replica?.close().catch(() => {});
    await dashboard?.close().catch(() => {});
    await redis?.quit().catch(() => {});
  },
  { failsafeMs: env.SHUTDOWN_GRACE_MS * 2 + 15_000 },
);

if (seeded) {
  // Printed once, on stdout and not through the logger: the key is never stored in clear. It
  // comes last, after the first scheduled round and the reminders it sends through the log
  // channel, so that they do not scroll the key away.
  await work.scheduledRound().catch(() => {});
  await noticesSettled(database.db, { maxMs: 30_000 }).catch(() => false);
  process.stdout.write(demoBanner(seeded, base));
}
