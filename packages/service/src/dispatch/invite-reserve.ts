import { and, eq, type SQL } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Transaction } from '../db/open-database.js';
import { panelSeats } from '../db/schema.js';
import { EXCLUSION_VIOLATION, pgErrorCode } from '../tasks/pg-error-code.js';
import { DISPATCH_ACTOR } from './dispatch-actor.js';
import { moveSeats } from './seats/move-seats.js';
import { writeInvitationOutbox } from './write-invitation-outbox.js';

type SeatRow = typeof panelSeats.$inferSelect;

/**
 * The seats of a draw still held in reserve: alternates not yet invited, to be taken by rank.
 *
 * @example
 * await tx.select().from(panelSeats).where(isReserveOf(drawId)).orderBy(asc(panelSeats.rank));
 */
export function isReserveOf(drawId: string): SQL | undefined {
  return and(
    eq(panelSeats.drawId, drawId),
    eq(panelSeats.role, 'alternate'),
    eq(panelSeats.state, 'reserve'),
  );
}

/** A reserve seat to invite in place of a freed one. */
export interface ReserveInvitation {
  readonly taskId: string;
  /** The seat whose invitation ended without a place. */
  readonly freed: SeatRow;
  readonly reserve: Pick<SeatRow, 'id' | 'expertId'>;
  readonly role: string;
  readonly replyDeadline: Date;
}

/**
 * Invites a reserve in place of a freed seat, in the caller's transaction: the seat becomes
 * `invited` under a savepoint, so that the no-double-booking exclusion constraint (the expert
 * booked elsewhere meanwhile) only skips this reserve, then its delivery and outbox row are
 * written and `invitation.backfilled` is audited. Returns false, changing nothing, when the
 * constraint refused it; any other error is thrown.
 *
 * @example
 * if (await inviteReserve(tx, { taskId, freed, reserve, role: 'member', replyDeadline }, now)) return;
 */
export async function inviteReserve(
  tx: Transaction,
  invitation: ReserveInvitation,
  now: Date,
): Promise<boolean> {
  const { taskId, freed, reserve, role, replyDeadline } = invitation;
  const invited = await tx
    .transaction(async (savepoint) => {
      const moved = await moveSeats(savepoint, {
        where: eq(panelSeats.id, reserve.id),
        from: ['reserve'],
        to: 'invited',
        by: 'system',
        set: { role, invitedAt: now, replyDeadline },
        now,
      });
      return moved.length === 1;
    })
    .catch((error: unknown) => {
      // Booked elsewhere meanwhile (the exclusion constraint): the caller tries the next one.
      if (pgErrorCode(error) === EXCLUSION_VIOLATION) return false;
      throw error;
    });
  if (!invited) return false;
  await writeInvitationOutbox(
    tx,
    [{ id: reserve.id, taskId, expertId: reserve.expertId, replyDeadline }],
    now,
  );
  await appendAudit(
    tx,
    {
      actor: DISPATCH_ACTOR,
      action: 'invitation.backfilled',
      entityType: 'task',
      entityId: taskId,
      reason: `替补 ${freed.expertId}（${freed.state}）/ replaces ${freed.expertId} (${freed.state})`,
      before: { seatId: freed.id, expertId: freed.expertId, state: freed.state },
      after: { seatId: reserve.id, expertId: reserve.expertId, role, state: 'invited' },
    },
    now,
  );
  return true;
}
