import { createHash } from 'node:crypto';
import { type PreparedPool, preparePool, updatePreparedPool } from '@expert-dispatch/matcher';
import type { DrawExpert, Expert, WideningStep } from '@expert-dispatch/rules';
import { and, asc, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';
import { experts } from '../db/schema.js';
import { rowToExpert } from '../experts/expert-row.js';
import type { Principal } from '../http/app-env.js';
import { loadPersonIds } from './person-ids.js';
import { drawScope, scopeKey } from './widening/widened-scope.js';

/**
 * The phone the draw record carries instead of the real one: the rules never read it, and a
 * draw record goes to auditors and, exported, out of the service (第八条（五）).
 */
export const REDACTED_PHONE = '00000';

/**
 * The pool as a draw sees it: personal data the rules do not read is left out, and the
 * person id, when the person holds another record in the same pool (see `loadPersonIds`), is
 * added so that the draw seats the person once and books them once (第十五条, 第二十一条).
 *
 * @example
 * toDrawExpert(expert); // no idNumber, phone '00000'
 * toDrawExpert(expert, 'e-yn-3').personId; // 'e-yn-3'
 */
export function toDrawExpert(expert: Expert, personId?: string): DrawExpert {
  const { idNumber: _idNumber, ...rest } = expert;
  return { ...rest, phone: REDACTED_PHONE, ...(personId === undefined ? {} : { personId }) };
}

/** How a pool revision came into the cache: read whole, or the cached pool with the changes applied. */
export type PoolLoad = 'full' | 'changes';

interface CachedPool {
  readonly revision: string;
  readonly pool: PreparedPool;
  readonly loadedBy: PoolLoad;
  snapshotStored: boolean;
}

/** A prepared pool and whether its snapshot is known to be stored. */
export interface LoadedPool {
  readonly pool: PreparedPool;
  /** How this revision was loaded (by this draw or an earlier one). */
  readonly loadedBy: PoolLoad;
  readonly isSnapshotStored: () => boolean;
  /** Call only after the transaction that stored the snapshot has committed. */
  readonly markSnapshotStored: () => void;
}

// Preparing a pool indexes it once; draws reuse it until an expert of that pool changes.
const caches = new WeakMap<object, Map<string, CachedPool>>();
// Loads in flight, per owner, scope and revision: draws that find the same new revision at
// the same time share one load instead of each selecting and preparing the whole pool (with
// expert updates every few hundred ms, every concurrent draw used to reload it; issue #17).
const loading = new WeakMap<object, Map<string, Promise<CachedPool>>>();

/**
 * The prepared pool a caller's draws use: the provincial pool and the caller's own local pool
 * (第二十一条, 第二十六条) and the pools of the widening steps taken (异地抽取), ordered by id, the records of one person sharing a person id. Cached per `owner` (the database — never a transaction,
 * which is new for every request) and caller until any expert changes: the pool's revision,
 * kept in the database, is read with one query, so several processes stay correct.
 *
 * @example
 * const { pool } = await loadPreparedPool(tx, principal, services.db); // pool.digest names the snapshot
 */
export async function loadPreparedPool(
  db: Executor,
  principal: Principal,
  owner: object,
  widen: readonly WideningStep[] = [],
): Promise<LoadedPool> {
  const scope = drawScope(principal, widen);
  const key = scopeKey(principal, widen);
  // One primary-key read (raw SQL: it is on every draw's path): a deferred trigger counts the
  // revision up at the commit of every change to an expert (migration 0008).
  const [stamp] = await queryRows<{ revision: string }>(
    db,
    sql`select revision::text as revision from pool_revision where id = 1`,
  );
  const revision = stamp?.revision ?? '';
  let cache = caches.get(owner);
  if (cache === undefined) {
    cache = new Map();
    caches.set(owner, cache);
  }
  let entry = cache.get(key);
  if (entry?.revision !== revision) {
    const pools = cache;
    const base = entry;
    const loadOwn = async (): Promise<CachedPool> => {
      // The changes since the cached revision when the log has them all (#17); else the pool.
      const changed =
        base === undefined ? undefined : await applyChanges(db, scope, base, revision);
      const pool = changed ?? (await loadWhole(db, scope));
      const loadedBy: PoolLoad = changed === undefined ? 'full' : 'changes';
      const known = [...pools.values()].some(
        (other) => other.pool.digest === pool.digest && other.snapshotStored,
      );
      const loaded: CachedPool = { revision, pool, loadedBy, snapshotStored: known };
      // A load of an older revision that ends last does not replace a newer pool.
      const cached = pools.get(key);
      if (cached === undefined || Number(cached.revision) <= Number(revision)) {
        pools.set(key, loaded);
      }
      return loaded;
    };
    let inFlight = loading.get(owner);
    if (inFlight === undefined) {
      inFlight = new Map();
      loading.set(owner, inFlight);
    }
    const loadKey = `${revision}\u0000${key}`;
    const shared = inFlight.get(loadKey);
    if (shared === undefined) {
      const own = loadOwn();
      const flights = inFlight;
      flights.set(loadKey, own);
      const done = () => {
        if (flights.get(loadKey) === own) flights.delete(loadKey);
      };
      void own.then(done, done);
      entry = await own;
    } else {
      // Another draw's transaction runs the load; should it fail, this draw loads on its own.
      entry = await shared.catch(loadOwn);
    }
  }
  const current = entry;
  return {
    pool: current.pool,
    loadedBy: current.loadedBy,
    isSnapshotStored: () => current.snapshotStored,
    markSnapshotStored: () => {
      current.snapshotStored = true;
    },
  };
}

// node:crypto's SHA-256 for the pool digest (the same digest, several times faster).
const sha256 = () => createHash('sha256');

/** The pool read whole: every expert of the scope, ordered by id in code-unit order. */
async function loadWhole(db: Executor, scope: SQL): Promise<PreparedPool> {
  // Code-unit order ("C" collation), the order updatePreparedPool inserts new records in.
  const rows = await db
    .select()
    .from(experts)
    .where(scope)
    .orderBy(asc(sql`${experts.id} collate "C"`));
  // Who is the same person depends on records in other pools too; the revision counts up
  // on a change to any expert, so the cached person ids stay right.
  const personIds = await loadPersonIds(db, scope);
  // The pool-digest@2 tree, which a change updates per record (older draws keep their
  // whole-pool digest and verify under it).
  return preparePool(
    rows.map((row) => toDrawExpert(rowToExpert(row), personIds.get(row.id))),
    { sha256, digest: 2 },
  );
}

/** More changed experts than this in one step: the pool is read whole instead. */
const MAX_CHANGES = 5_000;

/**
 * The cached pool with the experts changed in the revisions after its own applied (migration
 * 0028 logs them), or undefined when the log cannot say: a revision without entries (a
 * TRUNCATE, or pruned), a change that may have moved who is the same person (`linked`), a
 * cached pool newer than the revision read, or too many changes.
 */
async function applyChanges(
  db: Executor,
  scope: SQL,
  base: CachedPool,
  revision: string,
): Promise<PreparedPool | undefined> {
  const from = Number(base.revision);
  const to = Number(revision);
  if (!(from < to) || to - from > MAX_CHANGES || base.pool.digestTree === undefined) {
    return undefined;
  }
  // The log and the changed rows in one round trip (postgres.js pipelines the two statements
  // of a transaction); the rows are dropped if the log cannot say what changed.
  const changedIds = sql`select expert_id from pool_changes
                          where revision > ${from} and revision <= ${to}`;
  const [changes, rows] = await Promise.all([
    queryRows<{ revisions: number; ids: string[] | null; linked: boolean }>(
      db,
      sql`select count(distinct revision)::int as revisions,
                 array_agg(distinct expert_id) as ids,
                 coalesce(bool_or(linked), false) as linked
            from pool_changes where revision > ${from} and revision <= ${to}`,
    ),
    db
      .select()
      .from(experts)
      .where(and(scope, sql`${experts.id} in (${changedIds})`))
      .limit(MAX_CHANGES + 1),
  ]);
  const [log] = changes;
  if (log === undefined || log.revisions !== to - from || log.linked) return undefined;
  const ids = log.ids ?? [];
  if (ids.length > MAX_CHANGES || rows.length > MAX_CHANGES) return undefined;
  // None of them shares a person with another record (`linked` is false): no person id.
  const upserted = rows.map((row) => toDrawExpert(rowToExpert(row)));
  const found = new Set(rows.map((row) => row.id));
  const removed = ids.filter((id) => !found.has(id));
  return updatePreparedPool(base.pool, { upserted, removed }, { sha256 });
}
