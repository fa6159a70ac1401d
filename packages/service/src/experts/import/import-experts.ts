import { canonicalJson } from '@expert-dispatch/matcher';
import { type Expert, expertSchema, type RuleSet } from '@expert-dispatch/rules';
import { inArray, TransactionRollbackError } from 'drizzle-orm';
import { appendAudit } from '../../audit/append-audit.js';
import type { AuditEntryInput } from '../../audit/audit-entry.js';
import type { Database, Transaction } from '../../db/open-database.js';
import { experts } from '../../db/schema.js';
import type { FieldError } from '../../errors.js';
import type { Principal } from '../../http/app-env.js';
import { findUnstorableString, toFieldErrors } from '../../http/field-errors.js';
import { ageWaiverErrors, disqualificationErrors, expertInputSchema } from '../expert-input.js';
import { birthDateErrors } from '../expert-routes.js';
import { type ExpertRow, rowToExpert } from '../expert-row.js';
import { isVisibleTo } from '../pool-scope.js';
import { applyBar, type Written } from './bar-import-rows.js';
import type { ImportRow } from './read-import-rows.js';
import { writeImportRows } from './write-import-rows.js';

export type RowOutcome = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface RowReport {
  readonly row: number;
  readonly line?: number;
  readonly id: string | null;
  readonly outcome: RowOutcome;
  readonly errors?: FieldError[];
}

export interface ImportReport {
  readonly dryRun: boolean;
  readonly summary: Record<RowOutcome, number>;
  readonly rows: RowReport[];
}

const CHUNK = 500;

/** How an import runs: `ruleSet` is the provincial base the caller's own set derives from. */
export interface ImportOptions {
  readonly dryRun: boolean;
  readonly now: Date;
  readonly ruleSet: RuleSet;
}

/**
 * Imports experts into the caller's pool. Rows are independent: each is validated like
 * `POST /v1/experts` (a new expert) or merged into the stored record (an existing one — cells
 * left empty keep their value, and the status may change only through lifecycle actions).
 * A row that would bring a person inside the five-year bar into an admitted state is refused
 * like `POST /v1/experts` refuses it (第十六条（三）, `barImportRows`).
 * Rejected rows are reported with field paths; the valid rows are committed in ONE transaction
 * with their audit entries. A dry run writes them too and rolls back, so that a row the database
 * itself refuses is reported the same way in both modes (`writeImportRows`) and never takes the
 * valid rows beside it down.
 *
 * @example
 * const report = await importExperts(db, principal, readJsonRows(body), { dryRun: true, now, ruleSet });
 * report.summary; // { created: 3, updated: 0, unchanged: 0, rejected: 1 }
 */
export async function importExperts(
  db: Database,
  principal: Principal,
  rows: readonly ImportRow[],
  options: ImportOptions,
): Promise<ImportReport> {
  let report: ImportReport | undefined;
  try {
    await db.transaction(async (tx) => {
      report = await planAndWrite(tx, principal, rows, options);
      // A dry run writes like the real run, so the database judges its rows alike, then undoes it.
      if (options.dryRun) tx.rollback();
    });
  } catch (error) {
    if (!(options.dryRun && error instanceof TransactionRollbackError)) throw error;
  }
  if (report === undefined) throw new Error('the import produced no report');
  return report;
}

async function planAndWrite(
  tx: Transaction,
  principal: Principal,
  rows: readonly ImportRow[],
  options: ImportOptions,
): Promise<ImportReport> {
  const { now } = options;
  const ids = [
    ...new Set(rows.flatMap((r) => (typeof r.value?.id === 'string' ? [r.value.id] : []))),
  ];
  const existing = new Map<string, ExpertRow>();
  for (let start = 0; start < ids.length; start += CHUNK) {
    const found = await tx
      .select()
      .from(experts)
      .where(inArray(experts.id, ids.slice(start, start + CHUNK)))
      .for('update');
    for (const row of found) existing.set(row.id, row);
  }
  const reports: RowReport[] = [];
  const written: Written[] = [];
  const firstRowOfId = new Map<string, number>();
  for (const input of rows) {
    const base = { row: input.row, ...(input.line === undefined ? {} : { line: input.line }) };
    const id = typeof input.value?.id === 'string' ? input.value.id : null;
    const reject = (errors: readonly FieldError[]): void => {
      reports.push({ ...base, id, outcome: 'rejected', errors: [...errors] });
    };
    if (input.value === null || input.errors.length > 0) {
      reject(input.errors);
      continue;
    }
    const unstorable = findUnstorableString(input.value);
    if (unstorable) {
      reject([unstorable]);
      continue;
    }
    if (id !== null) {
      const first = firstRowOfId.get(id);
      if (first !== undefined) {
        reject([{ path: 'id', message: `repeats the id of row ${first}` }]);
        continue;
      }
      firstRowOfId.set(id, input.row);
    }
    const stored = id === null ? undefined : existing.get(id);
    const planned = stored
      ? planUpdate(stored, input.value, principal, now)
      : planCreate(input.value, principal, now);
    if (!planned.ok) {
      reject(planned.errors);
      continue;
    }
    if (planned.kind === 'unchanged') {
      reports.push({ ...base, id: planned.expert.id, outcome: 'unchanged' });
    } else {
      // Reported once the bar has been applied to every written row (below).
      const before = planned.kind === 'update' ? planned.before : null;
      written.push({ at: reports.length, base, expert: planned.expert, before });
      reports.push({ ...base, id: planned.expert.id, outcome: 'rejected' });
    }
  }
  const { inserts, updates } = await applyBar(tx, principal, written, reports, options);
  const refused = await writeImportRows(tx, principal, inserts, updates, now);
  for (const row of written) {
    const error = refused.get(row.expert.id);
    if (error !== undefined) {
      reports[row.at] = { ...row.base, id: row.expert.id, outcome: 'rejected', errors: [error] };
    }
  }
  if (!options.dryRun) {
    await auditImport(
      tx,
      principal,
      inserts.filter((expert) => !refused.has(expert.id)),
      updates.filter(({ after }) => !refused.has(after.id)),
      now,
    );
  }
  return { dryRun: options.dryRun, summary: summarize(reports), rows: reports };
}

