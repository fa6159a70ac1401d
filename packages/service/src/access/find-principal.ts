import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { Database } from '../db/open-database.js';
import { apiKeys, authorities } from '../db/schema.js';
import type { Principal } from '../http/app-env.js';
import { hashApiKey } from './api-key.js';
import { cachedPrincipal, rememberPrincipal } from './principal-cache.js';

const BEARER = /^Bearer[ ]+(\S+)\s*$/i;

/**
 * The key secret of an `Authorization: Bearer <key>` header, else none.
 *
 * @example
 * bearerSecretOf('Bearer edk_x'); // 'edk_x'
 */
export function bearerSecretOf(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}

/**
 * The principal of an unrevoked key, looked up by the hash of its secret — or found looked up
 * in the last few seconds (see principal-cache.ts; revoking a key clears this process's cache).
 *
 * @example
 * const principal = await findPrincipal(db, 'edk_…'); // undefined: unknown or revoked
 */
export async function findPrincipal(db: Database, secret: string): Promise<Principal | undefined> {
  const keyHash = hashApiKey(secret);
  // Wall-clock time on purpose: the cache's lifetime is real time, not the service's clock.
  const nowMs = Date.now();
  const cached = cachedPrincipal(db, keyHash, nowMs);
  if (cached !== null) return cached;
  const principal = await loadLivePrincipal(db, eq(apiKeys.secretHash, keyHash));
  if (principal !== undefined) rememberPrincipal(db, keyHash, principal, nowMs);
  return principal;
}

/**
 * The principal of an unrevoked key by its public id, looked up afresh every time.
 *
 * @example
 * const principal = await findPrincipalByKeyId(db, 'key_0123456789abcdef');
 */
export async function findPrincipalByKeyId(
  db: Database,
  keyId: string,
): Promise<Principal | undefined> {
  return loadLivePrincipal(db, eq(apiKeys.id, keyId));
}

async function loadLivePrincipal(db: Database, condition: SQL): Promise<Principal | undefined> {
  const [row] = await db
    .select({
      keyId: apiKeys.id,
      role: apiKeys.role,
      authorityId: authorities.id,
      tier: authorities.tier,
      region: authorities.region,
      organizationId: apiKeys.organizationId,
    })
    .from(apiKeys)
    .innerJoin(authorities, eq(authorities.id, apiKeys.authorityId))
    .where(and(condition, isNull(apiKeys.revokedAt)));
  if (row === undefined) return undefined;
  // Only a recommender key names an organisation; other principals stay as they were.
  const { organizationId, ...principal } = row;
  return (organizationId === null ? principal : { ...principal, organizationId }) as Principal;
}
