import type { Logger } from 'pino';
import type { NotificationChannel } from './notification-channel.js';

/**
 * The development channel: writes the invitation or notice to the log instead of sending it.
 * Only ids, the subject and — with `showLinks`, outside production — the reply link are logged,
 * never the contact. In production a link is a live credential and stays out of the log.
 *
 * @example
 * const channel = createLogChannel(logger, { showLinks: env.NODE_ENV !== 'production' });
 */
export function createLogChannel(
  logger: Logger,
  options: { readonly showLinks: boolean },
): NotificationChannel {
  return {
    send: async (notification) => {
      if (notification.kind === 'notice') {
        logger.info(
          {
            noticeId: notification.deliveryId,
            kind: notification.noticeKind,
            taskId: notification.taskId,
            // A login code is a credential: printed only where links are (development).
            ...(options.showLinks && notification.noticeKind === 'self_login'
              ? { text: notification.message.text, link: notification.link }
              : {}),
          },
          `notice (log channel): ${notification.message.subject}`,
        );
        return;
      }
      logger.info(
        {
          deliveryId: notification.deliveryId,
          taskId: notification.taskId,
          invitationId: notification.seatId,
          ...(options.showLinks ? { replyUrl: notification.replyUrl } : {}),
        },
        `invitation (log channel): ${notification.message.subject}`,
      );
    },
  };
}
