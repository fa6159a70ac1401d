import type { Expert, IsoDate } from '@expert-dispatch/rules';
import { formatZhDate } from '@expert-dispatch/rules';
import { and, asc, inArray, ne } from 'drizzle-orm';
import type { Actor, AuditEntryInput } from '../../audit/audit-entry.js';
import type { Transaction } from '../../db/open-database.js';
import { experts } from '../../db/schema.js';
import { lifecycleOf, rowToExpert } from '../expert-row.js';
import type { RecordedEvidence } from './action-evidence.js';
import { ADMITTED_STATES } from './entry-bar.js';
import { samePerson } from './find-prior-disqualification.js';
import { expertActionAudit, writeExpertRow } from './record-expert-action.js';

/** The disqualification of one record, as it is carried to the person's other records. */
export interface PersonDisqualification {
  readonly actor: Actor;
  /** The record that was disqualified. */
  readonly origin: Expert;
  readonly reason: string;
  readonly article: string;
  readonly on: IsoDate;
  readonly evidence: readonly RecordedEvidence[];
}

/**
 * A disqualification (取消专家资格) is of the person, not of one record: 第十六条（三） bars the
 * person from appointment for five years and 第九条（六） from recommendation. So the person's
 * other records that are admitted or on their way in — in any pool, since local pools follow
 * these measures (第二十六条) — are disqualified too, on the same date and article: suspending
 * them (第十二条) would not do, as reinstatement checks nothing and would make them drawable
 * again inside the bar. Records still `applied` or `expired` are left as they are: recommending
 * or renewing them applies the bar through `findPriorDisqualification`.
 *
 * Writes each row (its version bump tells the draws' pool cache to reload) and returns the
 * audit entries, `expert.disqualify` each with `lifecycleAction.sameAs` naming the origin, for
 * the caller to append with the origin's in the same transaction.
 *
 * @example
 * const entries = await disqualifyOtherRecords(tx, { actor, origin, reason, article, on, evidence }, now);
 */
export async function disqualifyOtherRecords(
  tx: Transaction,
  change: PersonDisqualification,
  now: Date,
): Promise<AuditEntryInput[]> {
  const { origin, on } = change;
  const rows = await tx
    .select()
    .from(experts)
    .where(
      and(
        ne(experts.id, origin.id),
        inArray(experts.status, [...ADMITTED_STATES]),
        samePerson(origin),
      ),
    )
    .orderBy(asc(experts.id))
    .for('update');
  const entries: AuditEntryInput[] = [];
  for (const row of rows) {
    const before = rowToExpert(row);
    const own = before.disqualifiedOn;
    const after: Expert = {
      ...before,
      status: 'dismissed',
      ...(own !== undefined && own > on
        ? {}
        : { disqualifiedOn: on, disqualifiedUnder: origin.disqualifiedUnder ?? '第十六条（三）' }),
    };
    const lifecycle = lifecycleOf(row);
    await writeExpertRow(tx, after, lifecycle, now);
    entries.push(
      expertActionAudit({
        actor: change.actor,
        expert: after,
        before,
        lifecycle,
        reason: `同一人员的专家记录 ${origin.id} 于${formatZhDate(on)}被取消专家资格（${change.article}）：${change.reason}`,
        record: {
          action: 'disqualify',
          article: change.article,
          on,
          evidence: change.evidence,
          sameAs: origin.id,
        },
      }),
    );
  }
  return entries;
}
