import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll } from 'vitest';
import type { DatabaseKind } from '../db/open-database.js';
import { auditLog, deliveries, outbox } from '../db/schema.js';
import { outboundPolicyOf } from '../outbound/outbound-policy.js';
import { createBullmqQueue } from '../queue/bullmq-queue.js';
import { createInProcessQueue } from '../queue/in-process-queue.js';
import type { JobQueue } from '../queue/job-queue.js';
import { seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import { type HttpReceiver, startHttpReceiver } from '../testing/http-receiver.test-helpers.js';
import {
  availableQueueModes,
  dropQueuePrefix,
  freshQueuePrefix,
  type QueueMode,
  TEST_REDIS_URL,
} from '../testing/redis.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
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

/**
 * The test receivers listen on 127.0.0.1, which outbound requests refuse unless allowed: the
 * tests allow it as an operator would, through `OUTBOUND_ALLOW_HOSTS`.
 */
export const TEST_OUTBOUND_POLICY = outboundPolicyOf({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });

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
      webhook: createWebhookChannel({
        secret: TEST_SIGNING_SECRET,
        timeoutMs: 2_000,
        outbound: TEST_OUTBOUND_POLICY,
      }),
    },
    publicBaseUrl: 'https://dispatch.test',
    replyLinkSecret: TEST_REPLY_SECRET,
    signingSecret: TEST_SIGNING_SECRET,
    callbackTimeoutMs: 2_000,
    outbound: TEST_OUTBOUND_POLICY,
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

/**
 * Every database backend with every queue mode available here, and the file's own Redis key
 * prefix, which is dropped after the file (call at the top of a test file).
 *
 * @example
 * const { combos, prefix } = await backendQueueCombos();
 * describe.each(combos)('dispatch on %s with the %s queue', (kind, mode) => { … });
 */
export async function backendQueueCombos(): Promise<{
  readonly combos: readonly (readonly [DatabaseKind, QueueMode])[];
  readonly prefix: string;
}> {
  const backends = await availableBackends();
  const modes = await availableQueueModes();
  const prefix = freshQueuePrefix();
  afterAll(() => (modes.includes('bullmq') ? dropQueuePrefix(prefix) : undefined));
  return {
    combos: backends.flatMap((backend) => modes.map((mode) => [backend, mode] as const)),
    prefix,
  };
}

/**
 * A test context whose task posts nudge the running dispatcher, a pool of experts whose
 * contacts point at a webhook receiver, and the dispatcher a case starts.
 */
export interface DispatchHarness {
  readonly t: TestContext;
  readonly receiver: HttpReceiver;
  readonly experts: readonly string[];
  /** The dispatcher running now, if any. */
  dispatcher: Dispatcher | undefined;
  /** Starts a dispatcher (fast settings) as the running one. */
  readonly start: (
    queue: JobQueue,
    options?: Parameters<typeof startTestDispatch>[2],
  ) => Dispatcher;
  /** Closes the running dispatcher and resets the receiver: a case leaves neither behind. */
  readonly stop: () => Promise<void>;
  readonly close: () => Promise<void>;
}

/**
 * Opens a dispatch harness on a backend with `poolSize` experts reachable by webhook.
 *
 * @example
 * beforeAll(async () => { h = await openDispatchHarness(kind, 10); });
 * afterEach(() => h.stop());
 * afterAll(() => h.close());
 */
export async function openDispatchHarness(
  kind: DatabaseKind,
  poolSize: number,
): Promise<DispatchHarness> {
  const receiver = await startHttpReceiver(TEST_SIGNING_SECRET);
  const holder: { dispatcher: Dispatcher | undefined } = { dispatcher: undefined };
  // The app checks the reply links the dispatcher signs: one secret for both.
  const t = await createTestContext(
    kind,
    { REPLY_LINK_SECRET: TEST_REPLY_SECRET },
    { dispatch: { nudge: () => holder.dispatcher?.nudge() } },
  );
  const experts = await seedPanelPool(t, poolSize);
  await setWebhookContacts(t, experts, receiver);
  const harness: DispatchHarness = {
    t,
    receiver,
    experts,
    get dispatcher() {
      return holder.dispatcher;
    },
    set dispatcher(dispatcher) {
      holder.dispatcher = dispatcher;
    },
    start: (queue, options = {}) => {
      holder.dispatcher = startTestDispatch(t, queue, options);
      return holder.dispatcher;
    },
    stop: async () => {
      await holder.dispatcher?.close();
      holder.dispatcher = undefined;
      receiver.behaviour = () => 'ok';
    },
    close: async () => {
      await receiver.close();
      await t.close();
    },
  };
  return harness;
}

/** A task as its dispatcher reads it. */
export async function viewTask(t: TestContext, id: string): Promise<TaskView> {
  return (await call(t, 'GET', `/v1/tasks/${id}`, { key: 'yn.dispatcher' }))
    .body as unknown as TaskView;
}

/** The audit actions recorded against an entity, in the order of the log. */
export async function auditActionsOf(t: TestContext, entityId: string): Promise<string[]> {
  const rows = await t.database.db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(eq(auditLog.entityId, entityId));
  return rows.map((row) => row.action);
}

/**
 * Posts a form the way a browser submits a page (the reply and rating pages): no key.
 *
 * @example
 * await postForm(t, '/r/<token>', { answer: 'accept' });
 */
export function postForm(t: TestContext, path: string, form: Record<string, string>) {
  return call(t, 'POST', path, {
    body: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/**
 * Channels whose webhook reaches the gateway and then "dies" on the first send of each delivery,
 * before the send is recorded: the retry must be the same message to the receiver.
 *
 * @example
 * start(queue, { channels: dyingAfterFirstSend() });
 */
export function dyingAfterFirstSend(): NotificationChannels {
  const webhook = createWebhookChannel({
    secret: TEST_SIGNING_SECRET,
    timeoutMs: 300,
    outbound: TEST_OUTBOUND_POLICY,
  });
  const died = new Set<string>();
  return {
    webhook: {
      send: async (notification) => {
        await webhook.send(notification);
        if (!died.has(notification.deliveryId)) {
          died.add(notification.deliveryId);
          throw new Error('worker died before recording the send');
        }
      },
    },
  };
}
