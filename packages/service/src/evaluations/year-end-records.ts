import {
  addDays,
  type ExpertState,
  expertStates,
  startOfShanghaiDate,
  type Title,
  titles,
} from '@expert-dispatch/rules';
import { and, asc, desc, eq, inArray, isNotNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { auditLog, experts } from '../db/schema.js';
import type { Principal } from '../http/app-env.js';
import type { ReportPeriod } from '../reports/report-schemas.js';

const CHUNK = 1000;

/**
 * An expert as the record stood at the end of the evaluated period: title, state, term and the
 * warnings given in the period. `source` says where it was read: `audit` (the last audit entry
 * of the expert up to the period's end that holds the whole record — every create, update,
 * import and lifecycle action writes one), or `current` (the row itself: a running year, or an
 * expert whose record was never written through the audited paths).
 */
export interface YearEndRecord {
  readonly expertId: string;
  readonly name: string;
  readonly group: string;
  readonly title: Title;
  readonly status: ExpertState;
  readonly appointment: { readonly from: string; readonly to: string } | null;
  readonly warnings: readonly { readonly on: string; readonly article: string }[];
  readonly asOf: string;
  readonly source: 'audit' | 'current';
  /** The audit entry read (`GET /v1/audit`), when `source` is `audit`. */
  readonly auditSeq: number | null;
}

/** States in which an expert belongs to the pool and is evaluated for the year. */
const EVALUATED_STATES: readonly ExpertState[] = ['active', 'suspended', 'expired'];

function ownPool(principal: Principal): SQL {
  const own = eq(experts.ownerAuthorityId, principal.authorityId);
  return principal.tier === 'province' ? (or(eq(experts.tier, 'province'), own) as SQL) : own;
}

/**
 * The experts of the caller's own pool as they stood at the end of `period`, for those who were
 * in the pool in it: created before the period ended, in an evaluated state (在库, 暂停, 聘期届满)
 * at its end, with a term that overlaps it. A past year is read from the audit trail (the
 * record as the last entry up to 24:00 of its last day left it), so that a title earned or a
 * term renewed later does not change that year's evaluation; a running year from the rows.
 *
 * @example
 * const records = await loadYearEndRecords(db, principal, { from: '2025-01-01', to: '2025-12-31' }, '2026-03-02');
 */
export async function loadYearEndRecords(
  db: Executor,
  principal: Principal,
  period: ReportPeriod,
  today: string,
): Promise<YearEndRecord[]> {
  const end = new Date(startOfShanghaiDate(addDays(period.to, 1)));
  const rows = await db
    .select({
      id: experts.id,
      name: experts.name,
      group: experts.group,
      title: experts.title,
      status: experts.status,
      appointment: experts.appointment,
      warnings: experts.warnings,
    })
    .from(experts)
    .where(and(ownPool(principal), lt(experts.createdAt, end)))
    .orderBy(asc(experts.id));
  const past = period.to < today;
  const snapshots = past
    ? await loadSnapshots(
        db,
        rows.map((row) => row.id),
        end,
      )
    : new Map<string, { seq: number; after: Record<string, unknown> }>();
  return rows
    .map((row): YearEndRecord => {
      const snapshot = snapshots.get(row.id);
      const source = snapshot?.after ?? row;
      const title = titles.is(source.title) ? source.title : (row.title as Title);
      const status = expertStates.is(source.status) ? source.status : (row.status as ExpertState);
      return {
        expertId: row.id,
        name: row.name,
        group: row.group,
        title,
        status,
        appointment: termOf(source.appointment),
        warnings: warningsOf(source.warnings).filter(
          (warning) => warning.on >= period.from && warning.on <= period.to,
        ),
        asOf: period.to,
        source: snapshot === undefined ? 'current' : 'audit',
        auditSeq: snapshot?.seq ?? null,
      };
    })
    .filter(
      (record) =>
        EVALUATED_STATES.includes(record.status) &&
        record.appointment !== null &&
        record.appointment.from <= period.to &&
        record.appointment.to >= period.from,
    );
}

/** The last whole-record audit entry of each expert before `end`. */
async function loadSnapshots(
  db: Executor,
  ids: readonly string[],
  end: Date,
): Promise<Map<string, { seq: number; after: Record<string, unknown> }>> {
  const byExpert = new Map<string, { seq: number; after: Record<string, unknown> }>();
  for (let index = 0; index < ids.length; index += CHUNK) {
    const found = await db
      .selectDistinctOn([auditLog.entityId], {
        entityId: auditLog.entityId,
        seq: auditLog.seq,
        after: auditLog.after,
      })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.entityType, 'expert'),
          inArray(auditLog.entityId, ids.slice(index, index + CHUNK)),
          lt(auditLog.at, end),
          // Entries that hold the whole record (not e.g. a sign-in or the contact channels).
          isNotNull(sql`${auditLog.after} ->> 'title'`),
          isNotNull(sql`${auditLog.after} ->> 'status'`),
        ),
      )
      .orderBy(auditLog.entityId, desc(auditLog.seq));
    for (const row of found) {
      if (typeof row.after === 'object' && row.after !== null) {
        byExpert.set(row.entityId, { seq: row.seq, after: row.after as Record<string, unknown> });
      }
    }
  }
  return byExpert;
}

function termOf(value: unknown): { from: string; to: string } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { from, to } = value as { from?: unknown; to?: unknown };
  return typeof from === 'string' && typeof to === 'string' ? { from, to } : null;
}

function warningsOf(value: unknown): { on: string; article: string }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { on, article } = item as { on?: unknown; article?: unknown };
    return typeof on === 'string' && typeof article === 'string' ? [{ on, article }] : [];
  });
}
