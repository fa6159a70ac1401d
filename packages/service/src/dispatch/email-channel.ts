import { isIP } from 'node:net';
import { createTransport } from 'nodemailer';
import type { OutboundPolicy } from '../outbound/outbound-policy.js';
import { checkedHostAddressOf, type ResolveHost } from '../outbound/post-outbound.js';
import type { NotificationChannel } from './notification-channel.js';

/**
 * The e-mail channel over SMTP (nodemailer): the contact's address receives the invitation or
 * notice text. The delivery (or notice) id is the `Message-ID` and an `Idempotency-Key` header, so that a resent
 * message is recognisable as the same one by the mail system and the reader.
 *
 * The SMTP server is behind the same outbound guard as webhooks and SMS: at each send its host
 * is resolved and checked (`OUTBOUND_ALLOW_HOSTS` for an internal relay), and the connection
 * goes to exactly the checked address; TLS still verifies the certificate against the host name.
 *
 * @example
 * const channel = createEmailChannel({ smtpUrl: 'smtp://127.0.0.1:2525', from: 'dispatch@example.gov.cn', timeoutMs: 10_000, policy: outboundPolicyOf(env) });
 */
export function createEmailChannel(options: {
  readonly smtpUrl: string;
  readonly from: string;
  readonly timeoutMs: number;
  readonly policy: OutboundPolicy;
  readonly resolve?: ResolveHost;
}): NotificationChannel & { readonly close: () => void } {
  const url = new URL(options.smtpUrl);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    send: async (notification) => {
      const { address, family } = await checkedHostAddressOf(
        hostname,
        options.policy,
        options.resolve,
      );
      // The URL keeps its port, credentials and query options; only its host becomes the address.
      const pinned = new URL(options.smtpUrl);
      pinned.hostname = family === 6 ? `[${address}]` : address;
      const transport = createTransport({
        url: pinned.toString(),
        ...(isIP(hostname) === 0 ? { servername: hostname } : {}),
        connectionTimeout: options.timeoutMs,
        greetingTimeout: options.timeoutMs,
        socketTimeout: options.timeoutMs,
      });
      try {
        await transport.sendMail({
          from: options.from,
          to: notification.contact.address,
          subject: notification.message.subject,
          text: notification.message.text,
          messageId: `<${notification.deliveryId}@expert-dispatch>`,
          headers: { 'Idempotency-Key': notification.deliveryId },
        });
      } finally {
        transport.close();
      }
    },
    // Each send opens and closes its own connection (to the address checked for it).
    close: () => undefined,
  };
}
