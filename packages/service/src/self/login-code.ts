import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** How long a login code lasts. */
export const LOGIN_CODE_MINUTES = 10;
/** Wrong codes a code survives; the next wrong one burns it. */
export const LOGIN_CODE_MAX_ATTEMPTS = 5;

/**
 * The phone as compared: digits and a leading `+` only, so `138 1234 5678` is `13812345678`.
 *
 * @example
 * normalizePhone('138-1234 5678'); // '13812345678'
 */
export function normalizePhone(phone: string): string {
  return phone.replace(/[^0-9+]/g, '');
}

/**
 * The key a code row is found by: the hash of the normalised phone, so the table never holds
 * a phone number in clear.
 *
 * @example
 * phoneKeyOf('13812345678').length; // 64
 */
export function phoneKeyOf(phone: string): string {
  return createHash('sha256')
    .update(`phone:${normalizePhone(phone)}`)
    .digest('hex');
}

/** A fresh 6-digit code, uniformly drawn (leading zeros kept). */
export function newLoginCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** A fresh salt for one code. */
export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The stored form of a code: sha256 over its row's salt and the code.
 *
 * @example
 * hashLoginCode('ab', '123456') === hashLoginCode('ab', '123456'); // true
 */
export function hashLoginCode(salt: string, code: string): string {
  return createHash('sha256').update(`${salt}:${code}`).digest('hex');
}

/**
 * Whether a code matches its stored hash, compared in constant time.
 *
 * @example
 * isLoginCodeMatch('ab', '123456', hashLoginCode('ab', '123456')); // true
 */
export function isLoginCodeMatch(salt: string, code: string, storedHash: string): boolean {
  const given = Buffer.from(hashLoginCode(salt, code), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
