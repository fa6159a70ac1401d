import {
  addDays,
  addMonths,
  ageLimitExceededOn,
  declineWindowLabel,
  findDeclineRuns,
  formatZhBetween,
  formatZhDate,
  type InvitationRecord,
  isPendingDecline,
  isProfileStale,
  type RuleSet,
  termStanding,
  toInstant,
  toShanghaiDate,
} from '@expert-dispatch/rules';
import type { LastEvaluation } from '../evaluations/last-evaluations.js';
import { termFrom } from '../experts/lifecycle/apply-expert-action.js';
import {
  isInPeriod,
  type ReportExpert,
  type ReportRecords,
  type ReportSeat,
  refusalOf,
  toEvidence,
} from './report-records.js';
import type { ActionLists, ReportPeriod } from './report-schemas.js';

/** Experts still in the pool, whose standing the department looks after. */
const POOL_STATES: readonly string[] = ['active', 'suspended', 'expired'];

type Entry<K extends keyof ActionLists> = ActionLists[K] extends readonly (infer E)[] ? E : never;

/**
 * The lists the department acts on, for the invitations made in `period` and the standing on
 * its last day (`asOf = period.to`):
 * - 第二十三条（一）: experts with `declineWarning.count` counted refusals within one window
 *   (“1年内”, back to the same calendar date) whose last refusal falls in the period — the runs
 *   of `findDeclineRuns`: declines that stand unjustified (claimed 无正当理由, or so decided by
 *   the department) and silence after a delivery that reached the expert where the rule set
 *   counts it; never an undeliverable invitation. Each entry carries its evidence and the 通报
 *   made so far. For the window ending on a date this is exactly `findDeclineWarning` on it.
 * - 待认定: declines in the period whose claimed reason awaits the department's decision, apart.
 * - 第十五条: accepted and then absent (未到岗) in the period, as attendance data.
 * - 第八条（一）: profiles not updated for `profileStaleMonths` months (`isProfileStale`).
 * - 第十一条: terms ending within `renewalNoticeDays` days, or lapsed (`termStanding`).
 * - 第九条（五）: experts passing the age limit before their next term would end, by month only.
 * - Active experts of the own pool never invited in the period (an uneven spread of the work).
 * Standing lists cover the caller's own pool; the warning list also the experts of another pool
 * who refused the caller's own tasks.
 *
 * @example
 * buildActionLists(records, { from: '2026-01-01', to: '2026-12-31' }, yunnanGmy2025).declineWarnings;
 */
export function buildActionLists(
  records: ReportRecords,
  period: ReportPeriod,
  ruleSet: RuleSet,
): ActionLists {
  const asOf = period.to;
  const now = `${asOf}T12:00:00+08:00`;
  const seatsOf = groupSeats(records.seats);
  const own = records.experts
    .filter((expert) => expert.ownPool && POOL_STATES.includes(expert.status))
    .sort(byId);
  const lists: ActionLists = {
    period,
    asOf,
    declineWarnings: [...records.experts]
      .sort(byId)
      .flatMap((expert) =>
        declineWarning(
          expert,
          seatsOf.get(expert.id) ?? [],
          period,
          ruleSet,
          records.notifications?.get(expert.id) ?? [],
        ),
      ),
    pendingDeclines: [...records.experts]
      .sort(byId)
      .flatMap((expert) => pendingDeclines(expert, seatsOf.get(expert.id) ?? [], period, ruleSet)),
    noShows: [...records.experts]
      .sort(byId)
      .flatMap((expert) => noShows(expert, seatsOf.get(expert.id) ?? [], period, ruleSet)),
    staleProfiles: own
      .filter((expert) => expert.status !== 'expired' && isProfileStale(expert, now, ruleSet))
      .map((expert) => staleProfile(expert, ruleSet)),
    terms: own.flatMap((expert) =>
      termEntry(expert, now, ruleSet, records.evaluations?.get(expert.id) ?? null),
    ),
    ageLimits: own
      .filter((expert) => expert.status !== 'expired')
      .flatMap((expert) => ageLimitEntry(expert, asOf, ruleSet)),
    neverInvited: own
      .filter((expert) => expert.status === 'active')
      .filter((expert) => !(seatsOf.get(expert.id) ?? []).some((s) => isInPeriod(s, period)))
      .map((expert) => ({
        ...base(expert),
        article: '第十五条',
        message: {
          zh: `${formatZhBetween(period.from, period.to)}未被邀请参加任何任务`,
          en: `not invited to any task between ${period.from} and ${period.to}`,
        },
        group: expert.group,
        industries: [...expert.industries],
      })),
  };
  return lists;
}

