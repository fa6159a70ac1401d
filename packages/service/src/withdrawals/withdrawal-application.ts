import { randomBytes } from 'node:crypto';
import { toShanghaiDate } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Actor } from '../audit/audit-entry.js';
import { loadWorkingCalendar } from '../calendar/working-calendar.js';
import type { Transaction } from '../db/open-database.js';
import { experts, withdrawalApplications } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import { parseExpert } from '../experts/expert-routes.js';
import { lifecycleOf, rowToExpert } from '../experts/expert-row.js';
import type { RecordedEvidence } from '../experts/lifecycle/action-evidence.js';
import { applyExpertAction } from '../experts/lifecycle/apply-expert-action.js';
import { recordExpertAction } from '../experts/lifecycle/record-expert-action.js';
import type { Principal, Services } from '../http/app-env.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';

export type WithdrawalRow = typeof withdrawalApplications.$inferSelect;

/** A withdrawal application as the expert and the admins see it (no personal data). */
export const withdrawalApplicationSchema = z
  .object({
    id: z.string(),
    expertId: z.string(),
    reason: z.string(),
    state: z.enum(['open', 'accepted', 'refused']).openapi({
      description: 'open 待处理 · accepted 已同意（专家已退出） · refused 不同意（附书面理由）',
    }),
    decisionReason: z.string().nullable(),
    decidedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('WithdrawalApplication');

export type WithdrawalApplicationView = z.infer<typeof withdrawalApplicationSchema>;

/** The view of a stored application; who decided stays in the audit log. */
export function toWithdrawalView(row: WithdrawalRow): WithdrawalApplicationView {
  return {
    id: row.id,
    expertId: row.expertId,
    reason: row.reason,
    state: row.state,
    decisionReason: row.decisionReason,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** States from which there is nothing to withdraw from (final states, 第二十四条). */
const LEFT = new Set(['withdrawn', 'dismissed']);

/**
 * Files the expert's written application for voluntary withdrawal (第二十四条), audited as the
 * expert. One open application at a time (409 otherwise); an expert already withdrawn or
 * dismissed has nothing to withdraw from (409).
 *
 * @example
 * await fileWithdrawalApplication(tx, 'e-1', '工作变动，无法继续履职', now);
 */
export async function fileWithdrawalApplication(
  tx: Transaction,
  expertId: string,
  reason: string,
  now: Date,
): Promise<WithdrawalRow> {
  const [expert] = await tx
    .select({ status: experts.status })
    .from(experts)
    .where(eq(experts.id, expertId))
    .for('update');
  if (expert === undefined || LEFT.has(expert.status)) {
    throw new ProblemError('illegal_transition', {
      zh: '您已不在专家库中，无需申请退出',
      en: 'you are no longer in the pool; there is nothing to withdraw from',
    });
  }
  const [open] = await tx
    .select({ id: withdrawalApplications.id })
    .from(withdrawalApplications)
    .where(
      and(eq(withdrawalApplications.expertId, expertId), eq(withdrawalApplications.state, 'open')),
    );
  if (open !== undefined) {
    throw new ProblemError(
      'already_exists',
      { zh: '已有一份待处理的退出申请', en: 'a withdrawal application is already open' },
      { extensions: { applicationId: open.id } },
    );
  }
  const [row] = await tx
    .insert(withdrawalApplications)
    .values({
      id: `wa_${randomBytes(10).toString('hex')}`,
      expertId,
      reason,
      state: 'open',
      createdAt: now,
    })
    .returning();
  if (row === undefined) throw new Error('insert returned no row');
  await appendAudit(
    tx,
    {
      actor: { keyId: `self:${expertId}`, authorityId: null },
      action: 'withdrawal_application.filed',
      entityType: 'withdrawal_application',
      entityId: row.id,
      reason,
      after: toWithdrawalView(row),
    },
    now,
  );
  return row;
}

/** An admin's decision on an application: accept (the expert withdraws) or refuse, with a reason. */
export interface WithdrawalDecision {
  readonly decision: 'accept' | 'refuse';
  readonly reason: string;
}

/**
 * Decides an open application in one transaction. Accepting runs the `withdraw` lifecycle action
 * (第二十四条) with the application as its evidence — the expert withdrawn, audited as
 * `expert.withdraw` citing it — and marks the application accepted; refusing records the written
 * reason. Either way the application's own audit entry follows. Another authority's expert is a
 * 404 (hidden) or 403 (visible, not owned); a decided application is a 409.
 *
 * @example
 * await decideWithdrawal(services, principal, 'wa_…', { decision: 'accept', reason: '同意' });
 */
export async function decideWithdrawal(
  services: Services,
  principal: Principal,
  applicationId: string,
  decision: WithdrawalDecision,
): Promise<WithdrawalRow> {
  const now = services.now();
  const calendar = await loadWorkingCalendar(services.db);
  return services.db.transaction(async (tx) => {
    const [application] = await tx
      .select()
      .from(withdrawalApplications)
      .where(eq(withdrawalApplications.id, applicationId))
      .for('update');
    const [row] =
      application === undefined
        ? []
        : await tx.select().from(experts).where(eq(experts.id, application.expertId)).for('update');
    // Only the pool's owner sees and decides its experts' applications.
    if (
      application === undefined ||
      row === undefined ||
      row.ownerAuthorityId !== principal.authorityId
    ) {
      throw new ProblemError('not_found', {
        zh: `退出申请 ${applicationId} 不存在`,
        en: `no withdrawal application ${applicationId}`,
      });
    }
    if (application.state !== 'open') {
      throw new ProblemError('illegal_transition', {
        zh: '该退出申请已处理',
        en: `the application is already ${application.state}`,
      });
    }
    const actor: Actor = { keyId: principal.keyId, authorityId: principal.authorityId };
    if (decision.decision === 'accept') {
      const before = rowToExpert(row);
      const evidence: RecordedEvidence = {
        kind: 'document',
        ref: `withdrawal-application:${application.id}`,
        note: application.reason.slice(0, 500),
        facts: { applicationId: application.id, filedAt: application.createdAt.toISOString() },
      };
      const outcome = applyExpertAction(
        before,
        lifecycleOf(row),
        'withdraw',
        { reason: decision.reason, evidence: [evidence] },
        {
          today: toShanghaiDate(now),
          now,
          ruleSet: await resolveRuleSet(tx, row.ownerAuthorityId, services.ruleSet),
          calendar,
        },
      );
      await recordExpertAction(
        tx,
        {
          actor,
          expert: parseExpert(outcome.expert),
          before,
          lifecycle: outcome.lifecycle,
          reason: decision.reason,
          record: {
            action: 'withdraw',
            article: outcome.article,
            on: outcome.on,
            evidence: [evidence],
          },
        },
        now,
      );
    }
    const [decided] = await tx
      .update(withdrawalApplications)
      .set({
        state: decision.decision === 'accept' ? 'accepted' : 'refused',
        decisionReason: decision.reason,
        decidedBy: principal.keyId,
        decidedAt: now,
      })
      .where(eq(withdrawalApplications.id, application.id))
      .returning();
    if (decided === undefined) throw new Error('update returned no row');
    await appendAudit(
      tx,
      {
        actor,
        action: `withdrawal_application.${decided.state}`,
        entityType: 'withdrawal_application',
        entityId: decided.id,
        reason: decision.reason,
        before: toWithdrawalView(application),
        after: toWithdrawalView(decided),
      },
      now,
    );
    return decided;
  });
}
