import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/open-database.js';
import { type EnvSettings, readEnv } from '../env.js';
import { availableBackends, createTestDatabase } from '../testing/test-backends.test-helpers.js';
import { configuredEnv, resolveServiceEnv, StartupError } from './resolve-service-env.js';

const backends = await availableBackends();
const CONFIGURED = {
  REPLY_LINK_SECRET: 'r'.repeat(40),
  NOTIFY_SIGNING_SECRET: 's'.repeat(40),
  PUBLIC_BASE_URL: 'https://dispatch.example.gov.cn',
};

describe.each(backends)('secrets and the public address on %s', (kind) => {
  let database: OpenDatabase;
  let other: OpenDatabase;
  beforeAll(async () => {
    [database, other] = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
  });
  afterAll(async () => {
    await Promise.all([database.close(), other.close()]);
  });

  it('refuses a worker without PUBLIC_BASE_URL before any API recorded its address', async () => {
    const attempt = resolveServiceEnv(readEnv({ PORT: '4100' }), database.db, 'worker');
    await expect(attempt).rejects.toThrow(StartupError);
    await expect(attempt).rejects.toThrow(/请设置 PUBLIC_BASE_URL[\s\S]*set PUBLIC_BASE_URL/);
  });

  it('generates 256-bit secrets at first start and every process on the database agrees', async () => {
    const starts = await Promise.all([
      resolveServiceEnv(readEnv({ PORT: '4100' }), database.db, 'api'),
      resolveServiceEnv(readEnv({ PORT: '4101' }), database.db, 'api'),
      resolveServiceEnv(readEnv({ PORT: '4102' }), database.db, 'api'),
    ]);
    const [first] = starts;
    expect(first?.generated).toEqual(['REPLY_LINK_SECRET', 'NOTIFY_SIGNING_SECRET']);
    expect(first?.env.REPLY_LINK_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(first?.env.NOTIFY_SIGNING_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(first?.env.REPLY_LINK_SECRET).not.toBe(first?.env.NOTIFY_SIGNING_SECRET);
    for (const start of starts) {
      expect(start.env.REPLY_LINK_SECRET).toBe(first?.env.REPLY_LINK_SECRET);
      expect(start.env.NOTIFY_SIGNING_SECRET).toBe(first?.env.NOTIFY_SIGNING_SECRET);
    }
    const worker = await resolveServiceEnv(readEnv({ PORT: '9999' }), database.db, 'worker');
    expect(worker.env.REPLY_LINK_SECRET).toBe(first?.env.REPLY_LINK_SECRET);
  });

  it('gives another database other secrets: nothing is a constant', async () => {
    const here = await resolveServiceEnv(readEnv({}), database.db, 'api');
    const there = await resolveServiceEnv(readEnv({}), other.db, 'api');
    expect(there.env.REPLY_LINK_SECRET).not.toBe(here.env.REPLY_LINK_SECRET);
    expect(there.env.NOTIFY_SIGNING_SECRET).not.toBe(here.env.NOTIFY_SIGNING_SECRET);
  });

  it('builds a worker’s links from the address the API recorded, never from the worker’s PORT', async () => {
    await resolveServiceEnv(readEnv({ PORT: '4321' }), database.db, 'api');
    const worker = await resolveServiceEnv(readEnv({ PORT: '3000' }), database.db, 'worker');
    expect(worker.env.PUBLIC_BASE_URL).toBe('http://localhost:4321');
  });

  it('uses configured secrets and PUBLIC_BASE_URL as they are, and generates nothing', async () => {
    const api = await resolveServiceEnv(readEnv(CONFIGURED), other.db, 'api');
    const worker = await resolveServiceEnv(
      readEnv({ ...CONFIGURED, PORT: '3000' }),
      other.db,
      'worker',
    );
    for (const resolved of [api, worker]) {
      expect(resolved.generated).toEqual([]);
      expect(resolved.env).toMatchObject(CONFIGURED);
    }
  });

  it('never generates a secret or guesses the address in production', async () => {
    const production: EnvSettings = { ...readEnv({}), NODE_ENV: 'production' };
    await expect(resolveServiceEnv(production, database.db, 'api')).rejects.toThrow(
      /生产环境必须设置 REPLY_LINK_SECRET.*required in production/,
    );
    const withSecrets: EnvSettings = {
      ...readEnv({
        REPLY_LINK_SECRET: CONFIGURED.REPLY_LINK_SECRET,
        NOTIFY_SIGNING_SECRET: CONFIGURED.NOTIFY_SIGNING_SECRET,
      }),
      NODE_ENV: 'production',
    };
    await expect(resolveServiceEnv(withSecrets, database.db, 'worker')).rejects.toThrow(
      'PUBLIC_BASE_URL',
    );
  });
});

describe('configuredEnv', () => {
  it('takes settings that name every secret and the address', () => {
    expect(configuredEnv(readEnv(CONFIGURED))).toMatchObject(CONFIGURED);
  });

  it.each(Object.keys(CONFIGURED))('names %s when it is missing', (name) => {
    const settings = readEnv({ ...CONFIGURED, [name]: '' });
    expect(() => configuredEnv(settings)).toThrow(name);
  });
});
