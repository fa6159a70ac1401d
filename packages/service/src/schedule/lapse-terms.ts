import {
  formatZhDate,
  formatZhSpan,
  type RuleSet,
  termStanding,
  toShanghaiDate,
} from '@expert-dispatch/rules';
import { and, asc, inArray, sql } from 'drizzle-orm';
import type { AuditEntryInput } from '../audit/audit-entry.js';
import type { Transaction } from '../db/open-database.js';
import { experts } from '../db/schema.js';
import { enqueueNotices, type NewNotice } from '../dispatch/enqueue-notice.js';
import { lifecycleOf, rowToExpert } from '../experts/expert-row.js';
import { EXPERT_TRANSITIONS, nextExpertState } from '../experts/lifecycle/expert-transitions.js';
import { expertActionAudit, writeExpertRow } from '../experts/lifecycle/record-expert-action.js';
import type { JobOutcome } from './run-once-per-period.js';

/** The scheduler's audit actor. */
export const SCHEDULER_ACTOR = { keyId: 'system:scheduler', authorityId: null } as const;

const ARTICLE = '第十一条';

/**
 * Moves every serving expert whose term has lapsed on `now`'s Asia/Shanghai date to `expired`
 * (第十一条: 不予聘用的原聘书到期后自动失效), with the same definition the rules use
 * (`termStanding`: a term ending 2026-11-30 is in force all that day and has lapsed from
 * 2026-12-01 00:00 in Shanghai). Each change is audited as `expert.expire` citing 第十一条 with
 * the term as evidence, and the expert is told by a `term_lapsed` notice. Catches up on days the
 * scheduler missed: every lapsed term is found, not only yesterday's.
 *
 * @example
 * const outcome = await lapseTerms(tx, new Date('2026-12-01T00:00:00+08:00'), yunnanGmy2025);
 * outcome.result.expired; // how many terms lapsed
 */
export async function lapseTerms(
  tx: Transaction,
  now: Date,
  ruleSet: RuleSet,
): Promise<JobOutcome> {
  const today = toShanghaiDate(now);
  const rows = await tx
    .select()
    .from(experts)
    .where(
      and(
        inArray(experts.status, EXPERT_TRANSITIONS.expire.from as string[]),
        sql`${experts.appointment}->>'to' < ${today}`,
      ),
    )
    .orderBy(asc(experts.id))
    .for('update');
  const audit: AuditEntryInput[] = [];
  const notices: NewNotice[] = [];
  for (const row of rows) {
    const before = rowToExpert(row);
    const standing = termStanding(before, now, ruleSet);
    const step = nextExpertState('expire', before.status);
    if (standing.state !== 'lapsed' || !step.ok || before.appointment === null) continue;
    const expert = { ...before, status: step.to };
    const term = before.appointment;
    await writeExpertRow(tx, expert, lifecycleOf(row), now);
    audit.push(
      expertActionAudit({
        actor: SCHEDULER_ACTOR,
        expert,
        before,
        lifecycle: lifecycleOf(row),
        reason: `聘期${formatZhSpan(term.from, term.to)}届满，聘书自动失效（${ARTICLE}）`,
        record: {
          action: 'expire',
          article: ARTICLE,
          on: today,
          evidence: [
            {
              kind: 'document',
              ref: `appointment:${term.from}/${term.to}`,
              note: `聘期届满 ${standing.daysSince} 天 / term ended ${standing.daysSince} day(s) ago`,
            },
          ],
        },
      }),
    );
    notices.push({
      kind: 'term_lapsed',
      recipient: { expertId: row.id },
      subject: '专家聘期届满通知',
      body:
        `${row.name}：您的专家聘期（${formatZhSpan(term.from, term.to)}）已届满，聘书自${formatZhDate(today)}起失效` +
        `（《管理办法》${ARTICLE}）。如需重新入库确认，请联系专家库管理部门。`,
    });
  }
  await enqueueNotices(tx, notices, now);
  return { result: { expired: audit.length, experts: audit.map((a) => a.entityId) }, audit };
}
