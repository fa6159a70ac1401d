import { ProblemError } from '../errors.js';

/**
 * An opaque pagination cursor: the last key seen, base64url-encoded.
 *
 * @example
 * decodeCursor(encodeCursor('e-0042')); // 'e-0042'
 */
export function encodeCursor(lastKey: string): string {
  return Buffer.from(JSON.stringify({ k: lastKey }), 'utf8').toString('base64url');
}

/** The key inside a cursor; a cursor this service did not make is a 422 on `query.cursor`. */
export function decodeCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object' && typeof (parsed as { k?: unknown }).k === 'string') {
      return (parsed as { k: string }).k;
    }
  } catch {
    // fall through to the problem below
  }
  throw new ProblemError(
    'validation_failed',
    { zh: '分页游标无效', en: 'the pagination cursor is not valid' },
    { errors: [{ path: 'query.cursor', message: 'not a cursor returned by this service' }] },
  );
}
