import {
  type DeclineReason,
  declineReasons,
  type Expert,
  type Industry,
  type InvitationRecord,
  isJustifiedDecline,
  toShanghaiDate,
} from '@expert-dispatch/rules';
import type { Evidence, ReportPeriod, SeatOutcome } from './report-schemas.js';

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
}

/**
 * The outcome of an invitation as the report counts it. A waitlisted acceptance (the panel was
 * already full) is an acceptance: the expert answered yes. A seat released by a cancellation or
 * a re-draw keeps its answer: a reply time without a reason was an acceptance (only invited and
 * accepted seats are ever released), no reply at all means the invitation was withdrawn.
 *
 * @example
 * classifySeat({ state: 'declined', declineReason: 'illness', repliedAt }); // 'declined_justified'
 */
export function classifySeat(
  seat: Pick<ReportSeat, 'state' | 'declineReason' | 'repliedAt'>,
): SeatOutcome {
  const declined = () =>
    isJustifiedDecline(reasonOf(seat.declineReason))
      ? 'declined_justified'
      : 'declined_unjustified';
  switch (seat.state) {
    case 'accepted':
    case 'waitlisted':
      return 'accepted';
    case 'declined':
      return declined();
    case 'timed_out':
      return 'timed_out';
    case 'invited':
      return 'pending';
    default:
      if (seat.declineReason !== null) return declined();
      return seat.repliedAt === null ? 'withdrawn' : 'accepted';
  }
}

/** The reason as the rules' vocabulary knows it; anything else counts as none (unjustified). */
function reasonOf(reason: string | null): DeclineReason | undefined {
  return reason !== null && declineReasons.is(reason) ? reason : undefined;
}

/**
 * The refusal a seat records for 第二十三条（一）, or null: a decline dated by its reply, a
 * time-out by its reply deadline (the moment the measures' deadline passed, whenever the
 * sweeper got to it).
 */
export function refusalOf(seat: ReportSeat): InvitationRecord | null {
  const outcome = classifySeat(seat);
  if (outcome === 'declined_unjustified' || outcome === 'declined_justified') {
    const reason = reasonOf(seat.declineReason);
    return {
      expertId: seat.expertId,
      taskId: seat.taskId,
      at: (seat.repliedAt ?? seat.updatedAt).toISOString(),
      outcome: 'declined',
      ...(reason === undefined ? {} : { reason }),
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

/** The evidence entry of a seat, with the task only when the caller may open it. */
export function toEvidence(seat: ReportSeat, refusedAt: string): Evidence {
  const reason = seat.declineReason;
  return {
    invitationId: String(seat.seatId),
    taskId: seat.taskVisible ? seat.taskId : null,
    taskUrl: seat.taskVisible ? `/v1/tasks/${encodeURIComponent(seat.taskId)}` : null,
    role: seat.role,
    invitedAt: seat.invitedAt.toISOString(),
    refusedOn: toShanghaiDate(refusedAt),
    outcome: classifySeat(seat),
    reason,
    reasonLabel:
      reason !== null && declineReasons.is(reason) ? declineReasons.labels[reason] : null,
  };
}
