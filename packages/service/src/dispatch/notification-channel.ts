import type { ExpertContact } from '../db/schema.js';
import type { InvitationMessage } from './invitation-message.js';

/** One notification to send through one contact. */
export interface OutgoingNotification {
  /** The delivery id: the idempotency key every gateway receives, the same on each retry. */
  readonly deliveryId: string;
  readonly seatId: number;
  readonly taskId: string;
  readonly contact: ExpertContact;
  readonly message: InvitationMessage;
  readonly replyUrl: string;
  readonly replyCode: string;
}

/**
 * A way of reaching an expert. `send` resolves once the gateway has accepted the message and
 * throws otherwise (the job is then retried with the same idempotency key).
 */
export interface NotificationChannel {
  readonly send: (notification: OutgoingNotification) => Promise<void>;
}

/** The channels the dispatcher may use, by contact kind; a missing one fails that contact. */
export type NotificationChannels = Partial<Record<ExpertContact['channel'], NotificationChannel>>;
