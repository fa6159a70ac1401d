import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './app-env.js';
import { handleError } from './error-handler.js';
import { rateLimit } from './rate-limit.js';

function appWithClock() {
  let time = 1_000_000;
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('requestId', 'test');
    await next();
  });
  app.use('*', rateLimit({ limit: 2, windowMs: 60_000, now: () => time }));
  app.get('/', (c) => c.text('ok'));
  app.onError(handleError);
  return { app, advance: (ms: number) => (time += ms) };
}

describe('rateLimit', () => {
  it('lets the limit through, refuses the next request and counts down', async () => {
    const { app } = appWithClock();
    const first = await app.request('/');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect((await app.request('/')).status).toBe(200);
    const refused = await app.request('/');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
  });

  it('opens a new window once the old one has passed', async () => {
    const { app, advance } = appWithClock();
    await app.request('/');
    await app.request('/');
    advance(59_999);
    expect((await app.request('/')).status).toBe(429);
    advance(1);
    expect((await app.request('/')).status).toBe(200);
  });
});
