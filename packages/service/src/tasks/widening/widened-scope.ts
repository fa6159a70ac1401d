import type { WideningStep } from '@expert-dispatch/rules';
import { and, eq, ne, or, type SQL, sql } from 'drizzle-orm';
import { authorities, experts } from '../../db/schema.js';
import { visibleExperts } from '../../experts/pool-scope.js';
import type { Principal } from '../../http/app-env.js';

/** The first four digits of a region code: its prefecture (州、市). */
function prefectureOf(region: string): string {
  return region.slice(0, 4);
}

/**
 * The pools one widening step adds for a requester (see `wideningSteps`), as a condition on the
 * owning authority; null when the step adds no pool for the requester's tier.
 */
function stepPools(principal: Principal, step: WideningStep): SQL | null {
  const prefecture = prefectureOf(principal.region);
  const inPrefecture = sql`substr(${authorities.region}, 1, 4) = ${prefecture}`;
  switch (step) {
    case 'same_prefecture_counties':
      if (principal.tier === 'province') return null;
      return and(
        eq(authorities.tier, 'county'),
        inPrefecture,
        ne(authorities.id, principal.authorityId),
      ) as SQL;
    case 'prefecture_pool':
      if (principal.tier !== 'county') return null;
      return and(eq(authorities.tier, 'city'), inPrefecture) as SQL;
    case 'other_prefectures':
      return principal.tier === 'province'
        ? eq(authorities.tier, 'city')
        : (and(
            eq(authorities.tier, 'city'),
            sql`substr(${authorities.region}, 1, 4) <> ${prefecture}`,
          ) as SQL);
  }
}

/**
 * The experts a draw reads: the caller's usual pools (the provincial pool and its own, 第二十一条)
 * and those of each widening step taken (异地抽取). Without steps, exactly `visibleExperts`.
 *
 * @example
 * db.select().from(experts).where(drawScope(principal, ['same_prefecture_counties']));
 */
export function drawScope(principal: Principal, steps: readonly WideningStep[] = []): SQL {
  const base = visibleExperts(principal);
  const added = steps
    .map((step) => stepPools(principal, step))
    .filter((condition) => condition !== null);
  if (added.length === 0) return base;
  const owners = sql`${experts.ownerAuthorityId} in (select ${authorities.id} from ${authorities} where ${or(...added)})`;
  return or(base, owners) as SQL;
}

/** A stable key of a draw's scope, for the prepared-pool cache. */
export function scopeKey(principal: Principal, steps: readonly WideningStep[] = []): string {
  return steps.length === 0 ? principal.authorityId : `${principal.authorityId}+${steps.join('+')}`;
}
