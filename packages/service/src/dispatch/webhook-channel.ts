import { createHmac } from 'node:crypto';
import { type OutboundPolicy, STRICT_OUTBOUND_POLICY } from '../outbound/outbound-policy.js';
import { postOutbound } from '../outbound/post-outbound.js';
import type { NotificationChannel, OutgoingNotification } from './notification-channel.js';

/** The headers of a signed request to a gateway. */
export const SIGNATURE_HEADER = 'x-expert-dispatch-signature';
export const TIMESTAMP_HEADER = 'x-expert-dispatch-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * The signature of a gateway request: `sha256=` and the hex HMAC-SHA256 of
 * `<timestamp>.<body>`, so that a receiver can check origin and reject replays by time.
 *
 * @example
 * signPayload('secret', '1767225600', '{"a":1}'); // 'sha256=…'
 */
export function signPayload(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** How a signed request is sent: its key, idempotency key, deadline and allowed targets. */
export interface SignedPostOptions {
  readonly secret: string;
  readonly idempotencyKey: string;
  readonly timeoutMs: number;
  /**
   * The targets allowed although internal (`OUTBOUND_ALLOW_HOSTS`); without one, every
   * loopback, private, link-local, metadata … address is refused (see outbound-policy.ts).
   */
  readonly outbound?: OutboundPolicy | undefined;
}

/**
 * POSTs a JSON body, signed, with the delivery id as `Idempotency-Key`, to a target checked
 * on its resolved address at send time (post-outbound.ts); a refused target, a non-2xx answer
 * (redirects are not followed) or no answer within `timeoutMs` is a failure.
 */
export async function postSigned(
  url: string,
  body: unknown,
  options: SignedPostOptions,
): Promise<void> {
  const text = JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const status = await postOutbound(url, {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signPayload(options.secret, timestamp, text),
      [IDEMPOTENCY_HEADER]: options.idempotencyKey,
    },
    body: text,
    timeoutMs: options.timeoutMs,
    policy: options.outbound ?? STRICT_OUTBOUND_POLICY,
  });
  if (status < 200 || status > 299) throw new Error(`gateway answered ${status}`);
}

/**
 * The webhook channel: the contact's address is an HTTP(S) URL (e.g. a government SMS/voice
 * gateway) that receives the invitation or notice as signed JSON.
 *
 * @example
 * const channel = createWebhookChannel({ secret, timeoutMs: 10_000 });
 */
export function createWebhookChannel(options: {
  readonly secret: string;
  readonly timeoutMs: number;
  readonly outbound?: OutboundPolicy | undefined;
}): NotificationChannel {
  return {
    send: (notification: OutgoingNotification) =>
      postSigned(notification.contact.address, webhookBody(notification), {
        ...options,
        idempotencyKey: notification.deliveryId,
      }),
  };
}

/**
 * The JSON a webhook receives: an invitation with its reply link and code, or a notice with
 * its kind and optional link. `deliveryId` is the idempotency key in both.
 */
function webhookBody(notification: OutgoingNotification): Record<string, unknown> {
  const common = {
    deliveryId: notification.deliveryId,
    taskId: notification.taskId,
    subject: notification.message.subject,
    text: notification.message.text,
  };
  if (notification.kind === 'notice') {
    return {
      ...common,
      noticeId: notification.deliveryId,
      kind: notification.noticeKind,
      link: notification.link,
    };
  }
  return {
    ...common,
    invitationId: String(notification.seatId),
    replyUrl: notification.replyUrl,
    replyCode: notification.replyCode,
  };
}

/**
 * The SMS gateway channel: the contact's address is a phone number; the short text goes to
 * the gateway URL, signed, with the same idempotency key.
 */
export function createSmsChannel(options: {
  readonly gatewayUrl: string;
  readonly secret: string;
  readonly timeoutMs: number;
  readonly outbound?: OutboundPolicy | undefined;
}): NotificationChannel {
  return {
    send: (notification) =>
      postSigned(
        options.gatewayUrl,
        { to: notification.contact.address, text: notification.message.sms },
        { ...options, idempotencyKey: notification.deliveryId },
      ),
  };
}
