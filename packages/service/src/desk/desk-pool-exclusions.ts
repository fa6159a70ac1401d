import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { draws, poolSnapshots, tasks } from '../db/schema.js';
import { COMPACT_EXCLUSIONS, loadSnapshotIds } from '../draws/compact-exclusions.js';
import {
  loadExclusionSets,
  REASON_SET_EXCLUSIONS,
  reasonsHolding,
} from '../draws/exclusion-sets.js';
import { decodePoolIndices } from '../draws/pool-index-codec.js';
import type { Principal } from '../http/app-env.js';

/** A draw of the caller's own tasks that left the expert out, and why (the draw's own words). */
export interface ExpertExclusion {
  readonly drawId: string;
  readonly taskId: string;
  readonly at: string;
  readonly reasons: readonly {
    readonly article: string | null;
    readonly zh: string;
    readonly en: string;
  }[];
}

const MAX_DRAWS = 100;

interface StoredExclusions {
  readonly excluded?: readonly {
    readonly reasons?: readonly string[];
    readonly expertIds?: readonly string[];
    /** A compact record's group: pool indices (see compact-exclusions.ts). */
    readonly indices?: string;
  }[];
  readonly exclusionReasons?: Readonly<
    Record<
      string,
      { readonly article?: string | null; readonly message?: { zh?: string; en?: string } }
    >
  >;
}

/**
 * The draws of the caller's own tasks whose exclusion record names the expert, newest first,
 * each with the reasons as the draw recorded them (article and message at the time of the
 * draw, so later rule changes do not rewrite why someone was left out). Another authority's
 * draws are not shown: their tasks are theirs.
 *
 * @example
 * const exclusions = await loadExpertExclusions(db, principal, 'e-1');
 * exclusions[0]?.reasons[0]?.article; // '第十六条（一）'
 */
export async function loadExpertExclusions(
  db: Executor,
  principal: Principal,
  expertId: string,
): Promise<ExpertExclusion[]> {
  const wanted = JSON.stringify([{ expertIds: [expertId] }]);
  const rows = await db
    .select({
      drawId: draws.id,
      taskId: draws.taskId,
      createdAt: draws.createdAt,
      exclusions: draws.exclusions,
    })
    .from(draws)
    .innerJoin(tasks, eq(tasks.id, draws.taskId))
    .where(
      and(
        eq(tasks.authorityId, principal.authorityId),
        sql`${draws.exclusions} -> 'excluded' @> ${wanted}::jsonb`,
        sql`${draws.exclusions} ->> 'encoding' is null`,
      ),
    )
    .orderBy(desc(draws.createdAt))
    .limit(MAX_DRAWS);
  const compact = await compactDrawsExcluding(db, principal, expertId);
  const found = [...rows.map((row) => ({ ...row, index: -1 })), ...compact]
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .slice(0, MAX_DRAWS);
  return found.map((row) => {
    const stored = row.exclusions as StoredExclusions;
    const keys = (stored.excluded ?? [])
      .filter((group) => inGroup(group, expertId, row.index))
      .flatMap((group) => group.reasons ?? []);
    return {
      drawId: row.drawId,
      taskId: row.taskId,
      at: row.createdAt.toISOString(),
      reasons: keys.map((key) => {
        const reason = stored.exclusionReasons?.[key];
        return {
          article: reason?.article ?? null,
          zh: reason?.message?.zh ?? key,
          en: reason?.message?.en ?? key,
        };
      }),
    };
  });
}

type Group = NonNullable<StoredExclusions['excluded']>[number];

function inGroup(group: Group, expertId: string, index: number): boolean {
  if (group.expertIds?.includes(expertId) ?? false) return true;
  return (
    index >= 0 && group.indices !== undefined && decodePoolIndices(group.indices).includes(index)
  );
}

/**
 * The caller's draws with a compact exclusion record that left the expert out: their groups
 * name pool indices, so the expert's index is looked up once per pool snapshot (in SQL, without
 * reading the snapshot into the service) and the groups decoded here.
 */
async function compactDrawsExcluding(db: Executor, principal: Principal, expertId: string) {
  const rows = await db
    .select({
      drawId: draws.id,
      taskId: draws.taskId,
      createdAt: draws.createdAt,
      exclusions: draws.exclusions,
      digest: draws.poolSnapshotDigest,
    })
    .from(draws)
    .innerJoin(tasks, eq(tasks.id, draws.taskId))
    .where(
      and(
        eq(tasks.authorityId, principal.authorityId),
        sql`${draws.exclusions} ->> 'encoding' in (${COMPACT_EXCLUSIONS}, ${REASON_SET_EXCLUSIONS})`,
      ),
    )
    .orderBy(desc(draws.createdAt));
  if (rows.length === 0) return [];
  const digests = [...new Set(rows.map((row) => row.digest))];
  const positions = await db
    .select({
      digest: poolSnapshots.digest,
      index: sql<
        number | null
      >`(select (e.o - 1)::int from jsonb_array_elements(${poolSnapshots.experts}) with ordinality as e(v, o) where e.v ->> 'id' = ${expertId} order by e.o limit 1)`,
      versioned: sql<boolean>`${poolSnapshots.experts} is null`,
    })
    .from(poolSnapshots)
    .where(inArray(poolSnapshots.digest, digests));
  const indexOf = new Map(
    positions.map((p) => [p.digest, p.index === null ? -1 : Number(p.index)]),
  );
  // Snapshots stored as versions (#17) have no experts array to search in SQL.
  for (const p of positions) {
    if (!p.versioned) continue;
    const ids = await loadSnapshotIds(db, p.digest);
    indexOf.set(p.digest, ids === null ? -1 : ids.indexOf(expertId));
  }
  const found = [];
  // Draws on one pool share their sets: each read and decoded once for the request.
  const sets = new Map<string, string>();
  const decoded = new Map<string, readonly number[]>();
  for (const row of rows) {
    const index = indexOf.get(row.digest) ?? -1;
    const stored = row.exclusions as StoredExclusions;
    if ((stored as { encoding?: unknown }).encoding === REASON_SET_EXCLUSIONS) {
      // One index set per reason (#17): the expert's group is the one with exactly its reasons.
      const group =
        index < 0 ? undefined : await reasonSetGroup(db, stored, index, { sets, decoded });
      if (group === undefined) continue;
      const named = { ...group, expertIds: [expertId] };
      found.push({ ...row, index, exclusions: { ...stored, excluded: [named] } });
    } else {
      if (!(stored.excluded ?? []).some((group) => inGroup(group, expertId, index))) continue;
      found.push({ ...row, index });
    }
    if (found.length === MAX_DRAWS) break;
  }
  return found;
}

/** The group of a `pool-indices@2` record that holds the pool index, with ids in its place. */
async function reasonSetGroup(
  db: Executor,
  stored: StoredExclusions,
  index: number,
  cache: { sets: Map<string, string>; decoded: Map<string, readonly number[]> },
): Promise<Group | undefined> {
  const sets = await loadExclusionSets(db, stored, cache.sets);
  const reasons = reasonsHolding(stored, sets, index, cache.decoded);
  if (reasons.length === 0) return undefined;
  const key = [...reasons].sort().join('\n');
  return (stored.excluded ?? []).find(
    (group) => [...(group.reasons ?? [])].sort().join('\n') === key,
  );
}
