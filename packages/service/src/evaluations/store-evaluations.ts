import type { RuleSet } from '@expert-dispatch/rules';
import { and, eq, isNull, notInArray, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Transaction } from '../db/open-database.js';
import { yearlyEvaluations } from '../db/schema.js';
import type { Principal } from '../http/app-env.js';
import { actorOf } from '../tasks/draw-task.js';
import type { ComputedEvaluation } from './compute-year.js';

/**
 * Stores a year's computed evaluations of the caller's pool in one transaction, with one audit
 * entry (`evaluation.computed`) listing each expert's score and computed grade. Recomputing
 * replaces the computed part of each result and keeps an admin's adjustment; an un-adjusted
 * result of an expert no longer evaluated for the year is removed, an adjusted one kept.
 *
 * @example
 * await db.transaction((tx) => storeEvaluations(tx, principal, 2025, computed, ruleSet, now));
 */
export async function storeEvaluations(
  tx: Transaction,
  principal: Principal,
  year: number,
  computed: readonly ComputedEvaluation[],
  ruleSet: RuleSet,
  now: Date,
): Promise<void> {
  const ruleSetRef = { id: ruleSet.id, version: ruleSet.version };
  const ids = computed.map((item) => item.record.expertId);
  const stale = and(
    eq(yearlyEvaluations.authorityId, principal.authorityId),
    eq(yearlyEvaluations.year, year),
    isNull(yearlyEvaluations.adjustedGrade),
  );
  await tx
    .delete(yearlyEvaluations)
    .where(ids.length === 0 ? stale : and(stale, notInArray(yearlyEvaluations.expertId, ids)));
  const CHUNK = 500;
  for (let index = 0; index < computed.length; index += CHUNK) {
    const values = computed.slice(index, index + CHUNK).map(({ record, result }) => ({
      year,
      expertId: record.expertId,
      authorityId: principal.authorityId,
      scoreTenths: Math.round(result.score * 10),
      computedGrade: result.grade,
      evidence: result.evidence,
      basis: {
        asOf: record.asOf,
        source: record.source,
        auditSeq: record.auditSeq,
        title: record.title,
        status: record.status,
        appointment: record.appointment,
      },
      ruleSet: ruleSetRef,
      computedAt: now,
      computedBy: principal.keyId,
    }));
    await tx
      .insert(yearlyEvaluations)
      .values(values)
      .onConflictDoUpdate({
        target: [yearlyEvaluations.year, yearlyEvaluations.expertId],
        // The adjustment columns are left as they are: an adjustment survives a recompute.
        set: {
          authorityId: sql`excluded.authority_id`,
          scoreTenths: sql`excluded.score_tenths`,
          computedGrade: sql`excluded.computed_grade`,
          evidence: sql`excluded.evidence`,
          basis: sql`excluded.basis`,
          ruleSet: sql`excluded.rule_set`,
          computedAt: sql`excluded.computed_at`,
          computedBy: sql`excluded.computed_by`,
        },
      });
  }
  await appendAudit(
    tx,
    {
      actor: actorOf(principal),
      action: 'evaluation.computed',
      entityType: 'yearly_evaluation',
      entityId: `${principal.authorityId}:${year}`,
      reason: '年度评价（第二十条）',
      before: null,
      after: {
        year,
        ruleSet: ruleSetRef,
        results: computed.map(({ record, result }) => ({
          expertId: record.expertId,
          score: result.score,
          grade: result.grade,
          basis: record.source,
        })),
      },
    },
    now,
  );
}
