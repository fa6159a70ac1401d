/**
 * The SQLSTATE of a database error, looking through drizzle's wrapper (`cause`) to the
 * driver's error (postgres.js and PGlite both carry `code`).
 *
 * @example
 * pgErrorCode(error) === '23P01'; // an exclusion constraint refused the row
 */
export function pgErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** SQLSTATE of an exclusion-constraint violation: here, a double booking (第十五条). */
export const EXCLUSION_VIOLATION = '23P01';

/** SQLSTATE of a deadlock PostgreSQL broke by aborting this transaction. */
export const DEADLOCK_DETECTED = '40P01';
