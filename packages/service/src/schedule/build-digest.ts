import {
  addDays,
  addYears,
  ageLimitExceededOn,
  type Expert,
  findDeclineWarning,
  type InvitationRecord,
  type IsoDate,
  isProfileStale,
  type RuleSet,
  termStanding,
  toShanghaiDate,
} from '@expert-dispatch/rules';

/** One expert on a digest list, with the article and the evidence behind the entry. */
export interface DigestEntry {
  readonly expertId: string;
  readonly name: string;
  readonly article: string;
  /** A short statement in Chinese, e.g. `2026-01-10 至 2026-03-01 间 2 次无正当理由拒绝`. */
  readonly detail: string;
  /** The invitations behind a refusal entry: task ids with the date and outcome. */
  readonly evidence: readonly { taskId: string; date: IsoDate; outcome: string }[];
}

/** The lists the department acts on (第二十三条（一）, 第八条（一）, 第十一条, 第九条（五）). */
export interface Digest {
  readonly refusals: readonly DigestEntry[];
  readonly staleProfiles: readonly DigestEntry[];
  readonly termsEnding: readonly DigestEntry[];
  readonly ageLimit: readonly DigestEntry[];
}

/**
 * The department's monthly lists on `now`, for the given pool and each expert's own
 * invitation records: experts with `declineWarning.count` (2) or more unjustified refusals or
 * time-outs within `windowDays` (365) days (第二十三条（一）), stale profiles (第八条（一）),
 * terms ending within `renewalNoticeDays` (90) days or lapsed since the last digest
 * (第十一条), and experts who pass the age limit before the end of their next term (第九条（五）).
 *
 * @example
 * buildDigest(experts, records, new Date('2026-12-01T09:00:00+08:00'), yunnanGmy2025).refusals.length;
 */
export function buildDigest(
  pool: readonly Expert[],
  records: readonly InvitationRecord[],
  now: Date,
  ruleSet: RuleSet,
): Digest {
  const byExpert = new Map<string, InvitationRecord[]>();
  for (const record of records) {
    const list = byExpert.get(record.expertId);
    if (list === undefined) byExpert.set(record.expertId, [record]);
    else list.push(record);
  }
  const refusals: DigestEntry[] = [];
  const staleProfiles: DigestEntry[] = [];
  const termsEnding: DigestEntry[] = [];
  const ageLimit: DigestEntry[] = [];
  for (const expert of pool) {
    const entry = (article: string, detail: string, evidence: DigestEntry['evidence'] = []) => ({
      expertId: expert.id,
      name: expert.name,
      article,
      detail,
      evidence,
    });
    const warning = findDeclineWarning(byExpert.get(expert.id) ?? [], now, ruleSet);
    if (warning !== null) {
      refusals.push(
        entry(
          warning.article,
          `${warning.firstDate} 至 ${warning.lastDate} 间 ${warning.evidence.length} 次无正当理由不接受委派任务`,
          warning.evidence.map((r) => ({
            taskId: r.taskId,
            date: toShanghaiDate(r.at),
            outcome: r.outcome === 'declined' ? `declined:${r.reason ?? 'unjustified'}` : r.outcome,
          })),
        ),
      );
    }
    if (isProfileStale(expert, now, ruleSet)) {
      staleProfiles.push(
        entry('第八条（一）', `个人信息最后更新于 ${toShanghaiDate(expert.profileUpdatedAt)}`),
      );
    }
    const term = termStanding(expert, now, ruleSet);
    if (term.state === 'renewal_due') {
      termsEnding.push(
        entry('第十一条', `聘期至 ${expert.appointment?.to}，${term.daysLeft} 天后届满`),
      );
    } else if (term.state === 'lapsed' && term.daysSince <= 31) {
      termsEnding.push(entry('第十一条', `聘期已于 ${expert.appointment?.to} 届满`));
    }
    const limitDate = ageLimitExceededOn(expert, ruleSet);
    const horizon = nextTermEnd(expert, now, ruleSet);
    if (limitDate !== null && limitDate <= horizon) {
      ageLimit.push(entry('第九条（五）', `${limitDate} 起超过年龄上限（下一聘期至 ${horizon}）`));
    }
  }
  return { refusals, staleProfiles, termsEnding, ageLimit };
}

/** The last day of the expert's next term: the term after the current one, or one from today. */
function nextTermEnd(expert: Expert, now: Date, ruleSet: RuleSet): IsoDate {
  const today = toShanghaiDate(now);
  const to = expert.appointment?.to;
  const start = to !== undefined && to >= today ? addDays(to, 1) : today;
  return addDays(addYears(start, ruleSet.appointment.termYears), -1);
}
