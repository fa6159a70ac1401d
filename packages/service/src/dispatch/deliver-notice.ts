import { eq } from 'drizzle-orm';
import { experts, notices } from '../db/schema.js';
import { type ClaimedNotice, claimNoticeAtOnce } from './claim-delivery.js';
import type { DispatchContext } from './dispatch-context.js';
import type { NoticeKind } from './enqueue-notice.js';
import { noticePayload } from './enqueue-notice.js';
import type { NotificationMessage } from './notification-channel.js';
import {
  contactsToTry,
  type DeliveryAttempt,
  holdBackIfRateLimited,
  sendThroughContacts,
} from './send-through-contacts.js';

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
 * message to the receiver. The claim is one statement in the common case (`claimNoticeAtOnce`),
 * the full transaction otherwise. A notice already `sent` or `failed` is left alone; one to an expert
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
  const claimed =
    (await claimNoticeAtOnce(db, noticeId, context.now(), context.rateLimitPerHour)) ??
    (await claimNotice(context, noticeId));
  if (claimed === null) return 'skipped';

  const { notice } = claimed;
  const message = noticeMessage(notice);
  const outcome = await sendThroughContacts(
    context,
    contactsToTry(notice.contact, claimed.contacts, context.fallbackContact),
    job,
    {
      notification: (contact) => ({
        kind: 'notice',
        deliveryId: notice.id,
        noticeKind: notice.kind as NoticeKind,
        taskId: notice.taskId,
        contact,
        message,
        link: notice.link,
      }),
      recordSent: async (contact) => {
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
      },
      noContact: 'the recipient has no contact method',
    },
  );
  if (outcome.sent) return 'sent';
  const { lastError, isLast } = outcome;
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

/**
 * The full claim, for whatever the one-statement claim did not take: under the notice's row
 * lock, a missing or settled notice is skipped and one to an expert over the per-recipient
 * limit is held back (a new outbox row re-runs it when the hour allows; no attempt spent).
 * Otherwise — the state changed between the two — it is claimed here.
 */
async function claimNotice(
  context: DispatchContext,
  noticeId: string,
): Promise<ClaimedNotice | null> {
  return context.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ notice: notices, contacts: experts.contacts })
      .from(notices)
      .leftJoin(experts, eq(experts.id, notices.expertId))
      .where(eq(notices.id, noticeId))
      .for('update', { of: notices });
    if (row === undefined || !['pending', 'sending'].includes(row.notice.state)) return null;
    const now = context.now();
    // Held back, not failed: the new outbox row re-runs the notice when the hour allows.
    const heldBy = await holdBackIfRateLimited(
      tx,
      context,
      row.notice.expertId,
      { kind: 'deliver_notice', payload: noticePayload(noticeId, row.notice.kind) },
      now,
    );
    if (heldBy !== null) {
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
}
