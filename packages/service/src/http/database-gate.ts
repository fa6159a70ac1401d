import { createMiddleware } from 'hono/factory';
import { isDatabaseUnavailable } from '../db/database-unavailable.js';
import { ProblemError } from '../errors.js';
import type { AppEnv } from './app-env.js';

/** Seconds a client is told to wait (`Retry-After`) while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

/** How often a closed gate asks the database whether it is back. */
const PROBE_INTERVAL_MS = 250;

/** Paths that never touch the database: they stay up while it is down. */
const DATABASE_FREE = /^\/(healthz|readyz|openapi\.json|docs)(\/|$)/;

/** Whether the database was seen unreachable, and the probe that opens the gate again. */
export interface DatabaseGate {
  /** True from a connection failure until a probe reaches the database again. */
  readonly isClosed: () => boolean;
  /** A request saw the database unreachable: close the gate and probe until it is back. */
  readonly reportUnavailable: () => void;
}

/**
 * A gate in front of the database. Why: while PostgreSQL is down, postgres.js queues every new
 * query behind its reconnect attempts, one per connection and back-off round, so that under
 * load requests wait seconds for a refusal. Once one request has seen the database
 * unreachable, the others are refused at once, and one probe (`probe`, every 250 ms) finds out
 * when it is back — the service recovers by itself.
 *
 * @example
 * const gate = createDatabaseGate(() => db.execute(sql`select 1`));
 * app.use('*', guardDatabase(gate));
 */
export function createDatabaseGate(probe: () => Promise<unknown>): DatabaseGate {
  let closed = false;
  const probeUntilOpen = async () => {
    while (closed) {
      try {
        await probe();
        closed = false;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS).unref());
      }
    }
  };
  return {
    isClosed: () => closed,
    reportUnavailable: () => {
      if (closed) return;
      closed = true;
      void probeUntilOpen();
    },
  };
}

/** The problem every request gets while the database is unreachable. */
export function databaseUnavailable(): ProblemError {
  return new ProblemError('database_unavailable', {
    zh: `数据库暂时无法连接，请 ${DATABASE_RETRY_AFTER_SECONDS} 秒后重试`,
    en: `the database cannot be reached right now; retry in ${DATABASE_RETRY_AFTER_SECONDS} s`,
  });
}

/**
 * Refuses requests with a 503 `database_unavailable` and `Retry-After` while the gate is
 * closed (except paths that need no database: health, the API reference), and closes the gate
 * when a request failed because the database was unreachable.
 *
 * @example
 * app.use('*', guardDatabase(createDatabaseGate(() => db.execute(sql`select 1`))));
 */
export function guardDatabase(gate: DatabaseGate) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (gate.isClosed() && !DATABASE_FREE.test(c.req.path)) throw databaseUnavailable();
    await next();
    if (c.error !== undefined && isDatabaseUnavailable(c.error)) gate.reportUnavailable();
  });
}
