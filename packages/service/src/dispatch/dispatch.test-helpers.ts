import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { deliveries, outbox } from '../db/schema.js';
import { createBullmqQueue } from '../queue/bullmq-queue.js';
import { createInProcessQueue } from '../queue/in-process-queue.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { HttpReceiver } from '../testing/http-receiver.test-helpers.js';
import { type QueueMode, TEST_REDIS_URL } from '../testing/redis.test-helpers.js';
import { call, type TestContext } from '../testing/test-backends.test-helpers.js';
import type { DispatchContext } from './dispatch-context.js';
import type { NotificationChannels } from './notification-channel.js';
import { type Dispatcher, type DispatchSettings, startDispatch } from './start-dispatch.js';
import { createWebhookChannel } from './webhook-channel.js';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const TEST_REPLY_SECRET = 'test-reply-secret-0123456789abcdefgh';

/** A queue of the given mode, on a queue name of its own under the file's prefix. */
export function makeTestQueue(mode: QueueMode, prefix: string, url = TEST_REDIS_URL): JobQueue {
  return mode === 'bullmq'
    ? createBullmqQueue({
        url,
        prefix,
        name: `dispatch-${randomBytes(4).toString('hex')}`,
        addTimeoutMs: 500,
      })
    : createInProcessQueue();
}

/** The dispatch context of a test: its database and clock, a webhook channel to the receiver. */
export function makeDispatchContext(
  t: TestContext,
  channels?: NotificationChannels,
): DispatchContext {
  return {
    db: t.database.db,
    now: t.clock.now,
    logger: t.services.logger,
    // Generous: a loaded CI machine can take a few hundred ms over the first request, and an
    // extra attempt there would fail the tests that count attempts. Hang tests wait it out.
    channels: channels ?? {
      webhook: createWebhookChannel({ secret: TEST_SIGNING_SECRET, timeoutMs: 2_000 }),
    },
    publicBaseUrl: 'https://dispatch.test',
    replyLinkSecret: TEST_REPLY_SECRET,
    signingSecret: TEST_SIGNING_SECRET,
    callbackTimeoutMs: 2_000,
  };
}

/** Fast settings: relay often, retry after milliseconds; the sweeper runs when a test asks. */
export const FAST_SETTINGS: DispatchSettings = {
  runWorker: true,
  concurrency: 4,
  relayIntervalMs: 50,
  sweepIntervalMs: 3_600_000,
  staleMs: 60_000,
  deliveryAttempts: 4,
  deliveryBackoffMs: 20,
};

/**
 * Starts a dispatcher over the test context and plugs it into `t.services.dispatch` holder.
 */
export function startTestDispatch(
  t: TestContext,
  queue: JobQueue,
  options: { channels?: NotificationChannels; settings?: Partial<DispatchSettings> } = {},
): Dispatcher {
  return startDispatch(makeDispatchContext(t, options.channels), queue, {
    ...FAST_SETTINGS,
    ...options.settings,
  });
}

/** Points every given expert's first contact at the receiver. */
export async function setWebhookContacts(
  t: TestContext,
  expertIds: readonly string[],
  receiver: HttpReceiver,
): Promise<void> {
  for (const id of expertIds) {
    const response = await call(t, 'PUT', `/v1/experts/${id}/contacts`, {
      key: 'yn.admin',
      json: { contacts: [{ channel: 'webhook', address: `${receiver.url}?expert=${id}` }] },
    });
    if (response.status !== 200) throw new Error(`contacts of ${id}: ${response.text}`);
  }
}

/** Resolves when `predicate` holds, polling; rejects after `ms`. */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  ms = 15_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The delivery rows of a task. */
export function taskDeliveries(t: TestContext, taskId: string) {
  return t.database.db.select().from(deliveries).where(eq(deliveries.taskId, taskId));
}

/** The outbox rows not yet handed to the queue. */
export async function unrelayedOutbox(t: TestContext): Promise<number> {
  const rows = await t.database.db.select({ relayedAt: outbox.relayedAt }).from(outbox);
  return rows.filter((row) => row.relayedAt === null).length;
}
