import { createTransport } from 'nodemailer';
import type { NotificationChannel } from './notification-channel.js';

/**
 * The e-mail channel over SMTP (nodemailer): the contact's address receives the invitation or
 * notice text. The delivery (or notice) id is the `Message-ID` and an `Idempotency-Key` header, so that a resent
 * message is recognisable as the same one by the mail system and the reader.
 *
 * @example
 * const channel = createEmailChannel({ smtpUrl: 'smtp://127.0.0.1:2525', from: 'dispatch@example.gov.cn', timeoutMs: 10_000 });
 */
export function createEmailChannel(options: {
  readonly smtpUrl: string;
  readonly from: string;
  readonly timeoutMs: number;
}): NotificationChannel & { readonly close: () => void } {
  const transport = createTransport({
    url: options.smtpUrl,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  return {
    send: async (notification) => {
      await transport.sendMail({
        from: options.from,
        to: notification.contact.address,
        subject: notification.message.subject,
        text: notification.message.text,
        messageId: `<${notification.deliveryId}@expert-dispatch>`,
        headers: { 'Idempotency-Key': notification.deliveryId },
      });
    },
    close: () => transport.close(),
  };
}
