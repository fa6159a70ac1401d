import { type PreparedPool, preparePool } from '@expert-dispatch/matcher';
import type { Expert } from '@expert-dispatch/rules';
import { asc, count, max, sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { experts } from '../db/schema.js';
import { rowToExpert } from '../experts/expert-row.js';
import { visibleExperts } from '../experts/pool-scope.js';
import type { Principal } from '../http/app-env.js';

/**
 * The phone the draw record carries instead of the real one: the rules never read it, and a
 * draw record goes to auditors and, exported, out of the service (第八条（五）).
 */
export const REDACTED_PHONE = '00000';

/** The pool as a draw sees it: personal data the rules do not read is left out. */
export function toDrawExpert(expert: Expert): Expert {
  const { idNumber: _idNumber, ...rest } = expert;
  return { ...rest, phone: REDACTED_PHONE };
}

interface CachedPool {
  readonly revision: string;
  readonly pool: PreparedPool;
}

// Preparing a pool indexes it once; draws reuse it until an expert of that pool changes.
const caches = new WeakMap<object, Map<string, CachedPool>>();

/**
 * The prepared pool a caller's draws use: the provincial pool and the caller's own local pool
 * (第二十一条, 第二十六条), ordered by id. Cached per database and visibility until any of those
 * experts changes (count, last update and versions form the revision).
 *
 * @example
 * const pool = await loadPreparedPool(db, principal); // pool.digest names the snapshot
 */
export async function loadPreparedPool(db: Executor, principal: Principal): Promise<PreparedPool> {
  const scope = visibleExperts(principal);
  const [stamp] = await db
    .select({
      experts: count(),
      updated: max(experts.updatedAt),
      versions: sql<string>`coalesce(sum(${experts.version}), 0)::text`,
    })
    .from(experts)
    .where(scope);
  const revision = `${stamp?.experts ?? 0}:${stamp?.updated?.toISOString() ?? '-'}:${stamp?.versions ?? 0}`;
  const cacheKey = principal.authorityId;
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  const cached = cache.get(cacheKey);
  if (cached?.revision === revision) return cached.pool;
  const rows = await db.select().from(experts).where(scope).orderBy(asc(experts.id));
  const pool = preparePool(rows.map((row) => toDrawExpert(rowToExpert(row))));
  cache.set(cacheKey, { revision, pool });
  return pool;
}
