import type { Logger } from 'pino';
import type { Database } from '../db/open-database.js';
import type { Env } from '../env.js';
import { outboundPolicyOf } from '../outbound/outbound-policy.js';
import type { JobQueue } from '../queue/job-queue.js';
import { openQueue } from '../queue/open-queue.js';
import type { DispatchContext } from './dispatch-context.js';
import { createEmailChannel } from './email-channel.js';
import { createLogChannel } from './log-channel.js';
import type { NotificationChannels } from './notification-channel.js';
import { type Dispatcher, type DispatchSettings, startDispatch } from './start-dispatch.js';
import { createSmsChannel, createWebhookChannel } from './webhook-channel.js';

/**
 * The channels the environment configures: webhook and log always, SMS with a gateway URL,
 * e-mail with an SMTP URL.
 */
export function channelsFromEnv(env: Env, logger: Logger): NotificationChannels {
  const signing = {
    secret: env.NOTIFY_SIGNING_SECRET,
    timeoutMs: env.NOTIFY_TIMEOUT_MS,
    outbound: outboundPolicyOf(env),
  };
  return {
    webhook: createWebhookChannel(signing),
    log: createLogChannel(logger, { showLinks: env.NODE_ENV !== 'production' }),
    ...(env.SMS_GATEWAY_URL === undefined
      ? {}
      : { sms: createSmsChannel({ ...signing, gatewayUrl: env.SMS_GATEWAY_URL }) }),
    ...(env.SMTP_URL === undefined
      ? {}
      : {
          email: createEmailChannel({
            smtpUrl: env.SMTP_URL,
            from: env.MAIL_FROM,
            timeoutMs: env.NOTIFY_TIMEOUT_MS,
            policy: outboundPolicyOf(env),
          }),
        }),
  };
}

/** The dispatch settings the environment names. */
export function dispatchSettingsFromEnv(env: Env, runWorker: boolean): DispatchSettings {
  return {
    runWorker,
    concurrency: env.DISPATCH_CONCURRENCY,
    relayIntervalMs: env.OUTBOX_RELAY_INTERVAL_MS,
    sweepIntervalMs: env.SWEEP_INTERVAL_MS,
    staleMs: env.DELIVERY_STALE_MS,
    deliveryAttempts: env.DELIVERY_ATTEMPTS,
    deliveryBackoffMs: env.DELIVERY_BACKOFF_MS,
    deliveryRetryWindowMs: env.DELIVERY_RETRY_WINDOW_MS,
  };
}

/**
 * The dispatch loop as `main.ts` and `worker.ts` run it: the queue (BullMQ with `REDIS_URL`,
 * else in-process), the channels, relay, sweeper and — when `runWorker` — the worker. Outside
 * production an expert without contacts is notified through the log channel.
 *
 * @example
 * const dispatcher = startDispatchFromEnv({ env, db, logger, now: () => new Date(), runWorker: true });
 */
export function startDispatchFromEnv(args: {
  readonly env: Env;
  readonly db: Database;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly runWorker: boolean;
  /** Wraps the queue before the loop uses it (main.ts: the metrics time its jobs). */
  readonly instrument?: (queue: JobQueue) => JobQueue;
}): Dispatcher {
  const { env, logger } = args;
  let lastWarning = 0;
  const queue = openQueue(
    env,
    (error) => {
      // BullMQ reconnects on its own; one warning a minute is enough while Redis is down.
      if (Date.now() - lastWarning < 60_000) return;
      lastWarning = Date.now();
      logger.warn({ err: { message: error.message } }, 'queue connection error (retrying)');
    },
    (restart) => {
      logger.warn(restart, 'queue worker stalled: the watchdog restarted it');
    },
  );
  const context: DispatchContext = {
    db: args.db,
    now: args.now,
    logger,
    channels: channelsFromEnv(env, logger),
    fallbackContact:
      env.NODE_ENV === 'production' ? undefined : { channel: 'log', address: 'development' },
    publicBaseUrl: env.PUBLIC_BASE_URL,
    replyLinkSecret: env.REPLY_LINK_SECRET,
    signingSecret: env.NOTIFY_SIGNING_SECRET,
    outbound: outboundPolicyOf(env),
    callbackTimeoutMs: env.NOTIFY_TIMEOUT_MS,
    auditCheckpointSinks: { url: env.AUDIT_CHECKPOINT_URL, file: env.AUDIT_CHECKPOINT_FILE },
    rateLimitPerHour:
      env.NOTIFY_RATE_LIMIT_PER_HOUR === 0 ? undefined : env.NOTIFY_RATE_LIMIT_PER_HOUR,
  };
  logger.info({ queue: queue.kind, worker: args.runWorker }, 'dispatch started');
  const used = args.instrument ? args.instrument(queue) : queue;
  return startDispatch(context, used, dispatchSettingsFromEnv(env, args.runWorker));
}
