import type { RuleSet } from '@expert-dispatch/rules';
import { buildActionLists } from './action-lists.js';
import {
  classifySeat,
  isInPeriod,
  type ReportExpert,
  type ReportRecords,
  type ReportSeat,
} from './report-records.js';
import type {
  AnnualReport,
  Counts,
  ExpertYear,
  ReportPeriod,
  ReportScope,
} from './report-schemas.js';
import { buildWorkload, type ExpertLoad } from './workload.js';

/** Experts whose year is reported even without a single invitation. */
const POOL_STATES: readonly string[] = ['active', 'suspended', 'expired'];

/**
 * The period of a report year: 1 January to 31 December (Asia/Shanghai), cut at `today` while
 * the year is running.
 *
 * @example
 * reportPeriod(2026, '2026-11-29'); // { from: '2026-01-01', to: '2026-11-29' }
 */
export function reportPeriod(year: number, today: string): ReportPeriod {
  const from = `${year}-01-01`;
  const end = `${year}-12-31`;
  return { from, to: today < end ? today : end };
}

/**
 * The yearly evaluation (第二十条, 第十五条): per expert the invitations made in the year (by
 * their Asia/Shanghai date) and what became of them — accepted, declined with or without a
 * valid reason, timed out, still open, withdrawn by a cancellation —, attendance, the served
 * units' ratings, the tasks led and served; then the lists the department acts on and the
 * workload spread. Experts of the own pool are all listed; experts of another pool only when
 * they were invited to the caller's own tasks, and only with those invitations.
 *
 * @example
 * const report = buildAnnualReport(records, { year: 2026, period, scope, ruleSet, generatedAt });
 */
export function buildAnnualReport(
  records: ReportRecords,
  args: {
    readonly year: number;
    readonly period: ReportPeriod;
    readonly scope: ReportScope;
    readonly ruleSet: RuleSet;
    readonly generatedAt: Date;
  },
): AnnualReport {
  const inPeriod = records.seats.filter((seat) => isInPeriod(seat, args.period));
  const seatsOf = new Map<string, ReportSeat[]>();
  for (const seat of inPeriod) {
    const list = seatsOf.get(seat.expertId);
    if (list === undefined) seatsOf.set(seat.expertId, [seat]);
    else list.push(seat);
  }
  const scoresOfSeat = new Map(records.ratings.map((rating) => [rating.seatId, rating.score]));
  const reported = records.experts
    .filter(
      (expert) => (expert.ownPool && POOL_STATES.includes(expert.status)) || seatsOf.has(expert.id),
    )
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rows: ExpertYear[] = [];
  const loads: ExpertLoad[] = [];
  const allScores: number[] = [];
  for (const expert of reported) {
    const seats = seatsOf.get(expert.id) ?? [];
    const scores = seats.flatMap((seat) => {
      const score = scoresOfSeat.get(seat.seatId);
      return score === undefined ? [] : [score];
    });
    allScores.push(...scores);
    rows.push({ ...identity(expert), ...countSeats(seats, scores, args.ruleSet) });
    loads.push({
      expert,
      served: seats
        .filter(isServed)
        .map((seat) => ({ taskId: seat.taskId, industries: seat.taskIndustries })),
    });
  }
  return {
    year: args.year,
    period: args.period,
    asOf: args.period.to,
    generatedAt: args.generatedAt.toISOString(),
    scope: args.scope,
    ruleSet: { id: args.ruleSet.id, version: args.ruleSet.version },
    totals: sumCounts(rows, allScores),
    experts: rows,
    lists: buildActionLists(records, args.period, args.ruleSet),
    workload: buildWorkload(loads),
  };
}

function identity(expert: ReportExpert) {
  return {
    expertId: expert.id,
    name: expert.name,
    group: expert.group,
    status: expert.status,
    ownPool: expert.ownPool,
  };
}

/** A panel seat the expert took up: accepted, not a no-show (shadows are not panel members). */
function isServed(seat: ReportSeat): boolean {
  return (
    (seat.role === 'leader' || seat.role === 'member') &&
    seat.state === 'accepted' &&
    seat.attendance !== 'no_show'
  );
}

function countSeats(
  seats: readonly ReportSeat[],
  scores: readonly number[],
  ruleSet: RuleSet,
): Counts {
  const counts = emptyCounts();
  const led = new Set<string>();
  const served = new Set<string>();
  for (const seat of seats) {
    counts.invitations += 1;
    switch (classifySeat(seat, ruleSet)) {
      case 'accepted':
        counts.accepted += 1;
        break;
      case 'declined_justified':
        counts.declinedJustified += 1;
        break;
      case 'declined_unjustified':
        counts.declinedUnjustified += 1;
        break;
      case 'declined_pending':
        counts.declinedPending += 1;
        break;
      case 'timed_out':
        counts.timedOut += 1;
        break;
      case 'undeliverable':
        counts.undeliverable += 1;
        break;
      case 'acceptance_withdrawn':
        counts.acceptanceWithdrawn += 1;
        break;
      case 'pending':
        counts.pending += 1;
        break;
      case 'withdrawn':
        counts.withdrawn += 1;
        break;
    }
    if (seat.attendance === 'attended') counts.attended += 1;
    if (seat.attendance === 'no_show') counts.noShow += 1;
    if (isServed(seat)) {
      served.add(seat.taskId);
      if (seat.role === 'leader') led.add(seat.taskId);
    }
  }
  counts.declined = counts.declinedJustified + counts.declinedUnjustified + counts.declinedPending;
  counts.ratings = scores.length;
  counts.averageRating = average(scores);
  counts.tasksLed = led.size;
  counts.tasksServed = served.size;
  return counts;
}

function sumCounts(rows: readonly ExpertYear[], scores: readonly number[]): Counts {
  const totals = emptyCounts();
  const keys = Object.keys(totals).filter((key) => key !== 'averageRating') as Exclude<
    keyof Counts,
    'averageRating'
  >[];
  for (const row of rows) for (const key of keys) totals[key] += row[key];
  totals.averageRating = average(scores);
  return totals;
}

function emptyCounts(): Counts {
  return {
    invitations: 0,
    accepted: 0,
    declined: 0,
    declinedJustified: 0,
    declinedUnjustified: 0,
    declinedPending: 0,
    timedOut: 0,
    undeliverable: 0,
    acceptanceWithdrawn: 0,
    pending: 0,
    withdrawn: 0,
    attended: 0,
    noShow: 0,
    ratings: 0,
    averageRating: null,
    tasksLed: 0,
    tasksServed: 0,
  };
}

/** The mean to two decimals, or null without scores. */
function average(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
  return Math.round(mean * 100) / 100;
}
