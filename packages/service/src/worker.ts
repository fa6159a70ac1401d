import { chinaNational2025To2026, yunnanGmy2025 } from '@expert-dispatch/rules';
import { serve } from '@hono/node-server';
import { databaseTargetOf, openDatabase } from './db/open-database.js';
import { startDispatchFromEnv } from './dispatch/dispatch-from-env.js';
import { readEnv } from './env.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics/create-metrics.js';
import { instrumentQueue } from './metrics/instrument-queue.js';
import { createMetricsApp } from './metrics/metrics-app.js';
import { startSchedulerFromEnv } from './schedule/start-scheduler.js';

// The dispatch worker alone (`npm run worker`): the queue worker, the outbox relay and the
// sweeper, without the HTTP server. Run the service with DISPATCH_WORKERS=false beside it, or
// not — any number of relays and workers may share one database and one Redis.
const env = readEnv();
const logger = createLogger(env.LOG_LEVEL);
const database = await openDatabase(databaseTargetOf(env));
await database.migrate();
const metrics = createMetrics();
const dispatcher = startDispatchFromEnv({
  env,
  db: database.db,
  logger,
  now: () => new Date(),
  runWorker: true,
  instrument: (queue) => instrumentQueue(queue, metrics),
});
// The job timings live in this process: Prometheus scrapes them here (the API has its own).
const metricsServer =
  env.METRICS_PORT === undefined
    ? undefined
    : serve({
        fetch: createMetricsApp({
          db: database.db,
          env,
          logger,
          ruleSet: yunnanGmy2025,
          calendar: chinaNational2025To2026,
          now: () => new Date(),
          metrics,
          queue: dispatcher.queue,
        }).fetch,
        port: env.METRICS_PORT,
        hostname: env.HOST,
      });
const scheduler = startSchedulerFromEnv({
  env,
  db: database.db,
  logger,
  now: () => new Date(),
  ruleSet: yunnanGmy2025,
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'worker shutting down');
  metricsServer?.close();
  await scheduler.close();
  await dispatcher.close();
  await database.close();
  logger.info('worker stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
