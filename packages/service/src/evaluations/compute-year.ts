import {
  type ExpertYearEvaluation,
  type ExpertYearRecord,
  evaluateExpertYear,
  type RuleSet,
} from '@expert-dispatch/rules';
import {
  classifySeat,
  isInPeriod,
  type ReportRecords,
  type ReportSeat,
} from '../reports/report-records.js';
import type { ReportPeriod } from '../reports/report-schemas.js';
import type { YearEndRecord } from './year-end-records.js';

/** One expert's computed evaluation, ready to store. */
export interface ComputedEvaluation {
  readonly record: YearEndRecord;
  readonly input: ExpertYearRecord;
  readonly result: ExpertYearEvaluation;
}

/**
 * Evaluates every expert of `experts` (the pool at the end of the period) on the invitations
 * made in the period (by their Asia/Shanghai date), the served units' ratings of those
 * invitations with their written comments (`qualityNotes` by seat id), refusals as the
 * department decided them, and the warnings given in the period.
 *
 * @example
 * const computed = computeYear(records, yearEnd, notes, period, ruleSet);
 */
export function computeYear(
  records: ReportRecords,
  experts: readonly YearEndRecord[],
  qualityNotes: ReadonlySet<number>,
  period: ReportPeriod,
  ruleSet: RuleSet,
): ComputedEvaluation[] {
  const seatsOf = new Map<string, ReportSeat[]>();
  for (const seat of records.seats) {
    if (!isInPeriod(seat, period)) continue;
    seatsOf.set(seat.expertId, [...(seatsOf.get(seat.expertId) ?? []), seat]);
  }
  const ratingsOf = new Map<string, { seatId: number; score: number }[]>();
  for (const rating of records.ratings) {
    ratingsOf.set(rating.expertId, [...(ratingsOf.get(rating.expertId) ?? []), rating]);
  }
  return experts.map((record) => {
    const seats = seatsOf.get(record.expertId) ?? [];
    const ratings = ratingsOf.get(record.expertId) ?? [];
    const input: ExpertYearRecord = {
      ...countSeats(seats, ruleSet),
      ratings: ratings.map((rating) => rating.score),
      qualityNotes: ratings.filter((rating) => qualityNotes.has(rating.seatId)).length,
      warnings: record.warnings,
    };
    return { record, input, result: evaluateExpertYear(input, ruleSet) };
  });
}

function countSeats(
  seats: readonly ReportSeat[],
  ruleSet: RuleSet,
): Pick<ExpertYearRecord, 'tasksServed' | 'noShows' | 'refusals' | 'silences'> {
  const served = new Set<string>();
  const refusals = { justified: 0, unjustified: 0, pending: 0 };
  let noShows = 0;
  let silences = 0;
  for (const seat of seats) {
    let outcome = classifySeat(seat, ruleSet);
    // Accepted and then withdrawn reads as a decline with its claimed reason, as draws read it.
    if (outcome === 'acceptance_withdrawn')
      outcome = classifySeat({ ...seat, state: 'declined' }, ruleSet);
    if (outcome === 'declined_justified') refusals.justified += 1;
    if (outcome === 'declined_unjustified') refusals.unjustified += 1;
    if (outcome === 'declined_pending') refusals.pending += 1;
    // A time-out is a delivery that reached the expert; undeliverable is never counted.
    if (outcome === 'timed_out') silences += 1;
    if (seat.attendance === 'no_show') noShows += 1;
    const onPanel = seat.role === 'leader' || seat.role === 'member';
    if (
      onPanel &&
      outcome === 'accepted' &&
      seat.state === 'accepted' &&
      seat.attendance !== 'no_show'
    ) {
      served.add(seat.taskId);
    }
  }
  return { tasksServed: served.size, noShows, refusals, silences };
}
