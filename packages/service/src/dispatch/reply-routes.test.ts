import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelSeats } from '../db/schema.js';
import { postTaskOnDay, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type KeyName,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { postForm } from './dispatch.test-helpers.js';
import { signReplyToken } from './reply-token.js';
import { parseSmsReply } from './sms-inbound-routes.js';
import { signPayload } from './webhook-channel.js';

const backends = await availableBackends();

type Seat = TaskView['panel'][number];

describe.each(backends)('replies on %s', (kind) => {
  let t: TestContext;
  let day = 10;

  /** A task in its own window; returns its invited seats. */
  const invite = async (id: string) => {
    day += 1;
    const created = await postTaskOnDay(t, id, `2026-03-${String(day).padStart(2, '0')}`);
    return (created.body.panel as unknown as Seat[]).filter((s) => s.state === 'invited');
  };
  const seatOf = async (taskId: string, invitationId: string) => {
    const view = await call(t, 'GET', `/v1/tasks/${taskId}`, { key: 'yn.dispatcher' });
    return (view.body.panel as unknown as Seat[]).find((s) => s.invitationId === invitationId);
  };
  const linkOf = (seat: Seat, expiry = new Date(seat.replyDeadline ?? 0)) =>
    `/r/${signReplyToken(t.services.env.REPLY_LINK_SECRET, Number(seat.invitationId), expiry)}`;
  const reply = (
    invitationId: string,
    json: unknown,
    key: 'yn.dispatcher' | 'km.dispatcher' = 'yn.dispatcher',
  ) => call(t, 'POST', `/v1/invitations/${invitationId}/reply`, { key, json });

  /** An inbound SMS as the gateway posts it, signed. */
  const sms = (from: string, text: string, secret = t.services.env.NOTIFY_SIGNING_SECRET) => {
    const body = JSON.stringify({ from, text });
    const timestamp = String(Math.floor(t.clock.now().getTime() / 1000));
    return call(t, 'POST', '/hooks/sms', {
      body,
      headers: {
        'content-type': 'application/json',
        'x-expert-dispatch-timestamp': timestamp,
        'x-expert-dispatch-signature': signPayload(secret, timestamp, body),
      },
    });
  };
  /** The phone seedPanelPool gave an expert. */
  const phoneOf = (expertId: string) =>
    `139${String(10_000_000 + Number(expertId.slice(-3))).slice(-8)}`;

  /** Records a channel receipt of the seat's notification, as a delivered invitation has. */
  const markDelivered = async (seat: Seat) => {
    await t.database.db
      .update(panelSeats)
      .set({ deliveredAt: t.clock.now() })
      .where(eq(panelSeats.id, Number(seat.invitationId)));
  };

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 12);
  });
  afterAll(() => t.close());

  it('shows the invitation in Chinese with two answers and changes nothing on GET (mail scanners)', async () => {
    const [seat] = await invite('t-r-get');
    if (seat === undefined) throw new Error('no invited seat');
    const audit = await countAuditEntries(t);
    const page = await call(t, 'GET', linkOf(seat));
    expect(page.status).toBe(200);
    expect(page.contentType).toContain('text/html');
    expect(page.text).toContain('行政执法检查');
    expect(page.text).toContain('接受邀请');
    expect(page.text).toContain('谢绝邀请');
    expect(page.text).toContain('需回避');
    expect(page.text).not.toContain('昆明钢铁');
    expect((await seatOf('t-r-get', seat.invitationId))?.state).toBe('invited');
    expect(await countAuditEntries(t)).toBe(audit);
  });

  it('records an acceptance from the link, and answers a second reply with the current state', async () => {
    const [seat] = await invite('t-r-accept');
    if (seat === undefined) throw new Error('no invited seat');
    const accepted = await postForm(t, linkOf(seat), { answer: 'accept' });
    expect(accepted.status).toBe(200);
    expect(accepted.text).toContain('data-state="accepted"');
    const again = await postForm(t, linkOf(seat), { answer: 'decline', reason: 'illness' });
    expect(again.text).toContain('data-state="accepted"');
    expect(again.text).toContain('已有答复');
    expect(await seatOf('t-r-accept', seat.invitationId)).toMatchObject({ state: 'accepted' });
  });

  it('records a conflict of interest with the enterprise when an expert declines for it (第八条（四）)', async () => {
    const [seat] = await invite('t-r-coi');
    if (seat === undefined) throw new Error('no invited seat');
    const declined = await postForm(t, linkOf(seat), {
      answer: 'decline',
      reason: 'conflict_of_interest',
    });
    expect(declined.text).toContain('data-state="declined"');
    expect(await seatOf('t-r-coi', seat.invitationId)).toMatchObject({
      state: 'declined',
      declineReason: 'conflict_of_interest',
    });
    const conflicts = await call(t, 'GET', `/v1/experts/${seat.expertId}/conflicts`, {
      key: 'yn.viewer',
    });
    expect(conflicts.body.items?.map((c) => c.organizationId)).toContain('org-steel');
  });

  it('asks again when a decline comes without a reason', async () => {
    const [seat] = await invite('t-r-noreason');
    if (seat === undefined) throw new Error('no invited seat');
    const refused = await postForm(t, linkOf(seat), { answer: 'decline' });
    expect(refused.status).toBe(422);
    expect((await seatOf('t-r-noreason', seat.invitationId))?.state).toBe('invited');
  });

  it.each([
    [
      'a tampered link is refused with 403',
      403,
      (link: string) => link.replace(/\/r\/(\d+)\./, (_m, id) => `/r/${Number(id) + 1}.`),
    ],
    ['an expired link is refused with 410', 410, () => ''],
  ])('%s', async (_name, status, change) => {
    const [seat] = await invite(`t-r-${status}`);
    if (seat === undefined) throw new Error('no invited seat');
    const link =
      status === 410
        ? linkOf(seat, new Date(t.clock.now().getTime() - 1000))
        : change(linkOf(seat));
    expect((await call(t, 'GET', link)).status).toBe(status);
    expect((await postForm(t, link, { answer: 'accept' })).status).toBe(status);
    expect((await seatOf(`t-r-${status}`, seat.invitationId))?.state).toBe('invited');
  });

  it('refuses with 410 the delivered link of an invitation left unanswered past its reply deadline', async () => {
    // A delivered link lives until the work starts (so that an expert who accepted can still
    // withdraw); for an invitation nobody answered it expires with the reply deadline.
    const [seat] = await invite('t-r-lapsed');
    if (seat === undefined) throw new Error('no invited seat');
    const view = await call(t, 'GET', '/v1/tasks/t-r-lapsed', { key: 'yn.dispatcher' });
    const task = view.body.task as { window: { from: string } };
    const workStarts = new Date(task.window.from);
    const link = linkOf(seat, workStarts);
    const saved = t.clock.now().toISOString();
    t.clock.set(new Date(new Date(seat.replyDeadline ?? 0).getTime() + 60_000).toISOString());
    try {
      expect((await call(t, 'GET', link)).status).toBe(410);
      expect((await postForm(t, link, { answer: 'accept' })).status).toBe(410);
      expect((await seatOf('t-r-lapsed', seat.invitationId))?.state).toBe('invited');
    } finally {
      t.clock.set(saved);
    }
  });

  it('lets the dispatcher record an answer given by phone, once, for its own tasks only', async () => {
    const [seat] = await invite('t-r-phone');
    if (seat === undefined) throw new Error('no invited seat');
    expect((await reply(seat.invitationId, { answer: 'accept' }, 'km.dispatcher')).status).toBe(
      404,
    );
    const first = await reply(seat.invitationId, {
      answer: 'decline',
      reason: 'schedule_conflict',
    });
    const declined = {
      zh: expect.stringContaining('您已谢绝邀请'),
      en: expect.stringContaining('declined'),
    };
    expect(first.body).toEqual({
      invitationId: seat.invitationId,
      state: 'declined',
      changed: true,
      message: declined,
    });
    const second = await reply(seat.invitationId, { answer: 'accept' });
    expect(second.body).toEqual({
      invitationId: seat.invitationId,
      state: 'declined',
      changed: false,
      message: declined,
    });
    expect((await reply(seat.invitationId, { answer: 'decline', reason: 'bored' })).status).toBe(
      422,
    );
  });

  it('ends racing accept and decline on one invitation in exactly one state', async () => {
    const [seat] = await invite('t-r-race');
    if (seat === undefined) throw new Error('no invited seat');
    const answers = await Promise.all([
      reply(seat.invitationId, { answer: 'accept' }),
      reply(seat.invitationId, { answer: 'decline', reason: 'illness' }),
      reply(seat.invitationId, { answer: 'accept' }),
    ]);
    const winners = answers.filter((a) => a.body.changed === true);
    expect(winners).toHaveLength(1);
    const final = (await seatOf('t-r-race', seat.invitationId))?.state;
    expect(answers.every((a) => a.body.state === final)).toBe(true);
  });

  it('times a delivered invitation out instead when the answer comes after the reply deadline (第十五条)', async () => {
    const [seat] = await invite('t-r-late');
    if (seat === undefined) throw new Error('no invited seat');
    await markDelivered(seat);
    const saved = t.clock.now().toISOString();
    t.clock.set(new Date(new Date(seat.replyDeadline ?? 0).getTime() + 1000).toISOString());
    const late = await reply(seat.invitationId, { answer: 'accept' });
    t.clock.set(saved);
    expect(late.body).toMatchObject({ state: 'timed_out' });
    expect((await seatOf('t-r-late', seat.invitationId))?.state).toBe('timed_out');
  });

  it('makes an invitation no channel reached undeliverable, not timed out, at the reply deadline', async () => {
    const [seat] = await invite('t-r-late-undelivered');
    if (seat === undefined) throw new Error('no invited seat');
    const saved = t.clock.now().toISOString();
    t.clock.set(new Date(new Date(seat.replyDeadline ?? 0).getTime() + 1000).toISOString());
    const late = await reply(seat.invitationId, { answer: 'accept' });
    t.clock.set(saved);
    expect(late.body).toMatchObject({ state: 'undeliverable', changed: false });
    expect(await seatOf('t-r-late-undelivered', seat.invitationId)).toMatchObject({
      state: 'undeliverable',
      deliveredAt: null,
    });
  });

  it('keeps the claimed reason, the expert’s own words and the channel of a decline from the link (第十五条)', async () => {
    const [seat] = await invite('t-r-note');
    if (seat === undefined) throw new Error('no invited seat');
    const tooLong = await postForm(t, linkOf(seat), {
      answer: 'decline',
      reason: 'approved_other',
      note: '长'.repeat(501),
    });
    expect(tooLong.status).toBe(422);
    const declined = await postForm(t, linkOf(seat), {
      answer: 'decline',
      reason: 'approved_other',
      note: '  已另行承担厅里安排的培训任务  ',
    });
    expect(declined.text).toContain('data-state="declined"');
    expect(await seatOf('t-r-note', seat.invitationId)).toMatchObject({
      state: 'declined',
      declineReason: 'approved_other',
      declineNote: '已另行承担厅里安排的培训任务',
      replyChannel: 'link',
      repliedBy: 'expert',
    });
  });

  it('offers every reason as a claim, none as pre-approved, with a box for the expert’s own words', async () => {
    const [seat] = await invite('t-r-page');
    if (seat === undefined) throw new Error('no invited seat');
    const page = await call(t, 'GET', linkOf(seat));
    expect(page.text).toContain('其他原因（待认定）');
    expect(page.text).toContain('无正当理由');
    expect(page.text).not.toContain('经同意');
    expect(page.text).toContain('<textarea id="note" name="note" maxlength="500">');
  });

  it('records an answer through the API with channel api and the key that recorded it', async () => {
    const [seat] = await invite('t-r-api');
    if (seat === undefined) throw new Error('no invited seat');
    await reply(seat.invitationId, { answer: 'decline', reason: 'illness', note: '发烧' });
    expect(await seatOf('t-r-api', seat.invitationId)).toMatchObject({
      state: 'declined',
      declineNote: '发烧',
      replyChannel: 'api',
      repliedBy: t.keyIds['yn.dispatcher'],
    });
  });

  it('lets the dispatcher record a phone answer to an open invitation until the deadline, for its own tasks only', async () => {
    const [seat, other] = await invite('t-r-phone-reply');
    if (seat === undefined || other === undefined) throw new Error('no invited seats');
    const phone = (invitationId: string, json: unknown, key: KeyName = 'yn.dispatcher') =>
      call(t, 'POST', `/v1/invitations/${invitationId}/phone-reply`, { key, json });
    expect((await phone(seat.invitationId, { answer: 'accept' }, 'km.dispatcher')).status).toBe(
      404,
    );
    expect((await phone(seat.invitationId, { answer: 'accept' }, 'yn.viewer')).status).toBe(403);
    const accepted = await phone(seat.invitationId, { answer: 'accept' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ state: 'accepted', changed: true });
    expect(await seatOf('t-r-phone-reply', seat.invitationId)).toMatchObject({
      state: 'accepted',
      replyChannel: 'phone',
      repliedBy: t.keyIds['yn.dispatcher'],
    });
    const again = await phone(seat.invitationId, { answer: 'decline', reason: 'illness' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'illegal_transition',
      reason: 'not_open',
      from: 'accepted',
    });
    const saved = t.clock.now().toISOString();
    t.clock.set(new Date(new Date(other.replyDeadline ?? 0).getTime() + 1000).toISOString());
    const late = await phone(other.invitationId, { answer: 'accept' });
    t.clock.set(saved);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ reason: 'deadline_passed' });
    expect((await seatOf('t-r-phone-reply', other.invitationId))?.state).toBe('invited');
  });

  it('declines by SMS with a code for 无正当理由 and the expert’s words after it', async () => {
    const [seat] = await invite('t-r-sms5');
    if (seat === undefined) throw new Error('no invited seat');
    const answered = await sms(phoneOf(seat.expertId), `2 ${seat.invitationId} 5 不想去`);
    expect(String(answered.body.reply)).toContain('谢绝');
    expect(await seatOf('t-r-sms5', seat.invitationId)).toMatchObject({
      state: 'declined',
      declineReason: 'unjustified',
      declineNote: '不想去',
      replyChannel: 'sms',
      repliedBy: 'expert',
    });
  });

  it('accepts "1 <code>" by SMS from the invited expert’s own phone only', async () => {
    const [seat] = await invite('t-r-sms');
    if (seat === undefined) throw new Error('no invited seat');
    const stranger = await sms('13800000000', `1 ${seat.invitationId}`);
    expect(String(stranger.body.reply)).toContain('未找到');
    const accepted = await sms(`+86 ${phoneOf(seat.expertId)}`, `1 ${seat.invitationId}`);
    expect(String(accepted.body.reply)).toContain('您已接受邀请');
    expect((await seatOf('t-r-sms', seat.invitationId))?.state).toBe('accepted');
  });

  it('asks for the reason of an SMS decline and records it once given', async () => {
    const [seat] = await invite('t-r-sms2');
    if (seat === undefined) throw new Error('no invited seat');
    const phone = phoneOf(seat.expertId);
    expect(String((await sms(phone, `2 ${seat.invitationId}`)).body.reply)).toContain(
      '请注明谢绝原因',
    );
    expect((await seatOf('t-r-sms2', seat.invitationId))?.state).toBe('invited');
    expect(String((await sms(phone, `2 ${seat.invitationId} 1`)).body.reply)).toContain('谢绝');
    expect(await seatOf('t-r-sms2', seat.invitationId)).toMatchObject({
      state: 'declined',
      declineReason: 'illness',
    });
  });

  it('refuses an inbound SMS whose signature does not check', async () => {
    const response = await sms('13800000000', '1 1', 'another-secret-0123456789abcdef0123');
    expect(response.status).toBe(403);
  });
});

