import { describe, expect, it } from 'vitest';
import { signReplyToken, verifyReplyToken } from './reply-token.js';

const secret = 'reply-secret-0123456789abcdef0123456789';
const expiry = new Date('2026-03-03T09:00:00+08:00');
const before = new Date('2026-03-02T09:00:00+08:00');

describe('reply link tokens', () => {
  it('verifies its own token until the expiry', () => {
    const token = signReplyToken(secret, 42, expiry);
    expect(verifyReplyToken(secret, token, before)).toEqual({
      ok: true,
      seatId: 42,
      expiresAt: expiry,
    });
  });

  it('calls a token past its expiry expired', () => {
    const token = signReplyToken(secret, 42, expiry);
    expect(verifyReplyToken(secret, token, expiry)).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['another invitation id', (token: string) => token.replace(/^42\./, '43.')],
    [
      'a later expiry',
      (token: string) => token.replace(/\.(\d+)\./, (_m, s) => `.${Number(s) + 3600}.`),
    ],
    [
      'a changed signature',
      (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
    ],
    ['garbage', () => 'not-a-token'],
  ])('calls a token with %s tampered', (_case, tamper) => {
    const token = tamper(signReplyToken(secret, 42, expiry));
    expect(verifyReplyToken(secret, token, before)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('refuses a token signed with another secret', () => {
    const token = signReplyToken('another-secret-0123456789abcdef01234', 42, expiry);
    expect(verifyReplyToken(secret, token, before)).toEqual({ ok: false, reason: 'tampered' });
  });
});
