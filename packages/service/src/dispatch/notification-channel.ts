import type { ExpertContact } from '../db/schema.js';
import type { NoticeKind } from './enqueue-notice.js';

/** The text of one notification, for each kind of channel. */
export interface NotificationMessage {
  readonly subject: string;
  readonly text: string;
  /** The short form for SMS. */
  readonly sms: string;
}

/** An invitation to send through one contact. */
export interface OutgoingInvitation {
  readonly kind?: 'invitation';
  /** The delivery id: the idempotency key every gateway receives, the same on each retry. */
  readonly deliveryId: string;
  readonly seatId: number;
  readonly taskId: string;
  readonly contact: ExpertContact;
  readonly message: NotificationMessage;
  readonly replyUrl: string;
  readonly replyCode: string;
}

/** A notice (not an invitation) to send through one contact: nothing to answer. */
export interface OutgoingNotice {
  readonly kind: 'notice';
  /** The notice id: the idempotency key every gateway receives, the same on each retry. */
  readonly deliveryId: string;
  readonly noticeKind: NoticeKind;
  readonly taskId: string | null;
  readonly contact: ExpertContact;
  readonly message: NotificationMessage;
  readonly link: string | null;
}

/** One notification to send through one contact: an invitation or a notice. */
export type OutgoingNotification = OutgoingInvitation | OutgoingNotice;

/**
 * A way of reaching an expert. `send` resolves once the gateway has accepted the message and
 * throws otherwise (the job is then retried with the same idempotency key).
 */
export interface NotificationChannel {
  readonly send: (notification: OutgoingNotification) => Promise<void>;
}

/** The channels the dispatcher may use, by contact kind; a missing one fails that contact. */
export type NotificationChannels = Partial<Record<ExpertContact['channel'], NotificationChannel>>;
