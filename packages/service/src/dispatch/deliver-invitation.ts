import type { Task } from '@expert-dispatch/rules';
import { eq, sql } from 'drizzle-orm';
import { deliveries, experts, panelSeats, tasks } from '../db/schema.js';
import { type ClaimedInvitation, claimInvitationAtOnce } from './claim-delivery.js';
import type { DispatchContext } from './dispatch-context.js';
import { invitationMessage } from './invitation-message.js';
import { signReplyToken } from './reply-token.js';
import { lockSeat } from './seats/lock-seat.js';
import {
  contactsToTry,
  type DeliveryAttempt,
  holdBackIfRateLimited,
  sendThroughContacts,
} from './send-through-contacts.js';
import { endUndeliverable } from './time-out-invitation.js';

/**
 * Sends one invitation's notification through the expert's contacts, in order, until one
 * gateway accepts it. The attempt is recorded (state `sending`, attempts + 1) and committed
 * BEFORE anything is sent, and every gateway gets the delivery id as idempotency key, so a
 * retried job or one re-run after a worker died is recognisable as the same message. The
 * claim is one statement in the common case (`claimInvitationAtOnce`), the full transaction
 * otherwise. A delivery that is already `sent`, `failed` or `cancelled` is left alone; one to
 * an expert over the per-recipient rate limit is held back until the hour allows (no attempt
 * spent). A gateway's acceptance is the channel receipt: the delivery is `sent` and the seat
 * records its first receipt (`delivered_at`). The retries span the retry window
 * (`DELIVERY_RETRY_WINDOW_MS` of backoff); after the last attempt the delivery is `failed` and
 * the invitation `undeliverable` (`endUndeliverable`), never counted against the expert.
 * Throws to make the queue retry.
 *
 * @example
 * await deliverInvitation(context, 'dl_…', { attempt: 1, attempts: 5 });
 */
export async function deliverInvitation(
  context: DispatchContext,
  deliveryId: string,
  job: DeliveryAttempt,
): Promise<'sent' | 'skipped' | 'failed'> {
  const { db } = context;
  const claimed =
    (await claimInvitationAtOnce(db, deliveryId, context.now(), context.rateLimitPerHour)) ??
    (await claimInvitation(context, deliveryId));
  if (claimed === null) return 'skipped';

  const replyDeadline = claimed.replyDeadline ?? context.now();
  // The link outlives the reply deadline until the work starts: an expert who accepted uses it
  // to say they can no longer attend (第十五条). An unanswered invitation past its deadline
  // shows as lapsed, and an answer through it then times the invitation out.
  const workStarts = Date.parse((claimed.task as Task).window.from);
  const linkExpiry = new Date(Math.max(replyDeadline.getTime(), workStarts));
  const token = signReplyToken(context.replyLinkSecret, claimed.seatId, linkExpiry);
  const replyUrl = `${context.publicBaseUrl.replace(/\/$/, '')}/r/${token}`;
  const replyCode = String(claimed.seatId);
  const message = invitationMessage({
    task: claimed.task as Task,
    replyDeadline,
    replyUrl,
    replyCode,
  });
  const outcome = await sendThroughContacts(
    context,
    contactsToTry(null, claimed.contacts, context.fallbackContact),
    job,
    {
      notification: (contact) => ({
        deliveryId,
        seatId: claimed.seatId,
        taskId: claimed.taskId,
        contact,
        message,
        replyUrl,
        replyCode,
      }),
      recordSent: async (contact, index) => {
        const at = context.now().toISOString();
        // One statement, the seat before the delivery (the order replies and time-outs lock
        // in): the seat keeps its first receipt, a re-run of a delivered job the original time.
        await db.execute(
          sql`with seat as (
                update panel_seats set delivered_at = coalesce(delivered_at, ${at}::timestamptz)
                where id = ${claimed.seatId} returning id)
              update deliveries
                 set state = 'sent', channel = ${contact.channel}, contact_index = ${index},
                     sent_at = ${at}::timestamptz, last_error = null, updated_at = ${at}::timestamptz
               where id = ${deliveryId}`,
        );
      },
      noContact: 'the expert has no contact method',
    },
  );
  if (outcome.sent) return 'sent';
  const { lastError, isLast } = outcome;
  const now = context.now();
  if (!isLast) {
    await db
      .update(deliveries)
      .set({ state: 'pending', lastError, updatedAt: now })
      .where(eq(deliveries.id, deliveryId));
    throw new Error(`delivery ${deliveryId} failed: ${lastError}`);
  }
  // Failed for good: no channel reached the expert, in the same transaction.
  await db.transaction(async (tx) => {
    await lockSeat(tx, claimed.seatId);
    await tx
      .update(deliveries)
      .set({ state: 'failed', lastError, failedAt: now, updatedAt: now })
      .where(eq(deliveries.id, deliveryId));
    await endUndeliverable(
      tx,
      claimed.seatId,
      now,
      '所有渠道在重试期内均未送达 / no channel reached the expert over the retry window',
    );
  });
  return 'failed';
}

/**
 * The full claim, for whatever the one-statement claim did not take: under the delivery's row
 * lock, a missing or settled delivery is skipped, one whose seat is no longer invited is
 * cancelled, and one to an expert over the per-recipient limit is held back (a new outbox row
 * re-runs it when the hour allows; no attempt spent). Otherwise — the state changed between
 * the two — it is claimed here.
 */
async function claimInvitation(
  context: DispatchContext,
  deliveryId: string,
): Promise<ClaimedInvitation | null> {
  return context.db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        delivery: deliveries,
        seatState: panelSeats.state,
        replyDeadline: panelSeats.replyDeadline,
        contacts: experts.contacts,
        task: tasks.body,
      })
      .from(deliveries)
      .innerJoin(panelSeats, eq(panelSeats.id, deliveries.seatId))
      .innerJoin(experts, eq(experts.id, deliveries.expertId))
      .innerJoin(tasks, eq(tasks.id, deliveries.taskId))
      .where(eq(deliveries.id, deliveryId))
      .for('update', { of: deliveries });
    if (row === undefined || !['pending', 'sending'].includes(row.delivery.state)) return null;
    const now = context.now();
    if (row.seatState !== 'invited') {
      await tx
        .update(deliveries)
        .set({ state: 'cancelled', updatedAt: now })
        .where(eq(deliveries.id, deliveryId));
      return null;
    }
    // Held back, not failed: the new outbox row re-runs the delivery when the hour allows.
    const outboxId = await holdBackIfRateLimited(
      tx,
      context,
      row.delivery.expertId,
      { kind: 'deliver_invitation', payload: { deliveryId } },
      now,
    );
    if (outboxId !== null) {
      await tx
        .update(deliveries)
        .set({ outboxId, lastError: 'rate limited', updatedAt: now })
        .where(eq(deliveries.id, deliveryId));
      return null;
    }
    await tx
      .update(deliveries)
      .set({ state: 'sending', attempts: row.delivery.attempts + 1, updatedAt: now })
      .where(eq(deliveries.id, deliveryId));
    return {
      seatId: row.delivery.seatId,
      taskId: row.delivery.taskId,
      replyDeadline: row.replyDeadline,
      contacts: row.contacts,
      task: row.task,
    };
  });
}
