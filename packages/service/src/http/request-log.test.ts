import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../access/api-key.js';
import { signReplyToken } from '../dispatch/reply-token.js';
import { createLogger } from '../logger.js';
import { signRatingToken } from '../ratings/rating-token.js';
import { makeExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

/** A logger whose JSON lines land in `lines`. */
function capturedLogger(lines: string[]) {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return createLogger('info', sink);
}

/** The secret-bearing strings of a request: none of them, nor a part of a key's hash, may be logged. */
function secretsOf(values: { tokens: string[]; keys: string[] }): string[] {
  return [
    ...values.tokens,
    ...values.tokens.map((token) => token.split('.').at(-1) ?? token),
    ...values.keys,
    ...values.keys.map((key) => hashApiKey(key)),
    ...values.keys.map((key) => hashApiKey(key).slice(0, 16)),
    ...values.keys.map((key) => hashApiKey(key).slice(-16)),
  ];
}

describe.each(backends)('request logs on %s', (kind) => {
  let t: TestContext;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await createTestContext(kind, {}, { logger: capturedLogger(lines) });
  });
  afterAll(() => t.close());

  it('logs one JSON line per request with its id, and never personal data or keys', async () => {
    const expert = makeExpert({ id: 'log-1', phone: '13987654321', birthDate: '1971-07-07' });
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: expert,
      headers: { 'x-request-id': 'log-req-1' },
    });
    await call(t, 'GET', '/v1/experts/log-1', { key: 'yn.admin' });
    await call(t, 'GET', `/v1/experts?q=${encodeURIComponent('张明华')}`, { key: 'yn.admin' });
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: { ...expert, id: 'log-2', birthDate: 'x' },
    });
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          requestId: 'log-req-1',
          method: 'POST',
          route: '/v1/experts',
          status: 201,
        }),
      ]),
    );
    const text = lines.join('');
    expect(text).not.toMatch(/13987654321|1971-07-07|53010219750615123X|张明华|edk_/);
  });

  it('logs the route pattern of reply, rating and expert requests, never their tokens or ids', async () => {
    lines.length = 0;
    const later = new Date(t.clock.now().getTime() + 86_400_000);
    const replyToken = signReplyToken(t.services.env.REPLY_LINK_SECRET, 987_654, later);
    const ratingToken = signRatingToken(t.services.env.REPLY_LINK_SECRET, 'task-log-1', later);
    const forged = `${replyToken.slice(0, -4)}AAAA`;
    await call(t, 'GET', `/r/${replyToken}`);
    await call(t, 'POST', `/r/${forged}`, { json: { answer: 'decline' } });
    await call(t, 'GET', `/rate/${ratingToken}`);
    await call(t, 'GET', '/v1/experts/expert-id-in-path-7', { key: 'yn.admin' });
    const badKey = 'edk_not-a-real-key-but-long-enough-to-look-like-one';
    const bad = await call(t, 'GET', '/v1/experts', { key: { secret: badKey } });
    expect(bad.status).toBe(401);
    const routes = lines.map((line) => (JSON.parse(line) as { route?: string }).route);
    expect(routes).toEqual(
      expect.arrayContaining(['/r/:token', '/rate/:token', '/v1/experts/:id', '/v1/experts']),
    );
    const text = lines.join('');
    for (const secret of secretsOf({
      tokens: [replyToken, ratingToken, forged],
      keys: [badKey, t.keys['yn.admin']],
    })) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain('expert-id-in-path-7');
  });
});

describe.each(backends)('error logs on %s', (kind) => {
  it('log a failed key lookup without the key or its hash (the query’s params)', async () => {
    const lines: string[] = [];
    const t = await createTestContext(kind, {}, { logger: capturedLogger(lines) });
    const unknownKey = 'edk_unknown-key-looked-up-while-the-database-is-down';
    await t.close();
    const answer = await call(t, 'GET', '/v1/experts', { key: { secret: unknownKey } });
    expect(answer.status).toBeGreaterThanOrEqual(500);
    const text = lines.join('');
    expect(text).toContain('"route":"/v1/experts"');
    for (const secret of secretsOf({ tokens: [], keys: [unknownKey] })) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain('params:');
  });
});
