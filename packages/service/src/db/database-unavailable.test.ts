import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, unavailableCodeOf } from './database-unavailable.js';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', coded('ECONNREFUSED')],
    ['a reset connection', coded('ECONNRESET')],
    ['a postgres.js connect timeout', coded('CONNECT_TIMEOUT')],
    ['a postgres.js connection ended by the pool', coded('CONNECTION_ENDED')],
    ['a postgres.js connection closed under a query', coded('CONNECTION_CLOSED')],
    ['an administrator shutdown (57P01)', coded('57P01')],
    ['a server starting up (57P03)', coded('57P03')],
    ['a statement over statement_timeout (57014)', coded('57014')],
    ['a connection exception (class 08)', coded('08006')],
    ['a driver error wrapped by drizzle', new Error('Failed query', { cause: coded('57P01') })],
    [
      'a refusal by every address of a name',
      new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'connect failed'),
    ],
  ])('is true for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', coded('23505')],
    ['a check violation wrapped by drizzle', new Error('Failed query', { cause: coded('23514') })],
    ['a plain error', new Error('boom')],
    ['a thrown string', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('names the code that made it so, for the log', () => {
    expect(unavailableCodeOf(new Error('Failed query', { cause: coded('57P01') }))).toBe('57P01');
  });
});
