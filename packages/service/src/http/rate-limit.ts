import { createMiddleware } from 'hono/factory';
import { ProblemError } from '../errors.js';
import type { AppEnv } from './app-env.js';

/** A fixed-window limit: at most `limit` requests per client per `windowMs`. */
export interface RateLimitOptions {
  readonly limit: number;
  readonly windowMs: number;
  /** The clock; tests pass a fixed one. */
  readonly now?: () => number;
}

interface Window {
  start: number;
  count: number;
}

// Windows of clients not seen for a while are dropped once the table grows past this.
const SWEEP_AT = 10_000;

/**
 * Limits requests per client address in this process (the public query of 第十九条 needs no key,
 * so it is the one place a stranger can make the service work). Over the limit: a 429 problem
 * with `Retry-After`. Every answer carries `RateLimit-Limit` and `RateLimit-Remaining`.
 *
 * @example
 * app.use('/v1/public/*', rateLimit({ limit: 60, windowMs: 60_000 }));
 */
export function rateLimit(options: RateLimitOptions) {
  const windows = new Map<string, Window>();
  const now = options.now ?? Date.now;
  const limiter = createMiddleware<AppEnv>(async (c, next) => {
    const time = now();
    if (windows.size > SWEEP_AT) {
      for (const [key, window] of windows) {
        if (time - window.start >= options.windowMs) windows.delete(key);
      }
    }
    const client = clientAddress(c.env);
    let window = windows.get(client);
    if (window === undefined || time - window.start >= options.windowMs) {
      window = { start: time, count: 0 };
      windows.set(client, window);
    }
    window.count += 1;
    c.header('RateLimit-Limit', String(options.limit));
    c.header('RateLimit-Remaining', String(Math.max(0, options.limit - window.count)));
    if (window.count > options.limit) {
      const retryAfter = Math.ceil((window.start + options.windowMs - time) / 1000);
      c.header('Retry-After', String(Math.max(1, retryAfter)));
      throw new ProblemError('rate_limited', {
        zh: `请求过于频繁，请 ${Math.max(1, retryAfter)} 秒后重试`,
        en: `too many requests; retry in ${Math.max(1, retryAfter)} s`,
      });
    }
    await next();
  });
  return Object.assign(limiter, { [RATE_LIMITER]: true });
}

const RATE_LIMITER = Symbol('rateLimit');

/**
 * Whether a handler is a `rateLimit` middleware: the OpenAPI document reads the app's own
 * middleware to document 429 wherever it can be answered.
 *
 * @example
 * isRateLimiter(rateLimit({ limit: 60, windowMs: 60_000 })); // true
 */
export function isRateLimiter(handler: unknown): boolean {
  return typeof handler === 'function' && RATE_LIMITER in handler;
}

/** The socket's remote address under @hono/node-server; one shared bucket elsewhere. */
function clientAddress(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
