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

/**
 * A json/jsonb column as a raw query returns it, parsed: postgres.js and PGlite parse JSON
 * columns themselves, but a driver may hand over the text. A value that is not JSON text is a
 * JSON string the driver already parsed, and is returned as it is.
 *
 * @example
 * const overrides = jsonColumn(row.rule_set_overrides); // { … } or null
 */
export function jsonColumn(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
