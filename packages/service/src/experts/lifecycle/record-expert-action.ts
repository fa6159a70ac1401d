import type { Expert, IsoDate } from '@expert-dispatch/rules';
import { eq, sql } from 'drizzle-orm';
import { appendAudit } from '../../audit/append-audit.js';
import type { Actor, AuditEntryInput } from '../../audit/audit-entry.js';
import type { Transaction } from '../../db/open-database.js';
import { experts } from '../../db/schema.js';
import { type ExpertLifecycle, expertToColumns } from '../expert-row.js';
import type { RecordedEvidence } from './action-evidence.js';

/** What the audit entry of a lifecycle action says besides the expert before and after. */
export interface ActionRecord {
  readonly action: string;
  readonly article: string;
  readonly on: IsoDate;
  readonly evidence: readonly RecordedEvidence[];
  /** The record whose disqualification this one follows (the same person, 第十六条（三）). */
  readonly sameAs?: string;
}

/** A change made by a lifecycle action, as recorded. */
export interface ExpertActionChange {
  readonly actor: Actor;
  readonly expert: Expert;
  readonly before: Expert;
  readonly lifecycle: ExpertLifecycle;
  readonly reason: string;
  readonly record: ActionRecord;
}

/**
 * Saves an expert changed by a lifecycle action and appends its audit entry LAST in the
 * transaction (see `expertActionAudit`), followed by `followers`: the entries of the changes the
 * action carried to other records (`disqualifyOtherRecords`). The row's version goes up, which
 * also tells the draws' pool cache to reload, so the change decides the very next draw.
 *
 * @example
 * await recordExpertAction(tx, { actor, expert: after, before, lifecycle, reason, record }, now);
 */
export async function recordExpertAction(
  tx: Transaction,
  change: ExpertActionChange,
  now: Date,
  followers: readonly AuditEntryInput[] = [],
): Promise<void> {
  await writeExpertRow(tx, change.expert, change.lifecycle, now);
  await appendAudit(tx, [expertActionAudit(change), ...followers], now);
}

/**
 * Updates an expert's row (bumping its version) without auditing: for callers that append the
 * audit entries of several changes at once.
 *
 * @example
 * await writeExpertRow(tx, expired, lifecycleOf(row), now);
 */
export async function writeExpertRow(
  tx: Transaction,
  expert: Expert,
  lifecycle: ExpertLifecycle,
  now: Date,
): Promise<void> {
  const { id: _id, ...columns } = expertToColumns(expert);
  await tx
    .update(experts)
    .set({
      ...columns,
      reviewApprovedAt: lifecycle.reviewApprovedAt,
      publicNotice: lifecycle.publicNotice,
      updatedAt: now,
      version: sql`${experts.version} + 1`,
    })
    .where(eq(experts.id, expert.id));
}

/**
 * The audit entry of a lifecycle action: `expert.<action>` with the reason, the expert before,
 * and the expert after with `lifecycleAction: { action, article, on, evidence }` — so that the
 * log alone shows what was done, under which article, and on what evidence (第二十三条,
 * 第二十四条, 第十六条（三）).
 *
 * @example
 * expertActionAudit(change).action; // 'expert.warn'
 */
export function expertActionAudit(change: ExpertActionChange): AuditEntryInput {
  return {
    actor: change.actor,
    action: `expert.${change.record.action}`,
    entityType: 'expert',
    entityId: change.expert.id,
    reason: change.reason,
    before: change.before,
    after: { ...change.expert, lifecycleAction: change.record },
  };
}
