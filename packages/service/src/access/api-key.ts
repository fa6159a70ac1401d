import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'edk_';

/** A new API key: its public id and its secret, which is shown once and never stored. */
export interface NewApiKey {
  readonly id: string;
  readonly secret: string;
  readonly secretHash: string;
}

/**
 * Makes a key with 256 bits of entropy; only `secretHash` goes into the database.
 *
 * @example
 * const { id, secret } = generateApiKey(); // secret 'edk_…' is printed once
 */
export function generateApiKey(): NewApiKey {
  const secret = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { id: `key_${randomBytes(8).toString('hex')}`, secret, secretHash: hashApiKey(secret) };
}

/**
 * The stored form of a key: SHA-256, hex. A slow hash is not needed for 256-bit random secrets.
 *
 * @example
 * hashApiKey('edk_x').length; // 64
 */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
