import type { Busy, History, InvitationRecord, Rating } from '@expert-dispatch/rules';
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/open-database.js';
import { jsonColumn, queryRows } from '../db/query-rows.js';

/**
 * Seat states that book an expert for the task's window (see migration 0001). `loadHistory`'s
 * SQL spells them out as literals: only then does its predicate match the exclusion
 * constraint's partial GiST index under a prepared statement's generic plan.
 */
export const HOLDING_STATES = ['invited', 'accepted'] as const;

type AnsweredSeat = {
  readonly expertId: string;
  readonly taskId: string;
  readonly state: string;
  readonly declineReason: string | null;
  readonly repliedAt: Date | null;
  readonly updatedAt: Date;
  readonly attendance: string | null;
  readonly attendanceRecordedAt: Date | null;
  readonly review: 'justified' | 'unjustified' | null;
};

/**
 * The history a draw reads, in one statement with three lists: answers to invitations
 * since `since`, each followed by its attendance once recorded (reliability, fair share and
 * 第二十三条（一） warnings; 第十五条); the served units' ratings since `since` (quality,
 * 第二十条（二）); and the bookings that overlap the window (availability, 第十五条).
 * Call it inside the draw's transaction, after the draw lock, so no booking is missed.
 *
 * @example
 * const history = await loadHistory(tx, task.window, new Date('2023-03-01T00:00:00Z'));
 */
export async function loadHistory(
  db: Executor,
  window: { readonly from: string; readonly to: string },
  since: Date,
): Promise<History> {
  // One statement, three lists (JSON arrays of arrays, times as epoch milliseconds): a draw's
  // round trips are most of its cost. Recording attendance touches `updated_at`, so an attended
  // seat is read with the answers. The bookings test is the exclusion constraint's own (same
  // predicate, same half-open range), so its GiST index serves it.
  const [row] = await queryRows<{ answered: unknown; rated: unknown; booked: unknown }>(
    db,
    sql`select
      (select coalesce(json_agg(json_build_array(expert_id, task_id, state, decline_reason,
                 ${epochMs(sql`replied_at`)}, ${epochMs(sql`updated_at`)}, attendance,
                 ${epochMs(sql`attendance_recorded_at`)},
                 (select decision from decline_reviews where seat_id = panel_seats.id))
                 order by id), '[]'::json)
         from panel_seats
        where state in ('accepted', 'declined', 'timed_out', 'withdrawn')
          and updated_at > ${since.toISOString()}::timestamptz) as answered,
      (select coalesce(json_agg(json_build_array(expert_id, task_id, score,
                 ${epochMs(sql`created_at`)}) order by created_at, id), '[]'::json)
         from ratings
        where created_at > ${since.toISOString()}::timestamptz) as rated,
      ${bookingsSql(window)} as booked`,
  );
  const answered: AnsweredSeat[] = jsonRows(row?.answered).map(
    ([
      expertId,
      taskId,
      state,
      declineReason,
      repliedAt,
      updatedAt,
      attendance,
      recordedAt,
      review,
    ]) => ({
      expertId: String(expertId),
      taskId: String(taskId),
      state: String(state),
      declineReason: declineReason === null ? null : String(declineReason),
      repliedAt: repliedAt === null ? null : new Date(Number(repliedAt)),
      updatedAt: new Date(Number(updatedAt)),
      attendance: attendance === null ? null : String(attendance),
      attendanceRecordedAt: recordedAt === null ? null : new Date(Number(recordedAt)),
      review:
        review === 'justified' || review === 'unjustified'
          ? (review as AnsweredSeat['review'])
          : null,
    }),
  );
  const invitations: InvitationRecord[] = answered.flatMap(invitationRecordsOf);
  const ratingRecords: Rating[] = jsonRows(row?.rated).map(([expertId, taskId, score, at]) => ({
    expertId: String(expertId),
    taskId: String(taskId),
    score: Number(score),
    at: new Date(Number(at)).toISOString(),
  }));
  return { invitations, ratings: ratingRecords, busy: bookingsOf(row?.booked) };
}

/**
 * The bookings that overlap `window`, as one JSON array (a scalar subquery): the test is the
 * exclusion constraint's own (same predicate, same half-open range), so its GiST index serves it.
 */
export function bookingsSql(window: { readonly from: string; readonly to: string }): SQL {
  return sql`(select coalesce(json_agg(json_build_array(record, task_id, ${epochMs(sql`window_from`)},
                 ${epochMs(sql`window_to`)}) order by id, record collate "C"), '[]'::json)
         from panel_seats
         -- A booking holds the person (0014): it is read under each of the person's records, so
         -- a record booked in a pool the caller cannot see still keeps the visible one free.
         cross join lateral expert_person_records(expert_id) as record
        where state in ('invited', 'accepted') and role <> 'alternate'
          and tstzrange(window_from, window_to, '[)')
              && tstzrange(${window.from}::timestamptz, ${window.to}::timestamptz, '[)'))`;
}

/** The bookings of {@link bookingsSql} as the matcher reads them. */
export function bookingsOf(value: unknown): Busy[] {
  return jsonRows(value).map(([expertId, taskId, from, to]) => ({
    expertId: String(expertId),
    taskId: String(taskId),
    from: new Date(Number(from)).toISOString(),
    to: new Date(Number(to)).toISOString(),
  }));
}

/** Milliseconds since the epoch of a timestamptz column, exact for the service's ms times. */
function epochMs(column: SQL): SQL {
  return sql`round(extract(epoch from ${column}) * 1000)::float8`;
}

/** A JSON array of arrays as the drivers return it: parsed (postgres.js, PGlite) or as text. */
function jsonRows(value: unknown): unknown[][] {
  const parsed = jsonColumn(value);
  return Array.isArray(parsed) ? (parsed as unknown[][]) : [];
}

/**
 * The records of one answered seat: the answer, and for an accepted seat whose attendance was
 * recorded, a second record `attended` / `no_show` (the matcher collapses the two into one
 * invitation, 第十五条). A withdrawal (accepted, then could no longer attend) reads as a decline
 * with its claimed reason; an `undeliverable` invitation is never read (not the expert's doing).
 */
function invitationRecordsOf(seat: AnsweredSeat): InvitationRecord[] {
  const declined = seat.state === 'declined' || seat.state === 'withdrawn';
  const answer: InvitationRecord = {
    expertId: seat.expertId,
    taskId: seat.taskId,
    at: (seat.repliedAt ?? seat.updatedAt).toISOString(),
    outcome: (declined ? 'declined' : seat.state) as InvitationRecord['outcome'],
    ...(declined && seat.declineReason !== null
      ? { reason: seat.declineReason as NonNullable<InvitationRecord['reason']> }
      : {}),
    // The department's decision on the claimed reason (正当理由认定, 第二十三条（一）).
    ...(declined && seat.review !== null ? { review: seat.review } : {}),
  };
  if (seat.state !== 'accepted' || seat.attendance === null) return [answer];
  return [
    answer,
    {
      expertId: seat.expertId,
      taskId: seat.taskId,
      at: (seat.attendanceRecordedAt ?? seat.updatedAt).toISOString(),
      outcome: seat.attendance as InvitationRecord['outcome'],
    },
  ];
}
