import { describe, expect, it } from 'vitest';
import { readEnv } from './env.js';

describe('readEnv', () => {
  it('defaults to port 3000, PGlite in ./.data and demo mode', () => {
    expect(readEnv({})).toMatchObject({
      PORT: 3000,
      DATA_DIR: './.data',
      DEMO: true,
      BODY_LIMIT_BYTES: 1_048_576,
    });
  });

  it('retries a delivery for 15 minutes before it is undeliverable, unless configured (issue 13)', () => {
    expect(readEnv({}).DELIVERY_RETRY_WINDOW_MS).toBe(15 * 60_000);
    expect(readEnv({ DELIVERY_RETRY_WINDOW_MS: '300000' }).DELIVERY_RETRY_WINDOW_MS).toBe(300_000);
  });

  it('turns demo mode off by default when a PostgreSQL URL is given', () => {
    expect(readEnv({ DATABASE_URL: 'postgres://u@h/db' }).DEMO).toBe(false);
    expect(readEnv({ DATABASE_URL: 'postgres://u@h/db', DEMO: 'true' }).DEMO).toBe(true);
  });

  it('treats empty variables as unset', () => {
    expect(readEnv({ PORT: '', REDIS_URL: '' })).toMatchObject({ PORT: 3000 });
    expect(readEnv({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DEMO: 'maybe' }, 'DEMO'],
  ])('names the bad variable in %j', (source, name) => {
    expect(() => readEnv(source)).toThrow(name);
  });

  it('leaves secrets and the public address unset outside production: no constant in code', () => {
    const env = readEnv({ PORT: '8080' });
    expect(env.REPLY_LINK_SECRET).toBeUndefined();
    expect(env.NOTIFY_SIGNING_SECRET).toBeUndefined();
    expect(env.PUBLIC_BASE_URL).toBeUndefined();
    expect(env.DISPATCH_WORKERS).toBe(true);
  });

  it('refuses to start in production without the reply and signing secrets', () => {
    expect(() => readEnv({ NODE_ENV: 'production' })).toThrow(
      /REPLY_LINK_SECRET: required in production.*生产环境必须设置/,
    );
    for (const name of ['NOTIFY_SIGNING_SECRET', 'PUBLIC_BASE_URL']) {
      expect(() => readEnv({ NODE_ENV: 'production' })).toThrow(name);
    }
    const secret = 'x'.repeat(32);
    const env = readEnv({
      NODE_ENV: 'production',
      REPLY_LINK_SECRET: secret,
      NOTIFY_SIGNING_SECRET: secret,
      PUBLIC_BASE_URL: 'https://dispatch.example.gov.cn',
    });
    expect(env.REPLY_LINK_SECRET).toBe(secret);
  });
});
