import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { makeExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

describe.each(backends)('request logs on %s', (kind) => {
  let t: TestContext;
  const lines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    t = await createTestContext(kind, {}, { logger: createLogger('info', sink) });
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
          path: '/v1/experts',
          status: 201,
        }),
      ]),
    );
    const text = lines.join('');
    expect(text).not.toMatch(/13987654321|1971-07-07|53010219750615123X|张明华|edk_/);
  });
});
