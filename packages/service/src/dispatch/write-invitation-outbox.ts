import type { Transaction } from '../db/open-database.js';
import { deliveries, outbox } from '../db/schema.js';
import { randomHex } from '../random-hex.js';
import type { CommittedOutbox } from './committed-outbox.js';
import { noteOutboxWritten } from './outbox-collector.js';

/** A seat that has just been invited. */
export interface InvitedSeat {
  readonly id: number;
  readonly taskId: string;
  readonly expertId: string;
  readonly replyDeadline: Date;
}

/** Outbox ids: `ob_` and 20 hex digits (BullMQ job ids may not hold `:`). */
export function newOutboxId(): string {
  return `ob_${randomHex(10)}`;
}

/** Delivery ids: `dl_` and 20 hex digits; the idempotency key every gateway receives. */
export function newDeliveryId(): string {
  return `dl_${randomHex(10)}`;
}

/**
 * Writes, in the caller's transaction, what makes an invitation happen: its delivery record
 * (pending) and two outbox rows — send the notification now, and check the reply deadline when
 * it passes. Called by the draw and by every later invitation (backfill), so that committed
 * seats and their notifications can never part. The rows are reported to a collecting
 * transaction (`noteOutboxWritten`), which hands them to the dispatch loop once committed.
 *
 * @example
 * await writeInvitationOutbox(tx, [{ id: 12, taskId: 't-1', expertId: 'e-1', replyDeadline }], now);
 */
export async function writeInvitationOutbox(
  tx: Transaction,
  seats: readonly InvitedSeat[],
  now: Date,
): Promise<void> {
  if (seats.length === 0) return;
  const deliverRows = seats.map((seat) => ({
    seat,
    deliveryId: newDeliveryId(),
    outboxId: newOutboxId(),
  }));
  await tx.insert(deliveries).values(
    deliverRows.map(({ seat, deliveryId, outboxId }) => ({
      id: deliveryId,
      seatId: seat.id,
      taskId: seat.taskId,
      expertId: seat.expertId,
      outboxId,
      state: 'pending',
      createdAt: now,
      updatedAt: now,
    })),
  );
  const rows: CommittedOutbox[] = [
    ...deliverRows.map(({ deliveryId, outboxId }) => ({
      id: outboxId,
      kind: 'deliver_invitation',
      payload: { deliveryId },
      runAt: now,
    })),
    ...seats.map((seat) => ({
      id: newOutboxId(),
      kind: 'invitation_deadline',
      payload: { seatId: seat.id },
      runAt: seat.replyDeadline,
    })),
  ];
  await tx.insert(outbox).values(rows.map((row) => ({ ...row, createdAt: now })));
  noteOutboxWritten(tx, rows);
}
