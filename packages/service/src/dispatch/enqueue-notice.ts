import { randomBytes } from 'node:crypto';
import type { Transaction } from '../db/open-database.js';
import { type ExpertContact, notices, outbox } from '../db/schema.js';
import { newOutboxId } from './write-invitation-outbox.js';

/** What kind of notice this is; the kinds are fixed so that reports can count them. */
export type NoticeKind =
  | 'waitlist_thanks'
  | 'waitlist_promoted'
  | 'invitation_closed'
  | 'rating_request'
  | 'profile_reminder'
  | 'term_lapsed'
  | 'monthly_digest'
  /** 通报 (第二十三条): a warning, interview or dismissal told to the employer / recommending unit. */
  | 'conduct_notice'
  /** From 1 November while next year's working-day calendar is missing (第十条（四）). */
  | 'calendar_missing'
  /** A one-time login code of the expert self-service (第八条（一）). */
  | 'self_login'
  /** To the requesting authority: no channel reached an invited expert (`undeliverable`). */
  | 'invitation_undeliverable';

/**
 * Periodic notices, not tied to work in progress: they are queued in the background, so that a
 * month's reminders never hold back an invitation (`JobOptions.background`).
 */
const BACKGROUND_KINDS: ReadonlySet<string> = new Set<NoticeKind>([
  'profile_reminder',
  'term_lapsed',
  'monthly_digest',
  'calendar_missing',
]);

/**
 * The outbox payload that delivers a notice of this kind: background for periodic kinds.
 *
 * @example
 * noticePayload('nt_1', 'profile_reminder'); // { noticeId: 'nt_1', background: true }
 */
export function noticePayload(
  noticeId: string,
  kind: string,
): { noticeId: string; background?: true } {
  return BACKGROUND_KINDS.has(kind) ? { noticeId, background: true } : { noticeId };
}

/** A notice to write: to an expert (their ordered contacts) or to one given contact. */
export interface NewNotice {
  readonly kind: NoticeKind;
  readonly recipient: { readonly expertId: string } | { readonly contact: ExpertContact };
  readonly taskId?: string;
  /** Simplified Chinese, as the recipient reads it. */
  readonly subject: string;
  readonly body: string;
  readonly link?: string;
}

/** Notice ids: `nt_` and 20 hex digits, also the idempotency key gateways receive. */
export function newNoticeId(): string {
  return `nt_${randomBytes(10).toString('hex')}`;
}

/**
 * Writes notices and their `deliver_notice` outbox rows in the caller's transaction, so that a
 * notice exists exactly when the change that causes it commits, and is sent once by the relay.
 * Returns the notice ids in input order.
 *
 * @example
 * await enqueueNotices(tx, [{ kind: 'waitlist_thanks', recipient: { expertId: 'e-1' },
 *   taskId: 't-1', subject: '感谢您的响应', body: '专家组已满，您已列入候补名单。' }], now);
 */
export async function enqueueNotices(
  tx: Transaction,
  items: readonly NewNotice[],
  now: Date,
): Promise<string[]> {
  if (items.length === 0) return [];
  const rows = items.map((item) => ({ item, id: newNoticeId(), outboxId: newOutboxId() }));
  await tx.insert(notices).values(
    rows.map(({ item, id }) => ({
      id,
      kind: item.kind,
      expertId: 'expertId' in item.recipient ? item.recipient.expertId : null,
      contact: 'contact' in item.recipient ? item.recipient.contact : null,
      taskId: item.taskId ?? null,
      subject: item.subject,
      body: item.body,
      link: item.link ?? null,
      state: 'pending',
      createdAt: now,
      updatedAt: now,
    })),
  );
  await tx.insert(outbox).values(
    rows.map(({ item, id, outboxId }) => ({
      id: outboxId,
      kind: 'deliver_notice',
      payload: noticePayload(id, item.kind),
      runAt: now,
      createdAt: now,
    })),
  );
  return rows.map((row) => row.id);
}
