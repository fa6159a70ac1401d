import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declineReviews, deliveries, panelSeats } from '../db/schema.js';
import { addExpert, addInvitation } from '../reports/report-history.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import type { SelfRecords } from './self-records.js';
import { openSelfSession, SELF_COOKIE } from './self-session.js';

const backends = await availableBackends();

type Item = SelfRecords['invitations'][number];

/**
 * The expert's own record tells the outcomes apart with their evidence (第十五条,
 * 第二十三条（一）): the API and the /expert page, reasons by their Chinese names.
 */
describe.each(backends)('the expert’s own record on %s', (kind) => {
  let t: TestContext;
  let token = '';
  const seats: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestContext(kind);
    t.clock.set('2027-06-01T09:00:00+08:00');
    await addExpert(t, { id: 'e-own', name: '李自查', phone: '13900005555' });
    await addExpert(t, { id: 'e-else', name: '赵他人', phone: '13900006666' });
    const at = (day: string, time: string) => `${day}T${time}+08:00`;
    seats.pending = await addInvitation(t, {
      taskId: 'S-pending',
      day: '2027-05-01',
      expertId: 'e-own',
      state: 'declined',
      declineReason: 'approved_other',
      invitedAt: at('2027-04-20', '08:00:00'),
      repliedAt: at('2027-04-20', '10:00:00'),
    });
    seats.decided = await addInvitation(t, {
      taskId: 'S-decided',
      day: '2027-05-02',
      expertId: 'e-own',
      state: 'declined',
      declineReason: 'schedule_conflict',
      invitedAt: at('2027-04-21', '08:00:00'),
      repliedAt: at('2027-04-21', '10:00:00'),
    });
    seats.silent = await addInvitation(t, {
      taskId: 'S-silent',
      day: '2027-05-03',
      expertId: 'e-own',
      state: 'timed_out',
      invitedAt: at('2027-04-22', '08:00:00'),
      replyDeadline: at('2027-04-22', '20:00:00'),
    });
    seats.lost = await addInvitation(t, {
      taskId: 'S-lost',
      day: '2027-05-04',
      expertId: 'e-own',
      state: 'undeliverable',
      invitedAt: at('2027-04-23', '08:00:00'),
      replyDeadline: at('2027-04-23', '20:00:00'),
    });
    seats.absent = await addInvitation(t, {
      taskId: 'S-absent',
      day: '2027-05-05',
      expertId: 'e-own',
      state: 'accepted',
      attendance: 'no_show',
      invitedAt: at('2027-04-24', '08:00:00'),
      repliedAt: at('2027-04-24', '09:00:00'),
    });
    await addInvitation(t, {
      taskId: 'S-else',
      day: '2027-05-06',
      expertId: 'e-else',
      state: 'declined',
      declineReason: 'unjustified',
      invitedAt: at('2027-04-25', '08:00:00'),
      repliedAt: at('2027-04-25', '09:00:00'),
    });
    const db = t.database.db;
    // The decline came by phone, recorded by a dispatcher, with the expert's words.
    await db
      .update(panelSeats)
      .set({
        declineNote: '当天另有本单位检查任务',
        replyChannel: 'phone',
        repliedBy: t.keyIds['yn.dispatcher'],
      })
      .where(eq(panelSeats.id, seats.decided as number));
    await db.insert(declineReviews).values({
      seatId: seats.decided as number,
      decision: 'unjustified',
      note: '本单位任务可调整',
      decidedBy: t.keyIds['yn.admin'],
      decidedAt: new Date(at('2027-04-25', '09:00:00')),
    });
    // The silence followed a delivery that reached the expert, with its receipt.
    const delivered = new Date(at('2027-04-22', '08:00:05'));
    await db
      .update(panelSeats)
      .set({ deliveredAt: delivered })
      .where(eq(panelSeats.id, seats.silent as number));
    await db.insert(deliveries).values({
      id: 'dl-silent',
      seatId: seats.silent as number,
      taskId: 'S-silent',
      expertId: 'e-own',
      outboxId: 'ob-silent',
      state: 'sent',
      attempts: 1,
      channel: 'sms',
      sentAt: delivered,
    });
    await db
      .update(panelSeats)
      .set({ replyChannel: 'link', repliedBy: 'expert', declineNote: '需向单位报批' })
      .where(eq(panelSeats.id, seats.pending as number));
    ({ token } = await db.transaction((tx) => openSelfSession(tx, 'e-own', t.clock.now())));
  });
  afterAll(() => t.close());

  it('tells each outcome apart with its evidence and Chinese labels, never codes alone', async () => {
    const answer = await call(t, 'GET', '/v1/self/records', { key: { secret: token } });
    expect(answer.status, answer.text).toBe(200);
    const items = (answer.body as unknown as SelfRecords).invitations;
    const byTask = (id: string) => items.find((item) => item.taskId === id) as Item;
    expect(byTask('S-pending')).toMatchObject({
      outcome: 'declined_pending',
      outcomeLabel: { zh: '拒绝（理由待认定）' },
      countsTowardRefusals: false,
      declineReason: 'approved_other',
      declineReasonLabel: { zh: '其他原因（待认定）' },
      declineNote: '需向单位报批',
      replyChannelLabel: { zh: '答复链接' },
      recordedBy: 'expert',
      review: null,
    });
    expect(byTask('S-decided')).toMatchObject({
      outcome: 'declined_unjustified',
      countsTowardRefusals: true,
      declineReasonLabel: { zh: '时间冲突' },
      declineNote: '当天另有本单位检查任务',
      replyChannel: 'phone',
      recordedBy: 'department',
      review: {
        decision: 'unjustified',
        decisionLabel: { zh: '认定为无正当理由' },
        note: '本单位任务可调整',
      },
    });
    // No key id of the department's staff reaches the expert.
    expect(answer.text).not.toContain(t.keyIds['yn.dispatcher']);
    expect(answer.text).not.toContain(t.keyIds['yn.admin']);
    expect(byTask('S-silent')).toMatchObject({
      outcome: 'timed_out',
      outcomeLabel: { zh: '送达后超时未响应' },
      countsTowardRefusals: true,
      deliveredAt: expect.any(String),
      delivery: { state: 'sent', channel: 'sms', sentAt: expect.any(String) },
    });
    expect(byTask('S-lost')).toMatchObject({
      outcome: 'undeliverable',
      outcomeLabel: { zh: '通知未送达' },
      countsTowardRefusals: false,
      deliveredAt: null,
    });
    expect(byTask('S-absent')).toMatchObject({
      outcome: 'accepted',
      attendance: 'no_show',
      attendanceLabel: { zh: '未到岗' },
      countsTowardRefusals: false,
    });
    expect(items.map((item) => item.taskId)).not.toContain('S-else');
  });

  it('shows the same record on the /expert page, reasons and outcomes in Chinese', async () => {
    const page = await call(t, 'GET', '/expert', {
      headers: { cookie: `${SELF_COOKIE}=${token}` },
    });
    expect(page.status).toBe(200);
    const row = (seat: number) =>
      new RegExp(`<tr data-invitation="${seat}"[^]*?</tr>`).exec(page.text)?.[0] ?? '';
    expect(row(seats.pending as number)).toContain('其他原因（待认定）（说明：需向单位报批）');
    expect(row(seats.pending as number)).toContain('待认定');
    expect(row(seats.decided as number)).toContain('拒绝（无正当理由）（计入第二十三条（一））');
    expect(row(seats.decided as number)).toContain('认定为无正当理由：本单位任务可调整');
    expect(row(seats.decided as number)).toContain('电话');
    expect(row(seats.silent as number)).toContain('2027年4月22日送达');
    expect(row(seats.lost as number)).toContain('通知未送达');
    expect(row(seats.lost as number)).not.toContain('计入');
    expect(row(seats.absent as number)).toContain('未到岗');
    for (const code of ['approved_other', 'schedule_conflict', 'no_show', 'declined_']) {
      expect(page.text).not.toContain(`>${code}`);
    }
    expect(page.text).not.toContain('S-else');
  });
});
