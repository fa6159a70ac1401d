import { createHmac } from 'node:crypto';
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

/**
 * POSTs a JSON body, signed, with the delivery id as `Idempotency-Key`; a non-2xx answer or no
 * answer within `timeoutMs` is a failure.
 */
export async function postSigned(
  url: string,
  body: unknown,
  options: { readonly secret: string; readonly idempotencyKey: string; readonly timeoutMs: number },
): Promise<void> {
  const text = JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signPayload(options.secret, timestamp, text),
      [IDEMPOTENCY_HEADER]: options.idempotencyKey,
    },
    body: text,
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`gateway answered ${response.status}`);
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