function byId(a: { readonly id: string }, b: { readonly id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function groupSeats(seats: readonly ReportSeat[]): Map<string, ReportSeat[]> {
  const map = new Map<string, ReportSeat[]>();
  for (const seat of seats) {
    const list = map.get(seat.expertId);
    if (list === undefined) map.set(seat.expertId, [seat]);
    else list.push(seat);
  }
  return map;
}

function base(expert: ReportExpert) {
  return {
    expertId: expert.id,
    name: expert.name,
    expertUrl: `/v1/experts/${encodeURIComponent(expert.id)}`,
    ownPool: expert.ownPool,
  };
}

function declineWarning(
  expert: ReportExpert,
  seats: readonly ReportSeat[],
  period: ReportPeriod,
  ruleSet: RuleSet,
  notifications: readonly Entry<'declineWarnings'>['notifications'][number][],
): Entry<'declineWarnings'>[] {
  const seatOf = new Map<InvitationRecord, ReportSeat>();
  for (const seat of seats) {
    const refusal = refusalOf(seat, ruleSet);
    if (refusal !== null) seatOf.set(refusal, seat);
  }
  const runs = findDeclineRuns([...seatOf.keys()], ruleSet).filter(
    (run) => run.lastDate >= period.from && run.lastDate <= period.to,
  );
  const first = runs[0];
  const last = runs.at(-1);
  if (first === undefined || last === undefined) return [];
  // Overlapping runs share refusals: each refusal is evidence once, oldest first.
  const evidence = [...new Set(runs.flatMap((run) => run.evidence))].sort(
    (a, b) => toInstant(a.at) - toInstant(b.at),
  );
  const window = declineWindowLabel(ruleSet);
  // Silence after delivery counts by the rule set's choice (countsSilenceAfterDelivery): say so.
  const silent = evidence.some((record) => record.outcome === 'timed_out');
  const choice = silent
    ? {
        zh: '；送达后超时未响应依规则集计入',
        en: '; silence after delivery counted by rule-set choice',
      }
    : { zh: '', en: '' };
  return [
    {
      ...base(expert),
      article: first.article,
      message: {
        zh: `${formatZhBetween(first.firstDate, last.lastDate)}${evidence.length}次无正当理由拒绝或超时未响应（${window.zh}内${ruleSet.declineWarning.count}次及以上${choice.zh}），应约谈或警告`,
        en: `${evidence.length} unjustified declines or time-outs between ${first.firstDate} and ${last.lastDate} (${ruleSet.declineWarning.count} or more within ${window.en}${choice.en}): interview or warning`,
      },
      refusals: evidence.length,
      firstDate: first.firstDate,
      lastDate: last.lastDate,
      evidence: evidence.map((record) =>
        toEvidence(seatOf.get(record) as ReportSeat, record.at, ruleSet),
      ),
      notifications: [...notifications],
    },
  ];
}

/** The declines of the period whose claimed reason awaits the department's decision (待认定). */
function pendingDeclines(
  expert: ReportExpert,
  seats: readonly ReportSeat[],
  period: ReportPeriod,
  ruleSet: RuleSet,
): Entry<'pendingDeclines'>[] {
  const pending = seats.flatMap((seat) => {
    const record = refusalOf(seat, ruleSet);
    if (record === null || !isPendingDecline(record, ruleSet)) return [];
    const on = toShanghaiDate(record.at);
    return on >= period.from && on <= period.to ? [{ seat, record }] : [];
  });
  if (pending.length === 0) return [];
  return [
    {
      ...base(expert),
      article: '第二十三条（一）',
      message: {
        zh: `${pending.length} 次拒绝的理由待认定，认定前不计入无正当理由拒绝`,
        en: `${pending.length} declines await the department's decision on their reason; not counted until decided`,
      },
      declines: pending.length,
      evidence: pending.map(({ seat, record }) => toEvidence(seat, record.at, ruleSet)),
    },
  ];
}

/** Accepted and then absent in the period (未到岗): attendance data (第十五条). */
function noShows(
  expert: ReportExpert,
  seats: readonly ReportSeat[],
  period: ReportPeriod,
  ruleSet: RuleSet,
): Entry<'noShows'>[] {
  const absent = seats.filter((seat) => seat.attendance === 'no_show' && isInPeriod(seat, period));
  if (absent.length === 0) return [];
  return [
    {
      ...base(expert),
      article: '第十五条',
      message: {
        zh: `接受邀请后 ${absent.length} 次未到岗（出勤记录，续聘时参考）`,
        en: `${absent.length} no-shows after accepting (attendance data, for renewal)`,
      },
      noShows: absent.length,
      evidence: absent.map((seat) =>
        toEvidence(seat, (seat.repliedAt ?? seat.invitedAt).toISOString(), ruleSet),
      ),
    },
  ];
}

function staleProfile(expert: ReportExpert, ruleSet: RuleSet): Entry<'staleProfiles'> {
  const profileUpdatedOn = toShanghaiDate(expert.profileUpdatedAt);
  return {
    ...base(expert),
    article: '第八条（一）',
    message: {
      zh: `个人信息自${formatZhDate(profileUpdatedOn)}起超过${ruleSet.profileStaleMonths}个月未更新`,
      en: `profile not updated for over ${ruleSet.profileStaleMonths} months since ${profileUpdatedOn}`,
    },
    profileUpdatedOn,
    staleSince: addDays(addMonths(profileUpdatedOn, ruleSet.profileStaleMonths), 1),
  };
}

function termEntry(
  expert: ReportExpert,
  now: string,
  ruleSet: RuleSet,
  lastEvaluation: LastEvaluation | null,
): Entry<'terms'>[] {
  const term = expert.appointment;
  const standing = termStanding(expert, now, ruleSet);
  if (term === null || (standing.state !== 'renewal_due' && standing.state !== 'lapsed')) return [];
  const lapsed = standing.state === 'lapsed';
  const message = lapsed
    ? {
        zh: `聘期于${formatZhDate(term.to)}届满，已过 ${standing.daysSince} 天`,
        en: `term ended ${term.to}, ${standing.daysSince} days ago`,
      }
    : {
        zh: `聘期于${formatZhDate(term.to)}届满，尚余 ${standing.daysLeft} 天，需重新确认`,
        en: `term ends ${term.to} in ${standing.daysLeft} days: re-confirmation due`,
      };
  // The yearly evaluation is the basis for renewal (第二十条): the last one goes with the entry.
  const evaluated =
    lastEvaluation === null
      ? message
      : {
          zh: `${message.zh}；${lastEvaluation.year}年度评价：${lastEvaluation.gradeLabel.zh}`,
          en: `${message.en}; ${lastEvaluation.year} evaluation: ${lastEvaluation.gradeLabel.en.toLowerCase()}`,
        };
  return [
    {
      ...base(expert),
      article: '第十一条',
      message: evaluated,
      standing: standing.state,
      termFrom: term.from,
      termTo: term.to,
      daysLeft: lapsed ? null : standing.daysLeft,
      daysSince: lapsed ? standing.daysSince : null,
      lastEvaluation,
    },
  ];
}

function ageLimitEntry(expert: ReportExpert, asOf: string, ruleSet: RuleSet): Entry<'ageLimits'>[] {
  const limitDate = ageLimitExceededOn(expert, ruleSet);
  const term = expert.appointment;
  if (limitDate === null || term === null) return [];
  // The next term runs from the day after this one for another `termYears` years (第十一条).
  const nextTermEnd = termFrom(addDays(term.to, 1), ruleSet).to;
  if (limitDate > nextTermEnd) return [];
  const within = limitDate <= asOf ? 'passed' : limitDate <= term.to ? 'current_term' : 'next_term';
  const month = limitDate.slice(0, 7);
  // By month, in Chinese: the day would give the birth date away.
  const monthZh = `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
  const text = {
    passed: { zh: `已于${monthZh}超过年龄上限`, en: `passed the age limit in ${month}` },
    current_term: {
      zh: `将于本聘期内（${monthZh}）超过年龄上限`,
      en: `passes the age limit within the current term (${month})`,
    },
    next_term: {
      zh: `将于下一聘期内（${monthZh}）超过年龄上限，续聘时应予考虑`,
      en: `passes the age limit within the next term (${month}): consider at renewal`,
    },
  } as const;
  return [
    {
      ...base(expert),
      article: '第九条（五）',
      message: text[within],
      limitMonth: month,
      within,
    },
  ];
}
