import { cityOf } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { and, eq, or, type SQL, sql } from 'drizzle-orm';
import { authorities, recommendations } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { Principal } from '../http/app-env.js';

export type RecommendationRow = typeof recommendations.$inferSelect;

/** The states of a recommendation (推荐, 第二十一条（一）). */
export const RECOMMENDATION_STATES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;

export const recommendationViewSchema = z
  .object({
    id: z.string(),
    expertId: z.string().nullable().openapi({
      description:
        "The recommended expert in the local pool; null for an organisation's candidate, who has no record until approved",
    }),
    expertName: z.string(),
    fromAuthorityId: z.string(),
    fromOrganizationId: z.string().nullable().openapi({
      description:
        'The recommending enterprise or SOE (第二十一条（一）, 第二十二条); null for an authority',
    }),
    toTier: z.enum(['province', 'city']),
    state: z.enum(RECOMMENDATION_STATES),
    reason: z.string(),
    decisionReason: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    admittedExpertId: z.string().nullable().openapi({
      description:
        'Once approved: the new record in the receiving pool, in state recommended, on its way through review, public notice and appointment (第十条)',
    }),
  })
  .openapi('Recommendation');

export type RecommendationView = z.infer<typeof recommendationViewSchema>;

/**
 * The id of the record an approved recommendation opens in the receiving pool:
 * `<tier>:<recommendation id>`, so that it is known from the recommendation alone, names where
 * it came from, and never collides with a record the person had there before.
 *
 * @example
 * admittedExpertIdOf({ id: 'rc_0a1b', toTier: 'province' }); // 'province:rc_0a1b'
 */
export function admittedExpertIdOf(row: Pick<RecommendationRow, 'id' | 'toTier'>): string {
  return `${row.toTier}:${row.id}`;
}

/**
 * The API view of a recommendation.
 *
 * @example
 * toRecommendationView(row, '张明华').state; // 'pending'
 */
export function toRecommendationView(
  row: RecommendationRow,
  expertName: string,
): RecommendationView {
  return {
    id: row.id,
    expertId: row.expertId,
    expertName,
    fromAuthorityId: row.fromAuthorityId,
    fromOrganizationId: row.fromOrganizationId,
    toTier: row.toTier as RecommendationView['toTier'],
    state: row.state as RecommendationView['state'],
    reason: row.reason,
    decisionReason: row.decisionReason,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    admittedExpertId: row.state === 'approved' ? admittedExpertIdOf(row) : null,
  };
}

/**
 * The recommendations a caller may see: those its authority made, and those it reviews — the
 * province every one sent to the province, a city those its counties sent to it.
 * Join `authorities` on `from_authority_id` for the city case.
 */
export function visibleRecommendations(principal: Principal): SQL {
  // A recommender sees its organisation's own recommendations, nothing else.
  if (principal.role === 'recommender') {
    return eq(recommendations.fromOrganizationId, principal.organizationId ?? '');
  }
  const own = eq(recommendations.fromAuthorityId, principal.authorityId);
  if (principal.tier === 'province') {
    return or(own, eq(recommendations.toTier, 'province')) as SQL;
  }
  if (principal.tier === 'city') {
    return or(
      own,
      and(
        eq(recommendations.toTier, 'city'),
        sql`substr(${authorities.region}, 1, 4) = ${principal.region.slice(0, 4)}`,
      ),
    ) as SQL;
  }
  return own;
}

/**
 * True when the caller decides on the recommendation: the province for the provincial pool,
 * the city over the recommending county for a city pool.
 */
export function isReviewerOf(
  row: Pick<RecommendationRow, 'toTier'>,
  fromRegion: string,
  principal: Principal,
): boolean {
  if (row.toTier === 'province') return principal.tier === 'province';
  return principal.tier === 'city' && cityOf(fromRegion) === principal.region;
}

/** The 404 of a recommendation the caller cannot see. */
export function recommendationNotFound(id: string): ProblemError {
  return new ProblemError('not_found', {
    zh: `推荐记录 ${id} 不存在`,
    en: `no recommendation ${id}`,
  });
}
