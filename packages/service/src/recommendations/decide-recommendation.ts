import type { Expert } from '@expert-dispatch/rules';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { AuditEntryInput } from '../audit/audit-entry.js';
import type { Database, Transaction } from '../db/open-database.js';
import { authorities, experts, recommendations } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { parseExpert } from '../experts/expert-routes.js';
import { expertToColumns, rowToExpert } from '../experts/expert-row.js';
import type { Principal } from '../http/app-env.js';
import {
  admittedExpertIdOf,
  isReviewerOf,
  type RecommendationRow,
  recommendationNotFound,
} from './recommendation-view.js';

export type Decision = 'approve' | 'reject' | 'withdraw';

const DECIDED_STATE: Readonly<Record<Decision, 'approved' | 'rejected' | 'withdrawn'>> = {
  approve: 'approved',
  reject: 'rejected',
  withdraw: 'withdrawn',
};

/** States in which a person is still, or again about to be, in a pool. */
const IN_POOL_STATES = [
  'applied',
  'recommended',
  'under_review',
  'public_notice',
  'active',
  'suspended',
];

/**
 * Decides a pending recommendation. The reviewing authority approves or rejects it with a
 * reason; the recommending authority may withdraw it. Approval opens the person's admission
 * path in the receiving pool (第二十一条（一）, 第十条): a NEW expert record
 * (`admittedExpertIdOf`) in state `recommended`, copied from the local one with its conduct
 * record (warnings, disqualification) and contacts, without the local appointment. The local
 * record stays as it is, so the expert keeps serving locally and both histories are kept.
 * The province then reviews, notices and appoints it through the lifecycle actions.
 *
 * @example
 * await decideRecommendation(db, principal, 'rc_01', 'approve', '符合条件，进入审核', now);
 */
export async function decideRecommendation(
  db: Database,
  principal: Principal,
  id: string,
  decision: Decision,
  reason: string,
  now: Date,
): Promise<{ row: RecommendationRow; expertName: string }> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(recommendations)
      .where(eq(recommendations.id, id))
      .for('update');
    if (current === undefined) throw recommendationNotFound(id);
    const [from] = await tx
      .select({ region: authorities.region })
      .from(authorities)
      .where(eq(authorities.id, current.fromAuthorityId));
    // An organisation's recommendation is the organisation's, not the authority's to withdraw.
    const isRecommender =
      current.fromOrganizationId === null && current.fromAuthorityId === principal.authorityId;
    const isReviewer = isReviewerOf(current, from?.region ?? '', principal);
    if (!isRecommender && !isReviewer) throw recommendationNotFound(id);
    if (decision === 'withdraw' ? !isRecommender : !isReviewer) {
      throw new ProblemError('forbidden', {
        zh:
          decision === 'withdraw'
            ? '只有推荐单位可以撤回推荐'
            : '只有接收推荐的上级部门可以审核推荐',
        en:
          decision === 'withdraw'
            ? 'only the recommending authority withdraws a recommendation'
            : 'only the receiving authority decides on a recommendation',
      });
    }
    if (current.state !== 'pending') {
      throw new ProblemError(
        'illegal_transition',
        {
          zh: `推荐已处理（${current.state}），不能再${decision === 'approve' ? '通过' : decision === 'reject' ? '驳回' : '撤回'}`,
          en: `the recommendation is already ${current.state}`,
        },
        { extensions: { from: current.state, to: DECIDED_STATE[decision] } },
      );
    }
    const subject = await subjectOf(tx, current);
    if (subject === undefined) throw recommendationNotFound(id);
    const audit: AuditEntryInput[] = [];
    if (decision === 'approve') {
      audit.push(
        subject.local === null
          ? await admitCandidate(tx, current, principal, subject.person, reason, now)
          : await admitUpward(tx, current, principal, subject.local, reason, now),
      );
    }
    const [row] = await tx
      .update(recommendations)
      .set({
        state: DECIDED_STATE[decision],
        decisionReason: reason,
        decidedBy: principal.keyId,
        decidedAt: now,
      })
      .where(eq(recommendations.id, id))
      .returning();
    if (row === undefined) throw recommendationNotFound(id);
    audit.push({
      actor: { keyId: principal.keyId, authorityId: principal.authorityId },
      action: `recommendation.${DECIDED_STATE[decision]}`,
      entityType: 'recommendation',
      entityId: id,
      reason,
      before: { state: current.state },
      after: {
        state: row.state,
        ...(decision === 'approve' ? { admittedExpertId: admittedExpertIdOf(row) } : {}),
      },
    });
    // Last: the audit chain lock is held until commit.
    await appendAudit(tx, audit, now);
    return { row, expertName: subject.person.name };
  });
}

