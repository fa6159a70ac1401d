import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, notices, outbox, panelSeats } from '../db/schema.js';
import { makeTaskRequest, postTask, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import { type HttpReceiver, startHttpReceiver } from '../testing/http-receiver.test-helpers.js';
import {
  availableBackends,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { claimInvitationAtOnce, claimNoticeAtOnce } from './claim-delivery.js';
import { deliverInvitation } from './deliver-invitation.js';
import { deliverNotice } from './deliver-notice.js';
import {
  makeDispatchContext,
  setWebhookContacts,
  TEST_SIGNING_SECRET,
  taskDeliveries,
} from './dispatch.test-helpers.js';
import { enqueueNotices } from './enqueue-notice.js';
import { rateLimitedUntil } from './recipient-rate-limit.js';

const backends = await availableBackends();
const job = { attempt: 1, attempts: 4 };

describe.each(backends)('claiming a notification in one statement on %s', (kind) => {
  let t: TestContext;
  let receiver: HttpReceiver;
  let day = 10;

  /** A task on a day of its own (no dispatcher runs: its deliveries stay pending). */
  const pendingDeliveries = async (id: string) => {
    day += 1;
    const date = `2026-04-${String(day).padStart(2, '0')}`;
    const window = { from: `${date}T08:30:00+08:00`, to: `${date}T18:00:00+08:00` };
    const response = await postTask(t, makeTaskRequest({ id, alternates: 0, window }), `key-${id}`);
    expect(response.status).toBe(201);
    return taskDeliveries(t, id);
  };
  const deliveryRow = async (id: string) => {
    const [row] = await t.database.db.select().from(deliveries).where(eq(deliveries.id, id));
    if (row === undefined) throw new Error(`no delivery ${id}`);
    return row;
  };
  const requestsFor = (key: string) => receiver.requests.filter((r) => r.key === key);

  beforeAll(async () => {
    receiver = await startHttpReceiver(TEST_SIGNING_SECRET);
    t = await createTestContext(kind);
    await setWebhookContacts(t, await seedPanelPool(t, 3), receiver);
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it('claims a pending invitation in one statement and sends what the full claim would send', async () => {
    const [fast, full] = await pendingDeliveries('t-claim-fast');
    if (fast === undefined || full === undefined) throw new Error('no deliveries');
    const claimed = await claimInvitationAtOnce(t.database.db, fast.id, t.clock.now(), undefined);
    const [seat] = await t.database.db
      .select()
      .from(panelSeats)
      .where(eq(panelSeats.id, fast.seatId));
    expect(claimed).toMatchObject({
      seatId: fast.seatId,
      taskId: 't-claim-fast',
      replyDeadline: seat?.replyDeadline,
      contacts: [{ channel: 'webhook', address: expect.stringContaining(fast.expertId) }],
      task: expect.objectContaining({ id: 't-claim-fast' }),
    });
    expect(await deliveryRow(fast.id)).toMatchObject({ state: 'sending', attempts: 1 });
    // Settled: neither claim takes it again.
    await t.database.db.update(deliveries).set({ state: 'sent' }).where(eq(deliveries.id, fast.id));
    expect(await claimInvitationAtOnce(t.database.db, fast.id, t.clock.now(), undefined)).toBe(
      null,
    );
    expect(await deliverInvitation(makeDispatchContext(t), fast.id, job)).toBe('skipped');

    expect(await deliverInvitation(makeDispatchContext(t), full.id, job)).toBe('sent');
    expect(await deliveryRow(full.id)).toMatchObject({ state: 'sent', attempts: 1 });
    const [request] = requestsFor(full.id);
    expect(request?.signatureOk).toBe(true);
    expect(request?.body).toMatchObject({ invitationId: String(full.seatId) });
    expect(String(request?.body.text)).toContain('https://dispatch.test/r/');
  });

  it('falls back to the full claim for a seat no longer invited: cancelled, nothing sent', async () => {
    const [delivery] = await pendingDeliveries('t-claim-declined');
    if (delivery === undefined) throw new Error('no delivery');
    await t.database.db
      .update(panelSeats)
      .set({ state: 'declined' })
      .where(eq(panelSeats.id, delivery.seatId));
    expect(await claimInvitationAtOnce(t.database.db, delivery.id, t.clock.now(), undefined)).toBe(
      null,
    );
    expect(await deliverInvitation(makeDispatchContext(t), delivery.id, job)).toBe('skipped');
    expect(await deliveryRow(delivery.id)).toMatchObject({ state: 'cancelled', attempts: 0 });
    expect(requestsFor(delivery.id)).toHaveLength(0);
  });

  it('counts the rate limit as rateLimitedUntil does, and holds back through the full claim', async () => {
    const [sent] = await pendingDeliveries('t-claim-limit-1');
    const [held, freed] = await pendingDeliveries('t-claim-limit-2');
    if (sent === undefined || held === undefined || freed === undefined) throw new Error('none');
    const context = { ...makeDispatchContext(t), rateLimitPerHour: 1 };
    expect(await deliverInvitation(context, sent.id, job)).toBe('sent');
    const sentAt = (await deliveryRow(sent.id)).sentAt ?? new Date(0);
    // The same expert again within the hour: over a limit of 1, not over a limit of 2.
    const other = held.expertId === sent.expertId ? held : freed;
    const now = t.clock.now();
    const untilOf = (limit: number) =>
      t.database.db.transaction((tx) => rateLimitedUntil(tx, other.expertId, now, limit));
    expect(await untilOf(1)).not.toBe(null);
    expect(await claimInvitationAtOnce(t.database.db, other.id, now, 1)).toBe(null);
    expect(await deliverInvitation(context, other.id, job)).toBe('skipped');
    const after = await deliveryRow(other.id);
    expect(after).toMatchObject({ state: 'pending', attempts: 0, lastError: 'rate limited' });
    expect(after.outboxId).not.toBe(other.outboxId);
    const [rerun] = await t.database.db.select().from(outbox).where(eq(outbox.id, after.outboxId));
    expect(rerun?.runAt).toEqual(new Date(sentAt.getTime() + 3600_000 + 1000));
    expect(requestsFor(other.id)).toHaveLength(0);

    expect(await untilOf(2)).toBe(null);
    expect(await claimInvitationAtOnce(t.database.db, other.id, now, 2)).not.toBe(null);
    // An hour later the send no longer counts (both count `sent_at` strictly within the hour).
    const hourLater = new Date(sentAt.getTime() + 3600_000);
    const later = await t.database.db.transaction((tx) =>
      rateLimitedUntil(tx, other.expertId, hourLater, 1),
    );
    expect(later).toBe(null);
    expect(await claimInvitationAtOnce(t.database.db, other.id, hourLater, 1)).not.toBe(null);
  });

  it('sends a doubly claimed invitation once as the recipient sees it', async () => {
    const [delivery] = await pendingDeliveries('t-claim-twice');
    if (delivery === undefined) throw new Error('no delivery');
    const context = makeDispatchContext(t);
    const outcomes = await Promise.all([
      deliverInvitation(context, delivery.id, job),
      deliverInvitation(context, delivery.id, job),
    ]);
    expect(outcomes).toContain('sent');
    expect((await deliveryRow(delivery.id)).state).toBe('sent');
    const requests = receiver.requests.filter(
      (r) => r.body.invitationId === String(delivery.seatId),
    );
    expect(new Set(requests.map((r) => r.key))).toEqual(new Set([delivery.id]));
    expect(receiver.delivered.get(delivery.id)).toBe(1);
  });

  it('claims a notice in one statement, and holds one to an expert over the limit back', async () => {
    const [sent] = await pendingDeliveries('t-claim-notice');
    if (sent === undefined) throw new Error('no delivery');
    const context = { ...makeDispatchContext(t), rateLimitPerHour: 1 };
    const [toContact = '', toExpert = ''] = await t.database.db.transaction((tx) =>
      enqueueNotices(
        tx,
        [
          {
            kind: 'rating_request',
            recipient: { contact: { channel: 'webhook', address: receiver.url } },
            subject: '【服务评价】',
            body: '请评价。',
            link: 'https://dispatch.test/rate',
          },
          {
            kind: 'profile_reminder',
            recipient: { expertId: sent.expertId },
            subject: '【专家信息】',
            body: '请更新。',
          },
        ],
        t.clock.now(),
      ),
    );
    const claimed = await claimNoticeAtOnce(t.database.db, toContact, t.clock.now(), 1);
    expect(claimed).toEqual({
      notice: {
        id: toContact,
        kind: 'rating_request',
        taskId: null,
        contact: { channel: 'webhook', address: receiver.url },
        subject: '【服务评价】',
        body: '请评价。',
        link: 'https://dispatch.test/rate',
      },
      contacts: null,
    });
    expect(await deliverNotice(context, toContact, job)).toBe('sent');

    // Sent without a limit: the expert has had at least one notification this hour.
    expect(await deliverInvitation(makeDispatchContext(t), sent.id, job)).toBe('sent');
    expect(await claimNoticeAtOnce(t.database.db, toExpert, t.clock.now(), 1)).toBe(null);
    expect(await deliverNotice(context, toExpert, job)).toBe('skipped');
    const [held] = await t.database.db.select().from(notices).where(eq(notices.id, toExpert));
    expect(held).toMatchObject({ state: 'pending', attempts: 0, lastError: 'rate limited' });
    const reruns = await t.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.kind, 'deliver_notice'));
    expect(reruns.filter((row) => row.payload.noticeId === toExpert)).toHaveLength(2);
    expect(requestsFor(toExpert)).toHaveLength(0);
  });
});
