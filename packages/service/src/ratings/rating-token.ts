import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a verified rating link stands for. */
export type RatingTokenCheck =
  | { readonly ok: true; readonly taskId: string; readonly expiresAt: Date }
  | { readonly ok: false; readonly reason: 'tampered' | 'expired' };

/** How long the served unit may use its rating link after the task is completed (第二十条). */
export const RATING_LINK_DAYS = 30;

// The purpose is part of the signed text, so that a reply link (same secret) never passes as a
// rating link or the other way round.
const signatureOf = (secret: string, taskId: string, expiry: string) =>
  createHmac('sha256', secret).update(`rating:${taskId}:${expiry}`).digest('base64url');

/**
 * A rating link token for one task: `<base64url task id>.<expiry epoch seconds>.<HMAC-SHA256>`.
 *
 * @example
 * const token = signRatingToken('secret', 't-1', new Date('2026-04-10T09:00:00+08:00'));
 */
export function signRatingToken(secret: string, taskId: string, expiresAt: Date): string {
  const expiry = String(Math.floor(expiresAt.getTime() / 1000));
  const id = Buffer.from(taskId, 'utf8').toString('base64url');
  return `${id}.${expiry}.${signatureOf(secret, taskId, expiry)}`;
}

/**
 * Checks a rating token in constant time: a wrong signature is `tampered` (403), a good one
 * past its expiry `expired` (410).
 *
 * @example
 * verifyRatingToken('secret', token, new Date()); // { ok: true, taskId: 't-1', expiresAt }
 */
export function verifyRatingToken(secret: string, token: string, now: Date): RatingTokenCheck {
  const match = /^([A-Za-z0-9_-]{1,88})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (match === null) return { ok: false, reason: 'tampered' };
  const [, id = '', expiry = '', signature = ''] = match;
  const taskId = Buffer.from(id, 'base64url').toString('utf8');
  const expected = Buffer.from(signatureOf(secret, taskId, expiry));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'tampered' };
  }
  const expiresAt = new Date(Number(expiry) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, taskId, expiresAt };
}

/**
 * The link the served unit opens: `<publicBaseUrl>/rate/<token>`.
 *
 * @example
 * ratingLinkOf('https://dispatch.example', 'secret', 't-1', expiresAt); // 'https://…/rate/dC0x.…'
 */
export function ratingLinkOf(
  publicBaseUrl: string,
  secret: string,
  taskId: string,
  expiresAt: Date,
): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/rate/${signRatingToken(secret, taskId, expiresAt)}`;
}
