import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  availableQueueModes,
  dropQueuePrefix,
  freshQueuePrefix,
  TEST_REDIS_URL,
} from './redis.test-helpers.js';

const SOURCE = fileURLToPath(new URL('..', import.meta.url));

/** Every .ts file under src/, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

// The test suite leaves nothing in the Redis it shares with other runs (issue 12, item 9): every
// file that takes a queue prefix drops it, with the prefixes derived from it.
describe('test queue prefixes', () => {
  it('are dropped by every file that takes one', () => {
    const taking = sourceFiles(SOURCE).filter(
      (file) =>
        !file.endsWith('redis.test-helpers.ts') &&
        !file.endsWith('redis.test-helpers.test.ts') &&
        readFileSync(file, 'utf8').includes('freshQueuePrefix('),
    );
    expect(taking.length).toBeGreaterThan(0);
    const leaking = taking.filter(
      (file) => !readFileSync(file, 'utf8').includes('dropQueuePrefix('),
    );
    expect(leaking).toEqual([]);
  });
});

const modes = await availableQueueModes();

describe.runIf(modes.includes('bullmq'))('dropQueuePrefix', () => {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const other = freshQueuePrefix();
  afterAll(async () => {
    await dropQueuePrefix(other);
    redis.disconnect();
  });

  it('removes the prefix and the <prefix>-<kind> prefixes made from it, and nothing else', async () => {
    const prefix = freshQueuePrefix();
    await redis.mset(
      `${prefix}:dispatch:meta`,
      '1',
      `${prefix}-pglite:dispatch:1`,
      '1',
      `${prefix}-postgres:dispatch:1`,
      '1',
      `${other}:dispatch:meta`,
      '1',
    );
    await dropQueuePrefix(prefix);
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
    expect(await redis.exists(`${other}:dispatch:meta`)).toBe(1);
  });
});
