import {
  declineReasons,
  formatZhDate,
  invitationOutcomes,
  type RuleSet,
  toShanghaiDate,
} from '@expert-dispatch/rules';
import { asc, eq } from 'drizzle-orm';
import type { Transaction } from '../db/open-database.js';
import { authorities, type ExpertContact } from '../db/schema.js';
import { enqueueNotices } from '../dispatch/enqueue-notice.js';
import type { Principal } from '../http/app-env.js';
import { loadListsOn } from '../reports/lists-on.js';
import { buildDigest, type Digest, type DigestEntry } from './build-digest.js';
import type { JobOutcome } from './run-once-per-period.js';

/**
 * Sends the department its monthly digest of the provincial pool: the action lists of the day
 * as `GET /v1/reports/lists` gives them to the province (`loadListsOn`, on the province's rule
 * set), worded by `buildDigest`: one `monthly_digest` notice to each configured contact, in
 * Chinese, each entry with its article and, for refusals, the tasks behind it.
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
  const province = await provincialReader(tx);
  const { lists } = await loadListsOn(tx, province, toShanghaiDate(now), ruleSet);
  const digest = buildDigest(lists);
  const body = formatDigest(month, digest);
  await enqueueNotices(
    tx,
    contacts.map((contact) => ({
      kind: 'monthly_digest' as const,
      recipient: { contact },
      subject: digestTitle(month),
      body,
    })),
    now,
  );
  return {
    result: {
      refusals: digest.refusals.length,
      pendingDeclines: digest.pendingDeclines.length,
      noShows: digest.noShows.length,
      staleProfiles: digest.staleProfiles.length,
      termsEnding: digest.termsEnding.length,
      ageLimit: digest.ageLimit.length,
      recipients: contacts.length,
    },
    audit: [],
  };
}

/**
 * The digest reads as the province's auditor would: the provincial pool and every invitation
 * of it, tasks named. Without a provincial authority on record the pool is still the experts
 * of the provincial tier.
 */
async function provincialReader(tx: Transaction): Promise<Principal> {
  const [row] = await tx
    .select({ id: authorities.id, region: authorities.region })
    .from(authorities)
    .where(eq(authorities.tier, 'province'))
    .orderBy(asc(authorities.id))
    .limit(1);
  return {
    keyId: 'system:monthly-digest',
    authorityId: row?.id ?? '',
    tier: 'province',
    region: row?.region ?? '',
    role: 'auditor',
  };
}

/**
 * The digest as the department reads it: four titled lists, each entry with its article.
 *
 * @example
 * formatDigest('2026-12', digest).startsWith('省级工贸专家库2026年12月月度提示'); // true
 */
export function formatDigest(month: string, digest: Digest): string {
  const section = (title: string, entries: readonly DigestEntry[]) => [
    `【${title}】${entries.length} 人`,
    ...entries.map((e) => {
      const evidence =
        e.evidence.length === 0
          ? ''
          : `；依据：${e.evidence.map((r) => `${formatZhDate(r.date)}任务 ${r.taskId}（${outcomeZh(r.outcome)}）`).join('，')}`;
      return `- ${e.name}（${e.expertId}）${e.article}：${e.detail}${evidence}`;
    }),
  ];
  return [
    digestTitle(month),
    '',
    ...section('1年内多次无正当理由不接受委派任务（约谈、警告）', digest.refusals),
    ...section('拒绝理由待认定（认定前不计入）', digest.pendingDeclines),
    ...section('接受后未到岗（出勤记录）', digest.noShows),
    ...section('逾期未维护个人信息', digest.staleProfiles),
    ...section('聘期即将届满或已届满（续聘确认）', digest.termsEnding),
    ...section('下一聘期内将超过年龄上限', digest.ageLimit),
  ].join('\n');
}

/** The digest's title, its month in Chinese (`2026-12` → 2026年12月). */
function digestTitle(month: string): string {
  return `省级工贸专家库${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月月度提示`;
}

/** A digest outcome code (`timed_out`, `no_show`, `declined:<reason>`) by its Chinese name. */
function outcomeZh(outcome: string): string {
  const [kind, reason] = outcome.split(':');
  if (kind === 'declined') {
    return `拒绝：${reason !== undefined && declineReasons.is(reason) ? declineReasons.labels[reason].zh : (reason ?? '')}`;
  }
  return kind !== undefined && invitationOutcomes.is(kind)
    ? invitationOutcomes.labels[kind].zh
    : outcome;
}
