import { describe, expect, it } from 'vitest';
import { signReplyToken } from '../dispatch/reply-token.js';
import { ratingLinkOf, signRatingToken, verifyRatingToken } from './rating-token.js';

const SECRET = 'test-rating-secret-0123456789abcdefgh';
const NOW = new Date('2026-03-12T10:00:00+08:00');
const LATER = new Date('2026-04-11T10:00:00+08:00');

describe('rating link tokens (第二十条)', () => {
  it.each(['t-1', 't_0123456789abcdef0123', 'task.with:odd-chars_9', 'x'.repeat(64)])(
    'verifies a token it signed for task %s',
    (taskId) => {
      expect(verifyRatingToken(SECRET, signRatingToken(SECRET, taskId, LATER), NOW)).toEqual({
        ok: true,
        taskId,
        expiresAt: LATER,
      });
    },
  );

  it.each([
    ['another secret', signRatingToken('another-secret-0123456789abcdefghij', 't-1', LATER)],
    ['another task', signRatingToken(SECRET, 't-1', LATER).replace(/^[^.]+/, 'dC0y')],
    ['a later expiry', signRatingToken(SECRET, 't-1', LATER).replace(/\.(\d+)\./, '.9$1.')],
    ['a reply token', signReplyToken(SECRET, 42, LATER)],
    ['garbage', 'not-a-token'],
  ])('refuses %s as tampered (403)', (_name, token) => {
    expect(verifyRatingToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('refuses a token past its expiry as expired (410)', () => {
    const token = signRatingToken(SECRET, 't-1', NOW);
    expect(verifyRatingToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'expired' });
  });

  it('builds the link on the public address', () => {
    expect(ratingLinkOf('https://dispatch.example/', SECRET, 't-1', LATER)).toMatch(
      /^https:\/\/dispatch\.example\/rate\/dC0x\.\d+\.[A-Za-z0-9_-]{43}$/,
    );
  });
});
