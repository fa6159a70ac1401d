import type { IsoDate } from '@expert-dispatch/rules';
import { formatZhBetween, formatZhDate } from '@expert-dispatch/rules';
import type { ActionLists, Evidence } from '../reports/report-schemas.js';

/** One expert on a digest list, with the article and the evidence behind the entry. */
export interface DigestEntry {
  readonly expertId: string;
  readonly name: string;
  readonly article: string;
  /** A short statement in Chinese, e.g. `2026年1月10日至3月1日间2次无正当理由不接受委派任务`. */
  readonly detail: string;
  /** The invitations behind a refusal entry: task ids with the date and outcome. */
  readonly evidence: readonly { taskId: string; date: IsoDate; outcome: string }[];
}

/** The lists the department acts on (第二十三条（一）, 第八条（一）, 第十一条, 第九条（五）). */
export interface Digest {
  readonly refusals: readonly DigestEntry[];
  /** Declines whose claimed reason awaits the department's decision (待认定): apart. */
  readonly pendingDeclines: readonly DigestEntry[];
  /** Accepted and then absent (未到岗): attendance data (第十五条). */
  readonly noShows: readonly DigestEntry[];
  readonly staleProfiles: readonly DigestEntry[];
  readonly termsEnding: readonly DigestEntry[];
  readonly ageLimit: readonly DigestEntry[];
}

/**
 * The department's monthly digest, worded for a notice, from the action lists of the day
 * (`loadListsOn`, the same lists as `GET /v1/reports/lists`): refusals in force
 * (第二十三条（一）), declines awaiting the department's decision (待认定) and no-shows
 * (attendance data, 第十五条) apart, stale profiles (第八条（一）), terms ending or lapsed (第十一条), and the age
 * limit within the next term (第九条（五）, by month: the day would give the birth date away).
 * It computes nothing of its own, so the digest and the report never disagree.
 *
 * @example
 * buildDigest((await loadListsOn(tx, province, '2026-12-01', yunnanGmy2025)).lists).refusals.length;
 */
export function buildDigest(lists: ActionLists): Digest {
  return {
    refusals: lists.declineWarnings.map((e) => ({
      ...entry(e),
      detail: `${formatZhBetween(e.firstDate, e.lastDate)}${e.refusals}次无正当理由不接受委派任务`,
      evidence: e.evidence.map(refusalEvidence),
    })),
    pendingDeclines: lists.pendingDeclines.map((e) => ({
      ...entry(e),
      detail: `${e.declines} 次拒绝的理由待认定`,
      evidence: e.evidence.map(refusalEvidence),
    })),
    noShows: lists.noShows.map((e) => ({
      ...entry(e),
      detail: `接受邀请后 ${e.noShows} 次未到岗`,
      evidence: e.evidence.map((x) => ({
        taskId: x.taskId ?? `invitation ${x.invitationId}`,
        date: x.refusedOn,
        outcome: 'no_show',
      })),
    })),
    staleProfiles: lists.staleProfiles.map((e) => ({
      ...entry(e),
      detail: `个人信息最后更新于${formatZhDate(e.profileUpdatedOn)}`,
    })),
    termsEnding: lists.terms.map((e) => ({
      ...entry(e),
      detail:
        e.standing === 'lapsed'
          ? `聘期已于 ${e.termTo} 届满`
          : `聘期至 ${e.termTo}，${e.daysLeft} 天后届满`,
    })),
    ageLimit: lists.ageLimits.map((e) => ({ ...entry(e), detail: e.message.zh })),
  };
}

function entry(e: { expertId: string; name: string; article: string }): DigestEntry {
  return { expertId: e.expertId, name: e.name, article: e.article, detail: '', evidence: [] };
}

/** A refusal as the digest has always named it: `timed_out` or `declined:<reason>`. */
function refusalEvidence(e: Evidence): DigestEntry['evidence'][number] {
  return {
    taskId: e.taskId ?? `invitation ${e.invitationId}`,
    date: e.refusedOn,
    outcome: e.outcome === 'timed_out' ? 'timed_out' : `declined:${e.reason ?? 'unjustified'}`,
  };
}
