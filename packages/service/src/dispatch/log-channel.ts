import type { Logger } from 'pino';
import type { NotificationChannel } from './notification-channel.js';

/**
 * The development channel: writes the invitation to the log instead of sending it. Only ids
 * and the message text are logged — the text carries no personal data.
 *
 * @example
 * const channel = createLogChannel(logger);
 */
export function createLogChannel(logger: Logger): NotificationChannel {
  return {
    send: async (notification) => {
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
