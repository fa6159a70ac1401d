import { sql } from 'drizzle-orm';
import type { Transaction } from '../db/open-database.js';
import { queryRows } from '../db/query-rows.js';
import type { draws, panelSeats } from '../db/schema.js';
import type { CommittedOutbox } from '../dispatch/committed-outbox.js';
import { assertInitialSeatStates } from '../dispatch/seats/move-seats.js';
import { newDeliveryId, newOutboxId } from '../dispatch/write-invitation-outbox.js';

export type SeatRow = typeof panelSeats.$inferSelect;
type DrawRow = typeof draws.$inferInsert;

/** A seat to write: everything but its generated id and the fields a reply fills in later. */
export interface NewSeat {
  readonly taskId: string;
  readonly drawId: string;
  readonly expertId: string;
  readonly role: string;
  readonly rank: number;
  readonly state: string;
  readonly windowFrom: Date;
  readonly windowTo: Date;
  readonly invitedAt?: Date | null;
  readonly replyDeadline?: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * Writes a draw and its seats, and for every invited seat its pending delivery and two outbox
 * rows (send now; check the reply deadline when it passes) — in ONE statement of data-modifying
 * CTEs, each table's rows as one JSON parameter. It writes what `writeInvitationOutbox` writes
 * for the same seats, in one round trip instead of four, which is most of a request's statements
 * (the foreign keys are checked at the end of the statement, when every row is in). A double
 * booking still fails the statement with SQLSTATE 23P01. Returns the seats as stored, in input
 * order, and the outbox rows written (for the dispatch loop once the transaction commits).
 *
 * @example
 * const { seats, outbox } = await insertDrawRows(tx, drawRow, newSeats, now);
 */
export async function insertDrawRows(
  tx: Transaction,
  draw: DrawRow & { readonly createdAt: Date },
  seats: readonly NewSeat[],
  now: Date,
): Promise<{ seats: SeatRow[]; outbox: CommittedOutbox[] }> {
  assertInitialSeatStates(seats.map((seat) => seat.state));
  const invitations = seats.flatMap((seat, index) =>
    seat.state === 'invited' && seat.replyDeadline != null
      ? [
          {
            index,
            deliveryId: newDeliveryId(),
            deliverId: newOutboxId(),
            deadlineId: newOutboxId(),
          },
        ]
      : [],
  );
  const seatJson = JSON.stringify(
    seats.map((seat, index) => ({
      i: index,
      taskId: seat.taskId,
      drawId: seat.drawId,
      expertId: seat.expertId,
      role: seat.role,
      rank: seat.rank,
      state: seat.state,
      windowFrom: seat.windowFrom.toISOString(),
      windowTo: seat.windowTo.toISOString(),
      invitedAt: seat.invitedAt?.toISOString() ?? null,
      replyDeadline: seat.replyDeadline?.toISOString() ?? null,
      createdAt: seat.createdAt.toISOString(),
      updatedAt: seat.updatedAt.toISOString(),
    })),
  );
  const json = (value: unknown) => JSON.stringify(value ?? null);
  const rows = await queryRows<{ i: number; id: string | number; person_id: string }>(
    tx,
    sql`
    with d as (
      insert into draws (id, task_id, sequence, pool_snapshot_digest, rule_set_id, rule_set_version,
                         policy, seed, input_digest, input, result, exclusions, reason, created_by,
                         created_by_authority_id, created_at)
      values (${draw.id}, ${draw.taskId}, ${draw.sequence}, ${draw.poolSnapshotDigest},
              ${draw.ruleSetId}, ${draw.ruleSetVersion}, ${json(draw.policy)}::jsonb, ${draw.seed},
              ${draw.inputDigest}, ${json(draw.input)}::jsonb, ${json(draw.result)}::jsonb,
              ${json(draw.exclusions)}::jsonb, ${draw.reason ?? null}, ${draw.createdBy},
              ${draw.createdByAuthorityId}, ${draw.createdAt.toISOString()}::timestamptz)
    ),
    x as (
      select * from jsonb_to_recordset(${seatJson}::jsonb) as x(
        "i" int, "taskId" text, "drawId" text, "expertId" text, "role" text, "rank" int,
        "state" text, "windowFrom" timestamptz, "windowTo" timestamptz, "invitedAt" timestamptz,
        "replyDeadline" timestamptz, "createdAt" timestamptz, "updatedAt" timestamptz)
    ),
    s as (
      insert into panel_seats (task_id, draw_id, expert_id, role, rank, state, window_from,
                               window_to, invited_at, reply_deadline, created_at, updated_at)
      select "taskId", "drawId", "expertId", "role", "rank", "state", "windowFrom", "windowTo",
             "invitedAt", "replyDeadline", "createdAt", "updatedAt"
      from x order by "i"
      returning id, task_id, expert_id, reply_deadline, person_id
    ),
    v as (
      select s.id as seat_id, s.task_id, s.expert_id, s.reply_deadline, x."i", inv."deliveryId",
             inv."deliverId", inv."deadlineId"
      from s
      join x on x."expertId" = s.expert_id
      join jsonb_to_recordset(${JSON.stringify(invitations)}::jsonb) as inv(
        "index" int, "deliveryId" text, "deliverId" text, "deadlineId" text) on inv."index" = x."i"
    ),
    dl as (
      insert into deliveries (id, seat_id, task_id, expert_id, outbox_id, state, created_at,
                              updated_at)
      select "deliveryId", seat_id, task_id, expert_id, "deliverId", 'pending',
             ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
      from v
    ),
    ob as (
      insert into outbox (id, kind, payload, run_at, created_at)
      select "deliverId", 'deliver_invitation', jsonb_build_object('deliveryId', "deliveryId"),
             ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
      from v
      union all
      select "deadlineId", 'invitation_deadline', jsonb_build_object('seatId', seat_id),
             reply_deadline, ${now.toISOString()}::timestamptz
      from v
    )
    select x."i" as i, s.id as id, s.person_id from s join x on x."expertId" = s.expert_id`,
  );
  const idOf = new Map(rows.map((row) => [Number(row.i), Number(row.id)]));
  // Set by the trigger of 0014: the person the seat books.
  const personOf = new Map(rows.map((row) => [Number(row.i), row.person_id]));
  const outbox = invitations.flatMap(({ index, deliveryId, deliverId, deadlineId }) => {
    const seatId = idOf.get(index) ?? 0;
    const deadline = seats[index]?.replyDeadline ?? now;
    return [
      { id: deliverId, kind: 'deliver_invitation', payload: { deliveryId }, runAt: now },
      { id: deadlineId, kind: 'invitation_deadline', payload: { seatId }, runAt: deadline },
    ];
  });
  const stored = seats.map((seat, index) => ({
    id: idOf.get(index) ?? 0,
    taskId: seat.taskId,
    drawId: seat.drawId,
    expertId: seat.expertId,
    personId: personOf.get(index) ?? null,
    role: seat.role,
    rank: seat.rank,
    state: seat.state,
    declineReason: null,
    declineNote: null,
    replyChannel: null,
    repliedBy: null,
    deliveredAt: null,
    windowFrom: seat.windowFrom,
    windowTo: seat.windowTo,
    invitedAt: seat.invitedAt ?? null,
    repliedAt: null,
    replyDeadline: seat.replyDeadline ?? null,
    attendance: null,
    attendanceRecordedAt: null,
    createdAt: seat.createdAt,
    updatedAt: seat.updatedAt,
  }));
  return { seats: stored, outbox };
}
