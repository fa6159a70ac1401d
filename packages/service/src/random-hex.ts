import { randomBytes } from 'node:crypto';

/** Bytes fetched from the CSPRNG at a time; each byte is handed out once. */
const BATCH_BYTES = 4096;

let batch = Buffer.alloc(0);
let offset = 0;

/**
 * `bytes` bytes from the operating system's secure random source, as lowercase hex. The bytes
 * come from a batch fetched at once: a draw makes some twenty ids and a seed, and one call into
 * the random source per id cost more than the rest of making them. No byte is used twice.
 *
 * @example
 * `d_${randomHex(10)}`; // 'd_' and 20 hex digits
 */
export function randomHex(bytes: number): string {
  if (offset + bytes > batch.length) {
    batch = randomBytes(Math.max(BATCH_BYTES, bytes));
    offset = 0;
  }
  const hex = batch.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}
