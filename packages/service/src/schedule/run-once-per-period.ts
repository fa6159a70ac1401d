import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { AuditEntryInput } from '../audit/audit-entry.js';
import type { Database, Transaction } from '../db/open-database.js';
import { scheduledRuns } from '../db/schema.js';

/** What one run of a job did: a summary for `scheduled_runs.result`, and its audit entries. */
export interface JobOutcome {
  readonly result: Record<string, unknown>;
  readonly audit: readonly AuditEntryInput[];
}

export type PeriodRun =
  | { readonly ran: true; readonly result: Record<string, unknown> }
  | { readonly ran: false };

/**
 * Runs `work` for `(job, period)` at most once, however many processes try: the claim is an
 * insert into `scheduled_runs` (on conflict do nothing) in the SAME transaction as the work, so
 * a second process waits on the first one's row and then finds it taken, and a run that fails
 * rolls back its claim with its work, to be tried again at the next tick. The audit entries are
 * appended last.
 *
 * @example
 * await runOncePerPeriod(db, 'term_lapse', '2026-12-01', now, (tx) => lapseTerms(tx, now));
 */
export async function runOncePerPeriod(
  db: Database,
  job: string,
  period: string,
  now: Date,
  work: (tx: Transaction) => Promise<JobOutcome>,
): Promise<PeriodRun> {
  // Most ticks find the period done: one read, no transaction.
  const [done] = await db
    .select({ job: scheduledRuns.job })
    .from(scheduledRuns)
    .where(and(eq(scheduledRuns.job, job), eq(scheduledRuns.period, period)));
  if (done !== undefined) return { ran: false };
  return db.transaction(async (tx): Promise<PeriodRun> => {
    const claimed = await tx
      .insert(scheduledRuns)
      .values({ job, period, startedAt: now })
      .onConflictDoNothing()
      .returning({ job: scheduledRuns.job });
    if (claimed.length === 0) return { ran: false };
    const outcome = await work(tx);
    await tx
      .update(scheduledRuns)
      .set({ finishedAt: now, result: outcome.result })
      .where(and(eq(scheduledRuns.job, job), eq(scheduledRuns.period, period)));
    await appendAudit(tx, outcome.audit, now);
    return { ran: true, result: outcome.result };
  });
}
