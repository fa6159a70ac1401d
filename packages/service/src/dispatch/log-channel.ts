import type { Logger } from 'pino';
import type { NotificationChannel } from './notification-channel.js';

/**
 * The development channel: writes the invitation or notice to the log instead of sending it.
 * Only ids and the subject are logged — never the contact.
 *
 * @example
 * const channel = createLogChannel(logger);
 */
export function createLogChannel(logger: Logger): NotificationChannel {
  return {
    send: async (notification) => {
      if (notification.kind === 'notice') {
        logger.info(
          {
            noticeId: notification.deliveryId,
            kind: notification.noticeKind,
            taskId: notification.taskId,
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
          replyUrl: notification.replyUrl,
        },
        `invitation (log channel): ${notification.message.subject}`,
      );
    },
  };
}
