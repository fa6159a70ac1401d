import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a verified reply link stands for. */
export type ReplyTokenCheck =
  | { readonly ok: true; readonly seatId: number; readonly expiresAt: Date }
  | { readonly ok: false; readonly reason: 'tampered' | 'expired' };

const signatureOf = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(payload).digest('base64url');

/**
 * A reply link token for one invitation: `<seatId>.<expiry epoch seconds>.<HMAC-SHA256>`.
 *
 * @example
 * const token = signReplyToken('secret', 42, new Date('2026-03-03T09:00:00+08:00'));
 */
export function signReplyToken(secret: string, seatId: number, expiresAt: Date): string {
  const payload = `${seatId}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return `${payload}.${signatureOf(secret, payload)}`;
}

/**
 * Checks a reply token in constant time: a wrong signature is `tampered` (403), a good one past
 * its expiry `expired` (410).
 *
 * @example
 * verifyReplyToken('secret', token, new Date()); // { ok: true, seatId: 42, expiresAt }
 */
export function verifyReplyToken(secret: string, token: string, now: Date): ReplyTokenCheck {
  const match = /^(\d{1,15})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (match === null) return { ok: false, reason: 'tampered' };
  const [, seat = '', expiry = '', signature = ''] = match;
  const expected = Buffer.from(signatureOf(secret, `${seat}.${expiry}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'tampered' };
  }
  const expiresAt = new Date(Number(expiry) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, seatId: Number(seat), expiresAt };
}
