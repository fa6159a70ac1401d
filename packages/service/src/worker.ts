import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { serve } from '@hono/node-server';
import { closeOnSignals, settlesWithin, startBackgroundWork } from './background-work.js';
import { databaseTargetOf, openDatabase } from './db/open-database.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics/create-metrics.js';
import { createMetricsApp } from './metrics/metrics-app.js';
import { readEnvOrExit, resolveEnvOrExit } from './secrets/start-up-checks.js';

// The dispatch worker alone (`npm run worker`): the queue worker, the outbox relay and the
// sweeper, without the HTTP server. Run the service with DISPATCH_WORKERS=false beside it, or
// not — any number of relays and workers may share one database and one Redis. Reply links
// point to PUBLIC_BASE_URL (or, in development, the address an API recorded), never to PORT.
const settings = readEnvOrExit();
const logger = createLogger(settings.LOG_LEVEL);
const database = await openDatabase(databaseTargetOf(settings));
await database.migrate();
const env = await resolveEnvOrExit(settings, database.db, 'worker', logger);
const metrics = createMetrics();
const work = startBackgroundWork({ env, db: database.db, logger, metrics, runWorker: true });
// The job timings live in this process: Prometheus scrapes them here (the API has its own).
const metricsServer =
  env.METRICS_PORT === undefined
    ? undefined
    : serve(
        {
          fetch: createMetricsApp({
            db: database.db,
            env,
            logger,
            ruleSet: yunnanGmy2025,
            now: () => new Date(),
            metrics,
            queue: work.dispatcher.queue,
          }).fetch,
          port: env.METRICS_PORT,
          hostname: env.HOST,
        },
        (info) => logger.info({ port: info.port }, 'metrics listening'),
      );

closeOnSignals(
  logger,
  { stopping: 'worker shutting down', stopped: 'worker stopped' },
  async () => {
    metricsServer?.close();
    // Scrapes hold keep-alive connections; nothing in flight there is worth waiting for.
    if (metricsServer && 'closeAllConnections' in metricsServer)
      metricsServer.closeAllConnections();
    // Jobs in flight get SHUTDOWN_GRACE_MS to finish; one still running is retried elsewhere.
    if (!(await settlesWithin(work.close(), env.SHUTDOWN_GRACE_MS))) {
      logger.warn({ graceMs: env.SHUTDOWN_GRACE_MS }, 'jobs still running at the deadline');
    }
    await database.close();
  },
  { failsafeMs: env.SHUTDOWN_GRACE_MS + 15_000 },
);
