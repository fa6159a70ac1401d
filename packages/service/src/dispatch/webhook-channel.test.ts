import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signPayload } from './webhook-channel.js';

describe('gateway request signatures', () => {
  it('signs the timestamp and the body with HMAC-SHA256', () => {
    const expected = createHmac('sha256', 'k').update('1767225600.{"a":1}').digest('hex');
    expect(signPayload('k', '1767225600', '{"a":1}')).toBe(`sha256=${expected}`);
  });

  it('changes with the timestamp, so that an old request cannot be replayed as new', () => {
    expect(signPayload('k', '1', 'body')).not.toBe(signPayload('k', '2', 'body'));
  });
});
