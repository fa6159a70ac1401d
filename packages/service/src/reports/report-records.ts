import {
  classifyDecline,
  type DeclineReason,
  declineReasons,
  type Expert,
  type Industry,
  type InvitationRecord,
  type ReviewDecision,
  type RuleSet,
  toShanghaiDate,
} from '@expert-dispatch/rules';
import type { LastEvaluation } from '../evaluations/last-evaluations.js';
import type { ConductNotification, Evidence, ReportPeriod, SeatOutcome } from './report-schemas.js';

/**
 * What a report reads about an expert. The birth date is here only to work out the month of the
 * age limit (第九条（五）); no report output carries it, nor phone or ID number (not loaded).
 */
export type ReportExpert = Pick<
  Expert,
  | 'id'
  | 'name'
  | 'group'
  | 'industries'
  | 'status'
  | 'appointment'
  | 'birthDate'
  | 'outstanding'
  | 'ageWaiver'
  | 'ageWaiverApproval'
  | 'profileUpdatedAt'
> & {
  /** True for an expert of the caller's own pool (the provincial pool for the province). */
  readonly ownPool: boolean;
};

/** One invitation (a seat that was invited) within the caller's scope. */
export interface ReportSeat {
  readonly seatId: number;
  readonly taskId: string;
  /** Whether the caller may open the task (`GET /v1/tasks/{id}`). */
  readonly taskVisible: boolean;
  readonly taskIndustries: readonly Industry[];
  readonly expertId: string;
  readonly role: Evidence['role'];
  readonly state: string;
  readonly declineReason: string | null;
  readonly invitedAt: Date;
  readonly repliedAt: Date | null;
  readonly replyDeadline: Date | null;
  readonly updatedAt: Date;
  readonly attendance: 'attended' | 'no_show' | null;
  /** 说明情况 (第十五条): the expert's own words with a decline or withdrawal. */
  readonly declineNote?: string | null;
  /** Where the answer came from: `link`, `sms`, `phone`, `api` (issue 13 evidence). */
  readonly replyChannel?: string | null;
  /** `expert`, or the key id of the dispatcher who recorded the answer. */
  readonly repliedBy?: string | null;
  /** The first channel receipt of the notification; null when none reached the expert. */
  readonly deliveredAt?: Date | null;
  /** The delivery of the invitation's notification, with its receipt (`sentAt`). */
  readonly delivery?: Evidence['delivery'];
  /** The department's decision on the claimed reason (正当理由认定), once made. */
  readonly review?: {
    readonly decision: ReviewDecision;
    readonly note: string;
    readonly decidedBy: string;
    readonly decidedAt: Date;
  } | null;
}

/** One rating (第二十条) of a seat in scope. */
export interface ReportRating {
  readonly seatId: number;
  readonly expertId: string;
  readonly score: number;
}

/** Everything a report is computed from; loaded by `loadReportRecords`. */
export interface ReportRecords {
  readonly experts: readonly ReportExpert[];
  readonly seats: readonly ReportSeat[];
  readonly ratings: readonly ReportRating[];
  /** The 通报 of the experts' warnings, interviews and dismissals, by expert id. */
  readonly notifications?: ReadonlyMap<string, readonly ConductNotification[]>;
  /** Each expert's latest yearly evaluation up to the period's year (第二十条), by expert id. */
  readonly evaluations?: ReadonlyMap<string, LastEvaluation>;
}

/**
 * The outcome of an invitation as the report counts it. A decline stands as `classifyDecline`
 * reads it under the rule set: justified on the word, decided, or awaiting the department's
 * decision (`declined_pending`, 待认定). A waitlisted acceptance (the panel was already full) is
 * an acceptance: the expert answered yes. A seat released by a cancellation or a re-draw keeps
 * its answer: a reply time without a reason was an acceptance (only invited and accepted seats
 * are ever released), no reply at all means the invitation was withdrawn. An invitation no
 * channel delivered is `undeliverable`, never a time-out.
 *
 * @example
 * classifySeat({ state: 'declined', declineReason: 'approved_other', repliedAt }, yunnanGmy2025); // 'declined_pending'
 */
