import { sql } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/app-env.js';
import type { Database } from './open-database.js';
import { queryRows } from './query-rows.js';

/** A streaming replica of the primary (`DATABASE_REPLICA_URL`) that heavy reads may use. */
export interface ReadReplica {
  readonly db: Database;
  /** How long a read waits for the replica to replay the primary's writes before it gives up. */
  readonly waitMs: number;
}

/** Where a read ran, and why (for the log and the tests). */
export type ReadSource =
  | 'replica'
  | 'primary'
  | 'primary (replica behind)'
  | 'primary (replica down)';

/**
 * The database a read should use: the replica once it has replayed every write the primary had
 * made when the read began — the caller's own writes included, from any process — else the
 * primary. It asks the primary for its WAL position (`pg_current_wal_insert_lsn()`, one tiny
 * statement) and the replica whether it has replayed that far (`pg_last_wal_replay_lsn()`),
 * polling for up to `waitMs`; a replica that lags longer, or does not answer, leaves the read on
 * the primary. So a report never misses a write that was committed before it was asked for.
 *
 * @example
 * const { db, source } = await chooseReadDatabase(services.db, services.readReplica);
 */
export async function chooseReadDatabase(
  primary: Database,
  replica: ReadReplica | undefined,
): Promise<{ readonly db: Database; readonly source: ReadSource }> {
  if (replica === undefined) return { db: primary, source: 'primary' };
  // The insert position, not pg_current_wal_lsn() (the write position): under
  // synchronous_commit = off a commit returns before its record is written out.
  const [position] = await queryRows<{ lsn: string }>(
    primary,
    sql`select pg_current_wal_insert_lsn()::text as lsn`,
  );
  const lsn = position?.lsn;
  if (lsn === undefined) return { db: primary, source: 'primary' };
  const deadline = Date.now() + replica.waitMs;
  for (;;) {
    let replayed: boolean;
    try {
      const [row] = await queryRows<{ replayed: boolean }>(
        replica.db,
        sql`select coalesce(pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn, false) as replayed`,
      );
      replayed = row?.replayed === true;
    } catch {
      return { db: primary, source: 'primary (replica down)' };
    }
    if (replayed) return { db: replica.db, source: 'replica' };
    if (Date.now() >= deadline) return { db: primary, source: 'primary (replica behind)' };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Runs the route's reads on the replica when it is caught up (`chooseReadDatabase`): for the
 * read-only report and public routes. Without `DATABASE_REPLICA_URL` it changes nothing.
 *
 * @example
 * reportRoutes.use('/v1/reports/*', readFromReplica);
 */
export const readFromReplica = createMiddleware<AppEnv>(async (c, next) => {
  const services = c.var.services;
  if (services.readReplica !== undefined && c.req.method === 'GET') {
    const chosen = await chooseReadDatabase(services.db, services.readReplica);
    c.set('db', chosen.db);
    c.set('readSource', chosen.source);
  }
  await next();
});
