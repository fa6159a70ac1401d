import { eq } from 'drizzle-orm';
import { type ExpertContact, experts, notices, outbox } from '../db/schema.js';
import type { DeliveryAttempt } from './deliver-invitation.js';
import type { DispatchContext } from './dispatch-context.js';
import type { NoticeKind } from './enqueue-notice.js';
import type { NotificationMessage } from './notification-channel.js';
import { rateLimitedUntil } from './recipient-rate-limit.js';
import { newOutboxId } from './write-invitation-outbox.js';

type NoticeRow = typeof notices.$inferSelect;

/**
 * The text of a notice for each kind of channel: the body as written, with its link.
 *
 * @example
 * noticeMessage({ subject: '【专家邀请】已列入候补名单', body: '感谢…', link: null }).sms;
 */
export function noticeMessage(
  notice: Pick<NoticeRow, 'subject' | 'body' | 'link'>,
): NotificationMessage {
  const link = notice.link === null ? '' : `\n链接：${notice.link}`;
  return {
    subject: notice.subject,
    text: `${notice.body}${link}`,
    sms: `${notice.subject}${notice.body}${notice.link === null ? '' : ` ${notice.link}`}`,
  };
}

/**
 * Sends one notice (`deliver_notice` job) like an invitation is sent: through its own contact,
 * or the expert's contacts in order, until one gateway accepts it. The attempt is recorded
 * (`sending`, attempts + 1) and committed BEFORE anything is sent, and every gateway gets the
 * notice id as idempotency key, so a retried job or one re-run after a worker died is the same
 * message to the receiver. A notice already `sent` or `failed` is left alone; one to an expert
 * over the per-recipient rate limit is held back (no attempt spent). After the last attempt it
 * is `failed`. Throws to make the queue retry.
 *
 * @example
 * await deliverNotice(context, 'nt_…', { attempt: 1, attempts: 5 });
 */
export async function deliverNotice(
  context: DispatchContext,
  noticeId: string,
  job: DeliveryAttempt,
): Promise<'sent' | 'skipped' | 'failed'> {
  const { db } = context;
  const claimed = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ notice: notices, contacts: experts.contacts })
      .from(notices)
      .leftJoin(experts, eq(experts.id, notices.expertId))
      .where(eq(notices.id, noticeId))
      .for('update', { of: notices });
    if (row === undefined || !['pending', 'sending'].includes(row.notice.state)) return null;
    const now = context.now();
    const heldUntil =
      row.notice.expertId === null
        ? null
        : await rateLimitedUntil(tx, row.notice.expertId, now, context.rateLimitPerHour);
    if (heldUntil !== null) {
      // Held back, not failed: a new outbox row re-runs the notice when the hour allows.
      await tx.insert(outbox).values({
        id: newOutboxId(),
        kind: 'deliver_notice',
        payload: { noticeId },
        runAt: heldUntil,
        createdAt: now,
      });
      await tx
        .update(notices)
        .set({ lastError: 'rate limited', updatedAt: now })
        .where(eq(notices.id, noticeId));
      return null;
    }
    await tx
      .update(notices)
      .set({ state: 'sending', attempts: row.notice.attempts + 1, updatedAt: now })
      .where(eq(notices.id, noticeId));
    return row;
  });
  if (claimed === null) return 'skipped';

  const { notice } = claimed;
  const contacts: readonly ExpertContact[] =
    notice.contact !== null
      ? [notice.contact]
      : claimed.contacts && claimed.contacts.length > 0
        ? claimed.contacts
        : context.fallbackContact
          ? [context.fallbackContact]
          : [];
  const message = noticeMessage(notice);
  const errors: string[] = [];
  for (const contact of contacts) {
    const channel = context.channels[contact.channel];
    if (channel === undefined) {
      errors.push(`${contact.channel}: no such channel configured`);
      continue;
    }
    try {
      await channel.send({
        kind: 'notice',
        deliveryId: notice.id,
        noticeKind: notice.kind as NoticeKind,
        taskId: notice.taskId,
        contact,
        message,
        link: notice.link,
      });
      await db
        .update(notices)
        .set({
          state: 'sent',
          channel: contact.channel,
          sentAt: context.now(),
          lastError: null,
          updatedAt: context.now(),
        })
        .where(eq(notices.id, noticeId));
      return 'sent';
    } catch (error) {
      errors.push(`${contact.channel}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const lastError = (errors.join('; ') || 'the recipient has no contact method').slice(0, 500);
  const isLast = job.attempt >= job.attempts || contacts.length === 0;
  const now = context.now();
  await db
    .update(notices)
    .set(
      isLast
        ? { state: 'failed', lastError, failedAt: now, updatedAt: now }
        : { state: 'pending', lastError, updatedAt: now },
    )
    .where(eq(notices.id, noticeId));
  if (!isLast) throw new Error(`notice ${noticeId} failed: ${lastError}`);
  return 'failed';
}
