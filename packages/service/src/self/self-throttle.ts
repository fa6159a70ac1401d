import type { Context } from 'hono';
import { ProblemError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';

/** A fixed window per key: at most `limit` hits per `windowMs`. */
export interface ThrottleRule {
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
}

/** Login codes asked for one phone: 5 an hour, whether or not the phone is an expert's. */
export const LOGIN_PER_PHONE: ThrottleRule = { name: 'login-phone', limit: 5, windowMs: 3_600_000 };
/** Login codes asked from one address: 20 in 10 minutes. */
export const LOGIN_PER_ADDRESS: ThrottleRule = {
  name: 'login-address',
  limit: 20,
  windowMs: 600_000,
};
/** Codes tried for one phone: 10 in 10 minutes (each code also burns after 5 wrong tries). */
export const SESSION_PER_PHONE: ThrottleRule = {
  name: 'session-phone',
  limit: 10,
  windowMs: 600_000,
};
/** Codes tried from one address: 30 in 10 minutes. */
export const SESSION_PER_ADDRESS: ThrottleRule = {
  name: 'session-address',
  limit: 30,
  windowMs: 600_000,
};

interface Window {
  start: number;
  count: number;
}

// Per app database (one per app; tests have several apps in one process), per rule and key.
const WINDOWS = new WeakMap<object, Map<string, Window>>();
const SWEEP_AT = 10_000;

/**
 * Counts a hit of `key` under `rule` on the service's clock and answers 429 (with Retry-After)
 * over the limit. The same answer for a phone that is no expert's: throttling reveals nothing.
 *
 * @example
 * throttle(c, LOGIN_PER_PHONE, normalizePhone(phone));
 */
export function throttle(c: Context<AppEnv>, rule: ThrottleRule, key: string): void {
  let windows = WINDOWS.get(c.var.db);
  if (windows === undefined) {
    windows = new Map();
    WINDOWS.set(c.var.db, windows);
  }
  const time = c.var.services.now().getTime();
  if (windows.size > SWEEP_AT) {
    for (const [k, w] of windows) if (time - w.start >= 3_600_000) windows.delete(k);
  }
  const id = `${rule.name}:${key}`;
  let window = windows.get(id);
  if (window === undefined || time - window.start >= rule.windowMs) {
    window = { start: time, count: 0 };
    windows.set(id, window);
  }
  window.count += 1;
  if (window.count > rule.limit) {
    const retryAfter = Math.max(1, Math.ceil((window.start + rule.windowMs - time) / 1000));
    c.header('Retry-After', String(retryAfter));
    throw new ProblemError('rate_limited', {
      zh: `尝试过于频繁，请 ${retryAfter} 秒后重试`,
      en: `too many attempts; retry in ${retryAfter} s`,
    });
  }
}

/** The socket's remote address under @hono/node-server; one shared bucket elsewhere. */
export function clientAddressOf(c: Context<AppEnv>): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
