import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { draws, tasks } from '../db/schema.js';
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
      ),
    )
    .orderBy(desc(draws.createdAt))
    .limit(MAX_DRAWS);
  return rows.map((row) => {
    const stored = row.exclusions as StoredExclusions;
    const keys = (stored.excluded ?? [])
      .filter((group) => group.expertIds?.includes(expertId) ?? false)
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
