import type { Expert } from '@expert-dispatch/rules';
import { eq, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Actor } from '../audit/audit-entry.js';
import type { Transaction } from '../db/open-database.js';
import { experts } from '../db/schema.js';

export type ExpertRow = typeof experts.$inferSelect;

/** Lifecycle bookkeeping kept beside the Expert record. */
export interface ExpertLifecycle {
  readonly reviewApprovedAt: Date | null;
  readonly publicNotice: ExpertRow['publicNotice'];
}

/** The lifecycle bookkeeping of a row. */
export function lifecycleOf(row: ExpertRow): ExpertLifecycle {
  return { reviewApprovedAt: row.reviewApprovedAt, publicNotice: row.publicNotice };
}

/**
 * The Expert JSON of a row (the public contract of @expert-dispatch/rules).
 *
 * @example
 * const expert = rowToExpert(row); // expertSchema.parse(expert) succeeds
 */
export function rowToExpert(row: ExpertRow): Expert {
  return {
    id: row.id,
    name: row.name,
    birthDate: row.birthDate,
    phone: row.phone,
    ...(row.idNumber === null ? {} : { idNumber: row.idNumber }),
    title: row.title as Expert['title'],
    safetyEngineer: row.safetyEngineer as Expert['safetyEngineer'],
    practiceYears: row.practiceYears,
    employer: {
      id: row.employerId,
      name: row.employerName,
      kind: row.employerKind as Expert['employer']['kind'],
    },
    region: row.region,
    tier: row.tier as Expert['tier'],
    group: row.group as Expert['group'],
    industries: row.industries as Expert['industries'],
    specialties: row.specialties,
    status: row.status as Expert['status'],
    appointment: row.appointment,
    outstanding: row.outstanding,
    ageWaiver: row.ageWaiver,
    ...(row.ageWaiverApproval === null ? {} : { ageWaiverApproval: row.ageWaiverApproval }),
    ...(row.disqualifiedOn === null ? {} : { disqualifiedOn: row.disqualifiedOn }),
    ...(row.disqualifiedUnder === null ? {} : { disqualifiedUnder: row.disqualifiedUnder }),
    profileUpdatedAt: row.profileUpdatedAt.toISOString(),
    conflicts: row.conflicts,
    unavailable: row.unavailable,
    ...(row.warnings === null ? {} : { warnings: row.warnings }),
  };
}

/** The columns of an Expert (without the pool owner and bookkeeping). */
export function expertToColumns(expert: Expert) {
  return {
    id: expert.id,
    name: expert.name,
    birthDate: expert.birthDate,
    phone: expert.phone,
    idNumber: expert.idNumber ?? null,
    title: expert.title,
    safetyEngineer: expert.safetyEngineer,
    practiceYears: expert.practiceYears,
    employerId: expert.employer.id,
    employerName: expert.employer.name,
    employerKind: expert.employer.kind,
    region: expert.region,
    tier: expert.tier,
    group: expert.group,
    industries: [...expert.industries],
    specialties: [...expert.specialties],
    status: expert.status,
    appointment: expert.appointment,
    outstanding: expert.outstanding,
    ageWaiver: expert.ageWaiver,
    ageWaiverApproval: expert.ageWaiverApproval ?? null,
    disqualifiedOn: expert.disqualifiedOn ?? null,
    disqualifiedUnder: expert.disqualifiedUnder ?? null,
    profileUpdatedAt: new Date(expert.profileUpdatedAt),
    conflicts: expert.conflicts.map((c) => ({
      organizationId: c.organizationId,
      reason: c.reason,
    })),
    unavailable: expert.unavailable.map((p) => ({ from: p.from, to: p.to })),
    warnings: expert.warnings ? [...expert.warnings] : null,
  };
}

/** A change to one expert, recorded in the audit log in the same transaction. */
export interface ExpertChange {
  readonly actor: Actor;
  readonly action: string;
  readonly reason?: string | null | undefined;
  readonly before: Expert | null;
}

/**
 * Inserts (when `change.before` is null) or updates an expert and appends the audit entry.
 *
 * @example
 * await db.transaction((tx) => saveExpert(tx, expert, 'yn', { actor, action: 'expert.created', before: null }, now));
 */
export async function saveExpert(
  tx: Transaction,
  expert: Expert,
  ownerAuthorityId: string,
  change: ExpertChange,
  now: Date,
  lifecycle?: Partial<ExpertLifecycle>,
): Promise<void> {
  const columns = { ...expertToColumns(expert), ...lifecycle, updatedAt: now };
  if (change.before === null) {
    await tx.insert(experts).values({ ...columns, ownerAuthorityId, createdAt: now });
  } else {
    const { id: _id, ...rest } = columns;
    await tx
      .update(experts)
      .set({ ...rest, version: sql`${experts.version} + 1` })
      .where(eq(experts.id, expert.id));
  }
  await appendAudit(
    tx,
    {
      actor: change.actor,
      action: change.action,
      entityType: 'expert',
      entityId: expert.id,
      reason: change.reason ?? null,
      before: change.before,
      after: expert,
    },
    now,
  );
}
