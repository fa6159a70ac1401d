import type { Transaction } from '../db/open-database.js';
import { type ExpertContact, outbox } from '../db/schema.js';
import type { DispatchContext } from './dispatch-context.js';
import type { OutgoingNotification } from './notification-channel.js';
import { rateLimitedUntil } from './recipient-rate-limit.js';
import { newOutboxId } from './write-invitation-outbox.js';

/** The attempt of the queue job that runs a delivery. */
export interface DeliveryAttempt {
  readonly attempt: number;
  readonly attempts: number;
}

/** How one run through the contacts ended: sent, or not, and whether that was the last try. */
export type SendOutcome =
  | { readonly sent: true }
  | { readonly sent: false; readonly lastError: string; readonly isLast: boolean };

/**
 * The contacts to try, in order: the message's own contact if it names one, else the expert's
 * contacts, else the configured fallback (the log channel in development), else none.
 *
 * @example
 * contactsToTry(null, expert.contacts, context.fallbackContact); // expert.contacts
 */
export function contactsToTry(
  own: ExpertContact | null,
  expertContacts: readonly ExpertContact[] | null,
  fallback: ExpertContact | undefined,
): readonly ExpertContact[] {
  if (own !== null) return [own];
  if (expertContacts && expertContacts.length > 0) return expertContacts;
  return fallback ? [fallback] : [];
}

/**
 * Holds a notification back while its recipient is over the per-hour limit: a new outbox row
 * (`kind`, `payload`) re-runs it when the hour allows, and no attempt is spent. Returns that
 * outbox row's id, or null when the notification may go now (or has no expert to count).
 *
 * @example
 * const heldBy = await holdBackIfRateLimited(tx, context, expertId, { kind: 'deliver_notice', payload: { noticeId } }, now);
 */
export async function holdBackIfRateLimited(
  tx: Transaction,
  context: Pick<DispatchContext, 'rateLimitPerHour'>,
  expertId: string | null,
  rerun: { readonly kind: string; readonly payload: Readonly<Record<string, string | boolean>> },
  now: Date,
): Promise<string | null> {
  if (expertId === null) return null;
  const heldUntil = await rateLimitedUntil(tx, expertId, now, context.rateLimitPerHour);
  if (heldUntil === null) return null;
  const outboxId = newOutboxId();
  await tx.insert(outbox).values({
    id: outboxId,
    kind: rerun.kind,
    payload: rerun.payload,
    runAt: heldUntil,
    createdAt: now,
  });
  return outboxId;
}

/**
 * Sends one notification through `contacts` in order until a gateway accepts it, then records
 * it sent (`recordSent`, with the contact and its index). A contact whose channel is not
 * configured, or whose gateway throws, is noted and the next one tried. When none accepts, the
 * errors are joined (at most 500 characters; `noContact` when there was nothing to try) and the
 * outcome says whether this was the job's last attempt (or there is nothing to retry with).
 *
 * @example
 * const outcome = await sendThroughContacts(context, contacts, job, {
 *   notification: (contact) => ({ kind: 'notice', deliveryId, contact, … }),
 *   recordSent: (contact) => markSent(contact.channel),
 *   noContact: 'the recipient has no contact method',
 * });
 */
export async function sendThroughContacts(
  context: Pick<DispatchContext, 'channels'>,
  contacts: readonly ExpertContact[],
  job: DeliveryAttempt,
  how: {
    readonly notification: (contact: ExpertContact) => OutgoingNotification;
    readonly recordSent: (contact: ExpertContact, index: number) => Promise<void>;
    readonly noContact: string;
  },
): Promise<SendOutcome> {
  const errors: string[] = [];
  for (const [index, contact] of contacts.entries()) {
    const channel = context.channels[contact.channel];
    if (channel === undefined) {
      errors.push(`${contact.channel}: no such channel configured`);
      continue;
    }
    try {
      await channel.send(how.notification(contact));
      await how.recordSent(contact, index);
      return { sent: true };
    } catch (error) {
      errors.push(`${contact.channel}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return {
    sent: false,
    lastError: (errors.join('; ') || how.noContact).slice(0, 500),
    isLast: job.attempt >= job.attempts || contacts.length === 0,
  };
}
