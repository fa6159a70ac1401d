import type { InvitationRecord, RuleSet } from '@expert-dispatch/rules';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Transaction } from '../db/open-database.js';
import { type ExpertContact, experts, panelSeats } from '../db/schema.js';
import { enqueueNotices } from '../dispatch/enqueue-notice.js';
import { rowToExpert } from '../experts/expert-row.js';
import { buildDigest, type Digest, type DigestEntry } from './build-digest.js';
import type { JobOutcome } from './run-once-per-period.js';

/** The states whose experts the department still manages. */
const LISTED = ['active', 'suspended', 'expired'];

/**
 * Sends the department its monthly digest of the provincial pool (`buildDigest`): one
 * `monthly_digest` notice to each configured contact, in Chinese, each entry with its article
 * and, for refusals, the tasks behind it. Reads the refusals of the last two windows, enough to
 * find any run still in force.
 *
 * @example
 * await sendMonthlyDigest(tx, now, '2026-12', yunnanGmy2025, [{ channel: 'email', address: 'aq@yn.gov.cn' }]);
 */
export async function sendMonthlyDigest(
  tx: Transaction,
  now: Date,
  month: string,
  ruleSet: RuleSet,
  contacts: readonly ExpertContact[],
): Promise<JobOutcome> {
  const rows = await tx
    .select()
    .from(experts)
    .where(and(eq(experts.tier, 'province'), inArray(experts.status, LISTED)))
    .orderBy(asc(experts.id));
  const since = new Date(now.getTime() - 2 * ruleSet.declineWarning.windowDays * 86_400_000);
  const seats = await tx
    .select({
      expertId: panelSeats.expertId,
      taskId: panelSeats.taskId,
      state: panelSeats.state,
      declineReason: panelSeats.declineReason,
      repliedAt: panelSeats.repliedAt,
      updatedAt: panelSeats.updatedAt,
    })
    .from(panelSeats)
    .where(
      and(inArray(panelSeats.state, ['declined', 'timed_out']), gt(panelSeats.updatedAt, since)),
    )
    .orderBy(asc(panelSeats.id));
  const records: InvitationRecord[] = seats.map((seat) => ({
    expertId: seat.expertId,
    taskId: seat.taskId,
    at: (seat.repliedAt ?? seat.updatedAt).toISOString(),
    outcome: seat.state as 'declined' | 'timed_out',
    ...(seat.state === 'declined' && seat.declineReason !== null
      ? { reason: seat.declineReason as NonNullable<InvitationRecord['reason']> }
      : {}),
  }));
  const digest = buildDigest(rows.map(rowToExpert), records, now, ruleSet);
  const body = formatDigest(month, digest);
  await enqueueNotices(
    tx,
    contacts.map((contact) => ({
      kind: 'monthly_digest' as const,
      recipient: { contact },
      subject: `省级工贸专家库 ${month} 月度提示`,
      body,
    })),
    now,
  );
  return {
    result: {
      refusals: digest.refusals.length,
      staleProfiles: digest.staleProfiles.length,
      termsEnding: digest.termsEnding.length,
      ageLimit: digest.ageLimit.length,
      recipients: contacts.length,
    },
    audit: [],
  };
}

/**
 * The digest as the department reads it: four titled lists, each entry with its article.
 *
 * @example
 * formatDigest('2026-12', digest).startsWith('省级工贸专家库 2026-12 月度提示'); // true
 */
export function formatDigest(month: string, digest: Digest): string {
  const section = (title: string, entries: readonly DigestEntry[]) => [
    `【${title}】${entries.length} 人`,
    ...entries.map((e) => {
      const evidence =
        e.evidence.length === 0
          ? ''
          : `；依据：${e.evidence.map((r) => `${r.date} 任务 ${r.taskId}（${r.outcome}）`).join('，')}`;
      return `- ${e.name}（${e.expertId}）${e.article}：${e.detail}${evidence}`;
    }),
  ];
  return [
    `省级工贸专家库 ${month} 月度提示`,
    '',
    ...section('1年内多次无正当理由不接受委派任务（约谈、警告）', digest.refusals),
    ...section('逾期未维护个人信息', digest.staleProfiles),
    ...section('聘期即将届满或已届满（续聘确认）', digest.termsEnding),
    ...section('下一聘期内将超过年龄上限', digest.ageLimit),
  ].join('\n');
}
