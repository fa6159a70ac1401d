import type { SQL } from 'drizzle-orm';
import type { Executor } from './open-database.js';

/**
 * Runs a raw SQL query and returns its rows on either driver: postgres.js answers with an
 * array of rows, PGlite with `{ rows }`.
 *
 * @example
 * const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from tasks`);
 */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