describe('parsing SMS replies', () => {
  it.each([
    ['1 42', { seatId: 42, reply: { answer: 'accept' } }],
    ['１　４２', { seatId: 42, reply: { answer: 'accept' } }],
    ['１ ４２', { seatId: 42, reply: { answer: 'accept' } }],
    ['2 42 3', { seatId: 42, reply: { answer: 'decline', reason: 'conflict_of_interest' } }],
    ['2 42 4', { seatId: 42, reply: { answer: 'decline', reason: 'approved_other' } }],
    ['2 42 5', { seatId: 42, reply: { answer: 'decline', reason: 'unjustified' } }],
    [
      '2 42 1 住院治疗，下周出院',
      { seatId: 42, reply: { answer: 'decline', reason: 'illness', note: '住院治疗，下周出院' } },
    ],
    [
      '２ ４２ ２已有省厅其他任务',
      {
        seatId: 42,
        reply: { answer: 'decline', reason: 'schedule_conflict', note: '已有省厅其他任务' },
      },
    ],
    [`2 42 1 ${'长'.repeat(501)}`, null],
    ['2 42 12', null],
    ['2 42', { seatId: 42, reply: null }],
    ['2 42 9', { seatId: 42, reply: null }],
    ['yes', null],
  ])('reads %j', (text, expected) => {
    expect(parseSmsReply(text)).toEqual(expected);
  });
});
