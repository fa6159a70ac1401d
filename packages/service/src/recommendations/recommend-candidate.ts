import { randomBytes } from 'node:crypto';
import { checkDisqualificationBar, type RuleSet, toShanghaiDate } from '@expert-dispatch/rules';
import { and, eq, or, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Database } from '../db/open-database.js';
import { organizations, recommendations } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { parseExpert } from '../experts/expert-routes.js';
import { findPriorDisqualification } from '../experts/lifecycle/find-prior-disqualification.js';
import type { Principal } from '../http/app-env.js';
import type { CandidateRecommendationInput } from './candidate-input.js';
import { admittedExpertIdOf, type RecommendationRow } from './recommendation-view.js';

/**
 * An enterprise or SOE recommends one of its own people to the provincial pool (第二十一条（一）,
 * 第二十二条). The candidate's employer is the key's organisation, so a recommender can name no
 * one else's staff. The candidate is checked as a record would be (fields, birth date) and
 * against the person's disqualification bar (第九条（六）, 第十六条（三）); one pending
 * recommendation per person. Stored `pending` with the candidate, for the province to review
 * like a city's or county's; the record opens on approval (`decideRecommendation`).
 *
 * @example
 * const { row } = await recommendCandidate(db, principal, { candidate, reason: '技术骨干' }, now, ruleSet);
 */
export async function recommendCandidate(
  db: Database,
  principal: Principal,
  input: CandidateRecommendationInput,
  now: Date,
  ruleSet: RuleSet,
): Promise<{ row: RecommendationRow; expertName: string }> {
  const organizationId = principal.organizationId;
  if (principal.role !== 'recommender' || organizationId === undefined) {
    throw new ProblemError('forbidden', {
      zh: '只有推荐单位（企业、中央驻滇和省属企业）的密钥可以推荐候选人；部门推荐本库专家',
      en: 'only a recommender key recommends candidates; authorities recommend their own experts',
    });
  }
  return db.transaction(async (tx) => {
    const [organization] = await tx
      .select()
      .from(organizations)
      .where(eq(organizations.id, organizationId));
    if (organization === undefined) {
      throw new ProblemError('forbidden', {
        zh: '推荐单位未登记',
        en: 'the recommending organisation is not registered',
      });
    }
    const id = `rc_${randomBytes(10).toString('hex')}`;
    const expert = parseExpert(
      {
        ...input.candidate,
        id: admittedExpertIdOf({ id, toTier: 'province' }),
        employer: { id: organization.id, name: organization.name, kind: organization.kind },
        tier: 'province',
        status: 'recommended',
        appointment: null,
        outstanding: false,
        ageWaiver: false,
        conflicts: [],
        unavailable: [],
        profileUpdatedAt: now.toISOString(),
      },
      now,
    );
    const prior = await findPriorDisqualification(tx, expert);
    const bar = checkDisqualificationBar(
      prior === null ? expert : { ...expert, disqualifiedOn: prior.disqualifiedOn },
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
    const byName = and(
      sql`${recommendations.candidate}->>'name' = ${expert.name}`,
      sql`${recommendations.candidate}->>'birthDate' = ${expert.birthDate}`,
    );
    const [pending] = await tx
      .select({ id: recommendations.id })
      .from(recommendations)
      .where(
        and(
          eq(recommendations.state, 'pending'),
          expert.idNumber === undefined
            ? byName
            : or(sql`${recommendations.candidate}->>'idNumber' = ${expert.idNumber}`, byName),
        ),
      )
      .limit(1);
    if (pending !== undefined) {
      throw new ProblemError(
        'already_exists',
        {
          zh: `该候选人已有待审核的推荐 ${pending.id}`,
          en: `the candidate already has a pending recommendation ${pending.id}`,
        },
        { extensions: { recommendationId: pending.id } },
      );
    }
    const [row] = await tx
      .insert(recommendations)
      .values({
        id,
        expertId: null,
        candidate: { ...expert },
        fromAuthorityId: principal.authorityId,
        fromOrganizationId: organization.id,
        toTier: 'province',
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
        entityId: id,
        reason: input.reason,
        before: null,
        // The candidate's name and employer; the personal fields stay in the row.
        after: {
          candidate: { name: expert.name, employerId: organization.id },
          fromOrganizationId: organization.id,
          toTier: 'province',
        },
      },
      now,
    );
    return { row, expertName: expert.name };
  });
}
