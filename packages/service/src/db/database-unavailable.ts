/**
 * Error codes that mean "PostgreSQL cannot be reached or is going away", not "this query is
 * wrong": the socket's (Node), postgres.js's own, and SQLSTATEs of the server stopping,
 * starting, refusing connections or cancelling on `statement_timeout`.
 */
const UNAVAILABLE_CODES = new Set([
  // Node sockets
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  // postgres.js
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  // SQLSTATE: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections,
  // query_canceled (statement_timeout)
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '57014',
]);

/** SQLSTATE class 08: connection exception. */
const CONNECTION_EXCEPTION = /^08[0-9A-Z]{3}$/;

/**
 * Whether an error (or its cause, as drizzle wraps the driver's error, or one of the errors of
 * an AggregateError, as Node reports a refused connection to every address of a name) means
 * the database is unreachable — a 503 and a retry later, not a 500.
 *
 * @example
 * isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })); // true
 * isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' })); // false
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailableCodeOf(error) !== undefined;
}

/**
 * The code that makes an error a "database unavailable" one (`ECONNREFUSED`, `57P01`, …), for
 * the log; undefined for any other error.
 *
 * @example
 * unavailableCodeOf(new Error('x', { cause: { code: '57P01' } })); // '57P01'
 */
export function unavailableCodeOf(error: unknown): string | undefined {
  const pending: unknown[] = [error];
  for (let seen = 0; pending.length > 0 && seen < 16; seen += 1) {
    const current = pending.shift();
    if (typeof current !== 'object' || current === null) continue;
    const code = (current as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      (UNAVAILABLE_CODES.has(code) || CONNECTION_EXCEPTION.test(code))
    ) {
      return code;
    }
    pending.push((current as { cause?: unknown }).cause);
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return undefined;
}