export function classifySeat(
  seat: Pick<ReportSeat, 'state' | 'declineReason' | 'repliedAt' | 'review'>,
  ruleSet: RuleSet,
): SeatOutcome {
  const declined = (): SeatOutcome => {
    const reason = reasonOf(seat.declineReason);
    const standing = classifyDecline(
      ruleSet,
      reason === undefined ? {} : { reason },
      seat.review?.decision ?? null,
    );
    return `declined_${standing}`;
  };
  switch (seat.state) {
    case 'accepted':
    case 'waitlisted':
      return 'accepted';
    case 'declined':
      return declined();
    case 'timed_out':
      return 'timed_out';
    case 'undeliverable':
      return 'undeliverable';
    case 'withdrawn':
      return 'acceptance_withdrawn';
    case 'invited':
      return 'pending';
    default:
      if (seat.declineReason !== null) return declined();
      return seat.repliedAt === null ? 'withdrawn' : 'accepted';
  }
}

/** The reason as the rules' vocabulary knows it; anything else counts as none. */
function reasonOf(reason: string | null): DeclineReason | undefined {
  return reason !== null && declineReasons.is(reason) ? reason : undefined;
}

/**
 * The record a seat gives 第二十三条（一）, or null: a decline (with its claimed reason and the
 * department's decision; `findDeclineRuns` counts only those that stand unjustified) dated by
 * its reply, a time-out by its reply deadline (the moment the measures' deadline passed,
 * whenever the sweeper got to it). Undeliverable invitations give none.
 */
export function refusalOf(seat: ReportSeat, ruleSet: RuleSet): InvitationRecord | null {
  const outcome = classifySeat(seat, ruleSet);
  // A withdrawal after acceptance is read as a decline with its claimed reason, as draws read it.
  if (outcome.startsWith('declined_') || outcome === 'acceptance_withdrawn') {
    const reason = reasonOf(seat.declineReason);
    const review = seat.review?.decision;
    return {
      expertId: seat.expertId,
      taskId: seat.taskId,
      at: (seat.repliedAt ?? seat.updatedAt).toISOString(),
      outcome: 'declined',
      ...(reason === undefined ? {} : { reason }),
      ...(review === undefined ? {} : { review }),
    };
  }
  if (outcome === 'timed_out') {
    return {
      expertId: seat.expertId,
      taskId: seat.taskId,
      at: (seat.replyDeadline ?? seat.updatedAt).toISOString(),
      outcome: 'timed_out',
    };
  }
  return null;
}

/** True when the invitation was made within the period (by its Asia/Shanghai date). */
export function isInPeriod(seat: Pick<ReportSeat, 'invitedAt'>, period: ReportPeriod): boolean {
  const date = toShanghaiDate(seat.invitedAt);
  return date >= period.from && date <= period.to;
}

/**
 * The evidence entry of a seat, with the task only when the caller may open it: the invitation,
 * its delivery and receipt, the reply (claimed reason, the expert's words, channel, who
 * recorded it), the department's decision, attendance.
 */
export function toEvidence(seat: ReportSeat, refusedAt: string, ruleSet: RuleSet): Evidence {
  const reason = seat.declineReason;
  const review = seat.review ?? null;
  return {
    invitationId: String(seat.seatId),
    taskId: seat.taskVisible ? seat.taskId : null,
    taskUrl: seat.taskVisible ? `/v1/tasks/${encodeURIComponent(seat.taskId)}` : null,
    role: seat.role,
    invitedAt: seat.invitedAt.toISOString(),
    refusedOn: toShanghaiDate(refusedAt),
    outcome: classifySeat(seat, ruleSet),
    reason,
    reasonLabel:
      reason !== null && declineReasons.is(reason) ? declineReasons.labels[reason] : null,
    note: seat.declineNote ?? null,
    replyChannel: seat.replyChannel ?? null,
    recordedBy: seat.repliedBy ?? null,
    repliedAt: seat.repliedAt?.toISOString() ?? null,
    deliveredAt: seat.deliveredAt?.toISOString() ?? null,
    delivery: seat.delivery ?? null,
    review: review === null ? null : { ...review, decidedAt: review.decidedAt.toISOString() },
    attendance: seat.attendance,
  };
}
