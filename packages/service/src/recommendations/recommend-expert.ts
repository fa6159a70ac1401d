import { randomBytes } from 'node:crypto';
import { checkDisqualificationBar, type RuleSet, toShanghaiDate } from '@expert-dispatch/rules';
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Database } from '../db/open-database.js';
import { recommendations } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { findPriorDisqualification } from '../experts/lifecycle/find-prior-disqualification.js';
import { assertOwnsExpert, loadVisibleExpert } from '../experts/pool-scope.js';
import type { Principal } from '../http/app-env.js';
import type { RecommendationRow } from './recommendation-view.js';

/** What a city or county sends to recommend one of its experts upward. */
export interface RecommendationInput {
  readonly expertId: string;
  readonly reason: string;
  /** Where to: the province (default), or for a county also its city. */
  readonly toTier?: 'province' | 'city' | undefined;
}

/**
 * A city or county recommends one of its own pool's experts to the pool above (第二十一条（一）):
 * only an active expert of the caller's pool, in good standing and not barred by a
 * disqualification of the person (第九条（六）, 第十六条（三）), with no other recommendation
 * pending. Stores it `pending` and audits it.
 *
 * @example
 * const row = await recommendExpert(db, principal, { expertId: 'wh-1', reason: '业务能力强' }, now, ruleSet);
 */
export async function recommendExpert(
  db: Database,
  principal: Principal,
  input: RecommendationInput,
  now: Date,
  ruleSet: RuleSet,
): Promise<{ row: RecommendationRow; expertName: string }> {
  const toTier = input.toTier ?? 'province';
  if (principal.tier === 'province') {
    throw new ProblemError('forbidden', {
      zh: '省级专家库之上没有可推荐的层级；由州（市）、县向上推荐（第二十一条（一））',
      en: 'there is no pool above the province; cities and counties recommend upward (第二十一条（一）)',
    });
  }
  if (toTier === 'city' && principal.tier !== 'county') {
    throw new ProblemError(
      'validation_failed',
      { zh: '州（市）只能向省级推荐', en: 'a city recommends to the province only' },
      { errors: [{ path: 'toTier', message: 'must be province for a city' }] },
    );
  }
  return db.transaction(async (tx) => {
    const { expert, row: expertRow } = await loadVisibleExpert(tx, principal, input.expertId, {
      forUpdate: true,
    });
    assertOwnsExpert(expertRow, principal);
    if (expert.status !== 'active') {
      throw new ProblemError(
        'illegal_transition',
        {
          zh: `只能推荐在库专家，专家 ${expert.id} 的状态为 ${expert.status}`,
          en: `only active experts are recommended; ${expert.id} is ${expert.status}`,
        },
        { extensions: { from: expert.status } },
      );
    }
    const prior = await findPriorDisqualification(tx, expert);
    const disqualifiedOn = [expert.disqualifiedOn, prior?.disqualifiedOn]
      .filter((d): d is string => d !== undefined)
      .sort()
      .at(-1);
    const bar = checkDisqualificationBar(
      disqualifiedOn === undefined ? expert : { ...expert, disqualifiedOn },
      toShanghaiDate(now),
      ruleSet,
    );
    if (!bar.ok) {
      throw new ProblemError(
        'admission_refused',
        { zh: `${bar.article}：${bar.message.zh}`, en: `${bar.article}: ${bar.message.en}` },
        { extensions: { reasons: [bar] } },
      );
    }
    const [pending] = await tx
      .select({ id: recommendations.id })
      .from(recommendations)
      .where(and(eq(recommendations.expertId, expert.id), eq(recommendations.state, 'pending')));
    if (pending !== undefined) {
      throw new ProblemError(
        'already_exists',
        {
          zh: `专家 ${expert.id} 已有待审核的推荐 ${pending.id}`,
          en: `expert ${expert.id} already has a pending recommendation ${pending.id}`,
        },
        { extensions: { recommendationId: pending.id } },
      );
    }
    const [row] = await tx
      .insert(recommendations)
      .values({
        id: `rc_${randomBytes(10).toString('hex')}`,
        expertId: expert.id,
        fromAuthorityId: principal.authorityId,
        toTier,
        state: 'pending',
        reason: input.reason,
        createdBy: principal.keyId,
        createdAt: now,
      })
      .returning();
    if (row === undefined) throw new Error('recommendation insert returned no row');
    await appendAudit(
      tx,
      {
        actor: { keyId: principal.keyId, authorityId: principal.authorityId },
        action: 'recommendation.created',
        entityType: 'recommendation',
        entityId: row.id,
        reason: input.reason,
        before: null,
        after: { expertId: expert.id, fromAuthorityId: principal.authorityId, toTier },
      },
      now,
    );
    return { row, expertName: expert.name };
  });
}