type Plan =
  | { ok: true; kind: 'create'; expert: Expert }
  | { ok: true; kind: 'unchanged'; expert: Expert }
  | { ok: true; kind: 'update'; expert: Expert; before: Expert }
  | { ok: false; errors: readonly FieldError[] };

function planCreate(value: Record<string, unknown>, principal: Principal, now: Date): Plan {
  const parsed = expertInputSchema.safeParse(value);
  if (!parsed.success) return { ok: false, errors: toFieldErrors(parsed.error) };
  if (parsed.data.tier !== principal.tier) {
    return {
      ok: false,
      errors: [{ path: 'tier', message: `must be ${principal.tier}: experts join your own pool` }],
    };
  }
  const full = expertSchema.safeParse({
    ...parsed.data,
    profileUpdatedAt: parsed.data.profileUpdatedAt ?? now.toISOString(),
  });
  if (!full.success) return { ok: false, errors: toFieldErrors(full.error) };
  const future = [
    ...birthDateErrors(full.data.birthDate, now),
    ...ageWaiverErrors(full.data),
    ...disqualificationErrors(full.data),
  ];
  if (future.length > 0) return { ok: false, errors: future };
  return { ok: true, kind: 'create', expert: full.data };
}

function planUpdate(
  stored: ExpertRow,
  value: Record<string, unknown>,
  principal: Principal,
  now: Date,
): Plan {
  if (!isVisibleTo(stored, principal)) {
    return { ok: false, errors: [{ path: 'id', message: 'this id is already in use' }] };
  }
  if (stored.ownerAuthorityId !== principal.authorityId) {
    return { ok: false, errors: [{ path: 'id', message: "belongs to another authority's pool" }] };
  }
  const before = rowToExpert(stored);
  const unknown = Object.keys(value).filter((key) => !(key in expertInputSchema.shape));
  if (unknown.length > 0) {
    return { ok: false, errors: unknown.map((key) => ({ path: key, message: 'unknown field' })) };
  }
  const merged = { ...before, ...value };
  const errors: FieldError[] = [];
  if (merged.status !== before.status) {
    errors.push({
      path: 'status',
      message: `is ${before.status}; status changes only through lifecycle actions`,
    });
  }
  if (merged.tier !== before.tier)
    errors.push({ path: 'tier', message: 'the pool of an expert does not change' });
  if (errors.length > 0) return { ok: false, errors };
  const same = expertSchema.safeParse(merged);
  if (!same.success) return { ok: false, errors: toFieldErrors(same.error) };
  const future = birthDateErrors(
    same.data.birthDate,
    value.birthDate === undefined ? undefined : now,
  );
  if (future.length > 0) return { ok: false, errors: future };
  if (sameRecord(same.data, before)) return { ok: true, kind: 'unchanged', expert: before };
  // Every update stamps profileUpdatedAt (第八条（一）) unless the row carries its own.
  const profileUpdatedAt =
    value.profileUpdatedAt === undefined ? now.toISOString() : same.data.profileUpdatedAt;
  const after = { ...same.data, profileUpdatedAt };
  return { ok: true, kind: 'update', expert: after, before };
}

function sameRecord(a: Expert, b: Expert): boolean {
  return (
    canonicalJson({ ...a, profileUpdatedAt: null }) ===
    canonicalJson({ ...b, profileUpdatedAt: null })
  );
}

async function auditImport(
  tx: Transaction,
  principal: Principal,
  inserts: readonly Expert[],
  updates: readonly { before: Expert; after: Expert }[],
  now: Date,
): Promise<void> {
  const actor = { keyId: principal.keyId, authorityId: principal.authorityId };
  const entries: AuditEntryInput[] = [
    ...inserts.map((expert) => ({
      actor,
      action: 'expert.imported',
      entityType: 'expert',
      entityId: expert.id,
      before: null,
      after: expert,
    })),
    ...updates.map(({ before, after }) => ({
      actor,
      action: 'expert.import_updated',
      entityType: 'expert',
      entityId: after.id,
      before,
      after,
    })),
  ];
  await appendAudit(tx, entries, now);
}

function summarize(reports: readonly RowReport[]): Record<RowOutcome, number> {
  const summary: Record<RowOutcome, number> = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const report of reports) summary[report.outcome] += 1;
  return summary;
}