/** The recommended person: a local pool's record, or an organisation's candidate (no record). */
async function subjectOf(
  tx: Transaction,
  recommendation: RecommendationRow,
): Promise<{ person: Expert; local: typeof experts.$inferSelect | null } | undefined> {
  if (recommendation.expertId === null) {
    return recommendation.candidate === null
      ? undefined
      : { person: parseExpert(recommendation.candidate), local: null };
  }
  const [local] = await tx.select().from(experts).where(eq(experts.id, recommendation.expertId));
  return local === undefined ? undefined : { person: rowToExpert(local), local };
}

/**
 * Opens the provincial record of an organisation's candidate (第二十一条（一）, 第二十二条) in
 * state recommended, as the candidate was submitted; returns its audit entry.
 */
async function admitCandidate(
  tx: Transaction,
  recommendation: RecommendationRow,
  principal: Principal,
  candidate: Expert,
  reason: string,
  now: Date,
): Promise<AuditEntryInput> {
  const admitted: Expert = {
    ...candidate,
    id: admittedExpertIdOf(recommendation),
    tier: 'province',
    status: 'recommended',
    appointment: null,
  };
  await assertNotAlreadyInPool(tx, admitted, 'province', principal.authorityId);
  await tx.insert(experts).values({
    ...expertToColumns(admitted),
    ownerAuthorityId: principal.authorityId,
    contacts: null,
    reviewApprovedAt: null,
    publicNotice: null,
    createdAt: now,
    updatedAt: now,
  });
  return {
    actor: { keyId: principal.keyId, authorityId: principal.authorityId },
    action: 'expert.created',
    entityType: 'expert',
    entityId: admitted.id,
    reason: `经 ${recommendation.fromOrganizationId} 推荐（${recommendation.id}）进入审核程序：${reason}`,
    before: null,
    after: {
      ...admitted,
      recommendedFrom: {
        recommendationId: recommendation.id,
        organizationId: recommendation.fromOrganizationId,
      },
    },
  };
}

/** Creates the receiving pool's record; returns its audit entry. */
async function admitUpward(
  tx: Transaction,
  recommendation: RecommendationRow,
  principal: Principal,
  local: typeof experts.$inferSelect,
  reason: string,
  now: Date,
): Promise<AuditEntryInput> {
  const person = rowToExpert(local);
  const admittedId = admittedExpertIdOf(recommendation);
  await assertNotAlreadyInPool(tx, person, recommendation.toTier, principal.authorityId);
  const admitted: Expert = {
    ...person,
    id: admittedId,
    tier: recommendation.toTier as Expert['tier'],
    status: 'recommended',
    appointment: null,
  };
  await tx.insert(experts).values({
    ...expertToColumns(admitted),
    ownerAuthorityId: principal.authorityId,
    contacts: local.contacts,
    reviewApprovedAt: null,
    publicNotice: null,
    createdAt: now,
    updatedAt: now,
  });
  return {
    actor: { keyId: principal.keyId, authorityId: principal.authorityId },
    action: 'expert.created',
    entityType: 'expert',
    entityId: admittedId,
    reason: `经 ${recommendation.fromAuthorityId} 推荐（${recommendation.id}）进入审核程序：${reason}`,
    before: null,
    after: {
      ...admitted,
      recommendedFrom: { recommendationId: recommendation.id, expertId: local.id },
    },
  };
}

/**
 * Refuses a second record of the same person (same ID number, or same name and birth date
 * where one has none) in the receiving pool while the first is in it or on its way.
 */
async function assertNotAlreadyInPool(
  tx: Transaction,
  person: Expert,
  tier: string,
  ownerAuthorityId: string,
): Promise<void> {
  const byName = sql`(${experts.name} = ${person.name} and ${experts.birthDate} = ${person.birthDate})`;
  const samePerson =
    person.idNumber === undefined
      ? byName
      : sql`(${experts.idNumber} = ${person.idNumber} or (${experts.idNumber} is null and ${byName}))`;
  const [existing] = await tx
    .select({ id: experts.id })
    .from(experts)
    .where(
      and(
        eq(experts.ownerAuthorityId, ownerAuthorityId),
        eq(experts.tier, tier),
        ne(experts.id, person.id),
        inArray(experts.status, IN_POOL_STATES),
        samePerson,
      ),
    )
    .limit(1);
  if (existing !== undefined) {
    throw new ProblemError(
      'already_exists',
      {
        zh: `该专家已在本级专家库中（${existing.id}）`,
        en: `the person is already in this pool as ${existing.id}`,
      },
      { extensions: { expertId: existing.id } },
    );
  }
}
