import type { Principal } from '../http/app-env.js';

/**
 * How long a process trusts a key it has looked up. A key revoked through this process stops
 * at once (the revocation clears the cache); other processes notice within this time.
 */
export const PRINCIPAL_CACHE_MS = 5_000;
/** A bound on remembered keys, so that many distinct keys cannot grow the cache without end. */
const MAX_ENTRIES = 10_000;

interface Remembered {
  readonly principal: Principal;
  readonly until: number;
}

// One cache per database (a process may hold several, e.g. in tests), like the pool cache.
const caches = new WeakMap<object, Map<string, Remembered>>();

/**
 * The principal of a key hash looked up less than `PRINCIPAL_CACHE_MS` ago, if any.
 *
 * @example
 * const principal = cachedPrincipal(db, hashApiKey(secret), Date.now());
 */
export function cachedPrincipal(owner: object, keyHash: string, nowMs: number): Principal | null {
  const cache = caches.get(owner);
  const hit = cache?.get(keyHash);
  if (hit === undefined) return null;
  if (hit.until <= nowMs) {
    cache?.delete(keyHash);
    return null;
  }
  return hit.principal;
}

/**
 * Remembers a key that authenticated. Unknown or revoked keys are never remembered: each
 * attempt with one is looked up again.
 *
 * @example
 * rememberPrincipal(db, keyHash, principal, Date.now());
 */
export function rememberPrincipal(
  owner: object,
  keyHash: string,
  principal: Principal,
  nowMs: number,
): void {
  let cache = caches.get(owner);
  if (cache === undefined) {
    cache = new Map();
    caches.set(owner, cache);
  }
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(keyHash, { principal, until: nowMs + PRINCIPAL_CACHE_MS });
}

/**
 * Forgets every remembered key of a database: called when a key is revoked, so that this
 * process refuses it from the next request on.
 *
 * @example
 * forgetPrincipals(db);
 */
export function forgetPrincipals(owner: object): void {
  caches.get(owner)?.clear();
}
