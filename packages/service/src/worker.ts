import { databaseTargetOf, openDatabase } from './db/open-database.js';
import { startDispatchFromEnv } from './dispatch/dispatch-from-env.js';
import { readEnv } from './env.js';
import { createLogger } from './logger.js';

// The dispatch worker alone (`npm run worker`): the queue worker, the outbox relay and the
// sweeper, without the HTTP server. Run the service with DISPATCH_WORKERS=false beside it, or
// not — any number of relays and workers may share one database and one Redis.
const env = readEnv();
const logger = createLogger(env.LOG_LEVEL);
const database = await openDatabase(databaseTargetOf(env));
await database.migrate();
const dispatcher = startDispatchFromEnv({
  env,
  db: database.db,
  logger,
  now: () => new Date(),
  runWorker: true,
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'worker shutting down');
  await dispatcher.close();
  await database.close();
  logger.info('worker stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
