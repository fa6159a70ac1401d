import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notices, outbox } from '../db/schema.js';
import { parseOutboundAllowList } from '../outbound/outbound-policy.js';
import { postTaskOnDay } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import type { HttpReceiver } from '../testing/http-receiver.test-helpers.js';
import type { QueueMode } from '../testing/redis.test-helpers.js';
import { type SmtpReceiver, startSmtpReceiver } from '../testing/smtp-receiver.test-helpers.js';
import { call, type TestContext } from '../testing/test-backends.test-helpers.js';
import {
  backendQueueCombos,
  type DispatchHarness,
  dyingAfterFirstSend,
  FAST_SETTINGS,
  makeDispatchContext,
  makeTestQueue,
  openDispatchHarness,
  taskDeliveries,
  until,
} from './dispatch.test-helpers.js';
import { createEmailChannel } from './email-channel.js';
import { enqueueNotices, type NewNotice } from './enqueue-notice.js';
import { startDispatch } from './start-dispatch.js';

const { combos, prefix } = await backendQueueCombos();

type Seat = TaskView['panel'][number];

describe.each(combos)('notice delivery on %s with the %s queue', (kind, mode: QueueMode) => {
  let h: DispatchHarness;
  let t: TestContext;
  let receiver: HttpReceiver;
  let smtp: SmtpReceiver;
  let experts: readonly string[] = [];

  const reminder = (recipient: NewNotice['recipient']): NewNotice => ({
    kind: 'profile_reminder',
    recipient,
    subject: '【专家信息】请更新个人信息',
    body: '您好！您的专家信息已超过 12 个月未更新，请登录专家库核对并更新（第八条（一））。',
    link: 'https://dispatch.test/me',
  });
  const notify = async (items: readonly NewNotice[]) =>
    t.database.db.transaction((tx) => enqueueNotices(tx, items, t.clock.now()));
  const noticeRow = async (id: string) => {
    const [row] = await t.database.db.select().from(notices).where(eq(notices.id, id));
    if (row === undefined) throw new Error(`no notice ${id}`);
    return row;
  };
  const settled = (id: string) => async () =>
    ['sent', 'failed'].includes((await noticeRow(id)).state);
  /** What the receiver delivered (as the recipient sees it) under one idempotency key. */
  const deliveredTimes = (key: string) => receiver.delivered.get(key) ?? 0;
  const start: DispatchHarness['start'] = (queue, options) => h.start(queue, options);

  beforeAll(async () => {
    h = await openDispatchHarness(kind, 8);
    ({ t, receiver, experts } = h);
    smtp = await startSmtpReceiver();
  });
  afterEach(() => h.stop());
  afterAll(async () => {
    await h.close();
    await smtp.close();
  });

  it('queues periodic notices in the background and notices about work in progress at once', async () => {
    const [periodic, timely] = await notify([
      reminder({ expertId: experts[0] as string }),
      { ...reminder({ expertId: experts[0] as string }), kind: 'waitlist_thanks' },
    ]);
    const rows = await t.database.db.select().from(outbox);
    const payloadOf = (noticeId: string | undefined) =>
      rows.find((row) => row.payload.noticeId === noticeId)?.payload;
    expect(payloadOf(periodic)).toEqual({ noticeId: periodic, background: true });
    expect(payloadOf(timely)).toEqual({ noticeId: timely });
  });

  it('sends a notice once through the expert’s first contact, signed, keyed by the notice id', async () => {
    start(makeTestQueue(mode, prefix));
    const [id = ''] = await notify([reminder({ expertId: experts[0] ?? '' })]);
    await until(settled(id));
    expect(await noticeRow(id)).toMatchObject({ state: 'sent', channel: 'webhook' });
    expect(deliveredTimes(id)).toBe(1);
    const requests = receiver.requests.filter((r) => r.key === id);
    expect(requests.every((r) => r.signatureOk)).toBe(true);
    expect(requests[0]?.body).toMatchObject({
      noticeId: id,
      deliveryId: id,
      kind: 'profile_reminder',
      subject: '【专家信息】请更新个人信息',
      link: 'https://dispatch.test/me',
    });
    expect(String(requests[0]?.body.text)).toContain('链接：https://dispatch.test/me');
  });

  it('retries a gateway that answers 500 and delivers once when it recovers', async () => {
    receiver.behaviour = (_key, nth) => (nth <= 2 ? 'fail' : 'ok');
    start(makeTestQueue(mode, prefix));
    const [id = ''] = await notify([reminder({ expertId: experts[1] ?? '' })]);
    await until(settled(id));
    expect(await noticeRow(id)).toMatchObject({ state: 'sent', attempts: 3 });
    expect(receiver.requests.filter((r) => r.key === id)).toHaveLength(3);
    expect(deliveredTimes(id)).toBe(1);
  });

  it('delivers once as the receiver sees it when a worker dies after sending, before recording', async () => {
    start(makeTestQueue(mode, prefix), { channels: dyingAfterFirstSend() });
    const [id = ''] = await notify([reminder({ expertId: experts[2] ?? '' })]);
    await until(settled(id));
    expect(await noticeRow(id)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(receiver.requests.filter((r) => r.key === id)).toHaveLength(2);
    expect(deliveredTimes(id)).toBe(1);
  });

  it('marks a notice failed after the last attempt, with the gateway’s answer', async () => {
    receiver.behaviour = () => 'fail';
    start(makeTestQueue(mode, prefix));
    const [id = ''] = await notify([reminder({ expertId: experts[3] ?? '' })]);
    await until(settled(id));
    const row = await noticeRow(id);
    expect(row).toMatchObject({ state: 'failed', attempts: 4 });
    expect(row.lastError).toContain('500');
    expect(row.failedAt).not.toBeNull();
  });

  it('sends a notice to its own contact by e-mail over SMTP, the notice id as Message-ID', async () => {
    const email = createEmailChannel({
      smtpUrl: smtp.url,
      from: 'dispatch@example.gov.cn',
      timeoutMs: 2000,
      // The test's SMTP receiver is on loopback: allowed as an operator allows a relay.
      policy: parseOutboundAllowList('127.0.0.1'),
    });
    start(makeTestQueue(mode, prefix), { channels: { email } });
    const address = `unit-${mode}-${kind}@example.com`;
    const [id = ''] = await notify([reminder({ contact: { channel: 'email', address } })]);
    await until(settled(id));
    email.close();
    expect(await noticeRow(id)).toMatchObject({ state: 'sent', channel: 'email' });
    const mails = smtp.mails.filter((mail) => mail.to.includes(address));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.data).toContain(`Message-ID: <${id}@expert-dispatch>`);
  });

  it('holds a notice back over the per-recipient rate limit, spending no attempt', async () => {
    start(makeTestQueue(mode, prefix));
    const expertId = experts[4] ?? '';
    const [first = ''] = await notify([reminder({ expertId })]);
    await until(settled(first));
    await h.stop();
    h.dispatcher = startDispatch(
      { ...makeDispatchContext(t), rateLimitPerHour: 1 },
      makeTestQueue(mode, prefix),
      FAST_SETTINGS,
    );
    const [held = ''] = await notify([reminder({ expertId })]);
    await until(async () => (await noticeRow(held)).lastError === 'rate limited');
    expect(await noticeRow(held)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(receiver.requests.filter((r) => r.key === held)).toHaveLength(0);
  });

  it('tells the experts whose invitations closed on a full urgent panel, once each', async () => {
    start(makeTestQueue(mode, prefix));
    const id = `t-nt-closed-${mode}`;
    const created = await postTaskOnDay(t, id, '2026-06-01', {
      type: 'accident_rescue',
      alternates: 2,
    });
    const panel = created.body.panel as unknown as Seat[];
    // Only experts whose invitation reached them are told it closed: let every one go out.
    await until(async () => (await taskDeliveries(t, id)).every((d) => d.state === 'sent'));
    const leader = panel.find((s) => s.role === 'leader');
    const first = [leader, ...panel.filter((s) => s.role === 'member' && s.rank >= 3)];
    for (const seat of first) {
      await call(t, 'POST', `/v1/invitations/${seat?.invitationId}/reply`, {
        key: 'yn.dispatcher',
        json: { answer: 'accept' },
      });
    }
    const closed = panel.filter((s) => s.role === 'member' && s.rank < 3);
    const rows = await t.database.db.select().from(notices).where(eq(notices.taskId, id));
    expect(rows).toHaveLength(closed.length);
    for (const row of rows) await until(settled(row.id));
    for (const seat of closed) {
      const row = await noticeRow(rows.find((r) => r.expertId === seat.expertId)?.id ?? '');
      expect(row).toMatchObject({ kind: 'invitation_closed', state: 'sent' });
      expect(deliveredTimes(row.id)).toBe(1);
      const request = receiver.requests.find((r) => r.key === row.id);
      expect(request?.body).toMatchObject({ kind: 'invitation_closed', taskId: id });
      expect(String(request?.body.text)).toContain('专家组已满员');
      expect(String(request?.body.text)).not.toContain('昆明钢铁');
    }
  });
});
