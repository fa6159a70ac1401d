import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, deliveries, panelSeats } from '../db/schema.js';
import { addExpert, addInvitation } from '../reports/report-history.test-helpers.js';
import type { ListsReport } from '../reports/report-schemas.js';
import { loadHistory } from '../tasks/load-history.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import type { DeclineItem } from './decline-evidence.js';

const backends = await availableBackends();

type Page = { items: DeclineItem[]; nextCursor: string | null };

/** A decline as the reply page or a phone answer leaves it, with its delivery and receipt. */
async function addDecline(
  t: TestContext,
  decline: {
    readonly taskId: string;
    readonly expertId: string;
    readonly on: string;
    readonly reason: string;
    readonly note?: string;
    readonly channel?: 'link' | 'sms' | 'phone';
    readonly repliedBy?: string;
    readonly authority?: 'yn' | 'km';
  },
): Promise<number> {
  const seatId = await addInvitation(t, {
    taskId: decline.taskId,
    day: decline.on,
    expertId: decline.expertId,
    state: 'declined',
    declineReason: decline.reason,
    invitedAt: `${decline.on}T08:00:00+08:00`,
    repliedAt: `${decline.on}T10:00:00+08:00`,
    ...(decline.authority === undefined ? {} : { authority: decline.authority }),
  });
  const delivered = new Date(`${decline.on}T08:00:05+08:00`);
  await t.database.db
    .update(panelSeats)
    .set({
      declineNote: decline.note ?? null,
      replyChannel: decline.channel ?? 'link',
      repliedBy: decline.repliedBy ?? 'expert',
      deliveredAt: delivered,
    })
    .where(eq(panelSeats.id, seatId));
  await t.database.db.insert(deliveries).values({
    id: `dl-${seatId}`,
    seatId,
    taskId: decline.taskId,
    expertId: decline.expertId,
    outboxId: `ob-${seatId}`,
    state: 'sent',
    attempts: 1,
    channel: 'webhook',
    sentAt: delivered,
  });
  return seatId;
}

const queue = (t: TestContext, query = '', key: 'yn.dispatcher' | 'yn.admin' = 'yn.dispatcher') =>
  call(t, 'GET', `/v1/reviews/declines${query}`, { key });
const decide = (t: TestContext, seatId: number, json: unknown, key = 'yn.dispatcher' as const) =>
  call(t, 'POST', `/v1/reviews/declines/${seatId}`, { key, json });
const listsOn = async (t: TestContext, on: string) =>
  (
    (await call(t, 'GET', `/v1/reports/lists?on=${on}`, { key: 'yn.auditor' }))
      .body as unknown as ListsReport
  ).lists;

describe.each(backends)('decline reviews (正当理由认定, 第二十三条（一）) on %s', (kind) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(kind);
    t.clock.set('2028-03-05T09:00:00+08:00');
    for (const [id, name] of [
      ['e-r1', '甲'],
      ['e-r2', '乙'],
      ['e-r3', '丙'],
      ['e-r4', '丁'],
    ] as const) {
      await addExpert(t, { id, name: `${name}专家` });
    }
  });
  afterAll(() => t.close());

  it('holds a self-declared approved reason in the queue with its evidence, and lists it only once decided unjustified', async () => {
    const first = await addDecline(t, {
      taskId: 'R1',
      expertId: 'e-r1',
      on: '2026-03-01',
      reason: 'unjustified',
    });
    const second = await addDecline(t, {
      taskId: 'R2',
      expertId: 'e-r1',
      on: '2027-03-01',
      reason: 'approved_other',
      note: '单位领导同意我参加其他工作',
      channel: 'phone',
      repliedBy: t.keyIds['yn.dispatcher'],
    });
    const pending = (await queue(t)).body as unknown as Page;
    const item = pending.items.find((entry) => entry.invitationId === String(second));
    expect(item).toMatchObject({
      standing: 'pending',
      standingLabel: { zh: '待认定' },
      expert: { id: 'e-r1', name: '甲专家' },
      invitation: { taskId: 'R2', state: 'declined', deliveredAt: expect.any(String) },
      reply: {
        reason: 'approved_other',
        reasonLabel: { zh: '经同意的其他原因' },
        note: '单位领导同意我参加其他工作',
        channel: 'phone',
        recordedBy: t.keyIds['yn.dispatcher'],
      },
      review: null,
    });
    expect(item?.deliveries).toEqual([
      expect.objectContaining({ state: 'sent', channel: 'webhook', sentAt: expect.any(String) }),
    ]);
    // A claimed 无正当理由 needs no decision.
    expect(pending.items.map((entry) => entry.invitationId)).not.toContain(String(first));

    const before = await listsOn(t, '2027-03-01');
    expect(before.declineWarnings.map((e) => e.expertId)).not.toContain('e-r1');
    expect(before.pendingDeclines.map((e) => [e.expertId, e.declines])).toContainEqual(['e-r1', 1]);

    const decided = await decide(t, second, { decision: 'unjustified', note: '未经本厅同意' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      standing: 'unjustified',
      review: {
        decision: 'unjustified',
        note: '未经本厅同意',
        decidedBy: t.keyIds['yn.dispatcher'],
      },
    });
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, String(second)));
    expect(audit.map((entry) => entry.action)).toContain('decline.reviewed');

    // 2026-03-01 and 2027-03-01: 12 months apart to the day, within 1年内.
    const after = await listsOn(t, '2027-03-01');
    const entry = after.declineWarnings.find((e) => e.expertId === 'e-r1');
    expect(entry?.evidence.map((e) => [e.taskId, e.refusedOn, e.outcome])).toEqual([
      ['R1', '2026-03-01', 'declined_unjustified'],
      ['R2', '2027-03-01', 'declined_unjustified'],
    ]);
    expect(entry?.evidence[1]).toMatchObject({
      note: '单位领导同意我参加其他工作',
      replyChannel: 'phone',
      recordedBy: t.keyIds['yn.dispatcher'],
      review: { decision: 'unjustified', note: '未经本厅同意' },
      delivery: { state: 'sent', channel: 'webhook' },
    });
    expect(after.pendingDeclines.map((e) => e.expertId)).not.toContain('e-r1');
    const decidedPage = (await queue(t, '?state=decided', 'yn.admin')).body as unknown as Page;
    expect(decidedPage.items.map((e) => e.invitationId)).toContain(String(second));
  });

  it('does not list two decided-unjustified declines 12 months and a day apart', async () => {
    await addDecline(t, {
      taskId: 'R3',
      expertId: 'e-r2',
      on: '2026-02-28',
      reason: 'unjustified',
    });
    await addDecline(t, {
      taskId: 'R4',
      expertId: 'e-r2',
      on: '2027-03-01',
      reason: 'unjustified',
    });
    const lists = await listsOn(t, '2027-03-01');
    expect(lists.declineWarnings.map((e) => e.expertId)).not.toContain('e-r2');
  });

  it.each([
    [
      'lists 2027-03-01 and 2028-02-29: within a year across 29 February',
      'e-r3',
      '2027-03-01',
      true,
    ],
    [
      'does not list 2027-02-28 and 2028-02-29: a year from 28 February ends on 28 February',
      'e-r4',
      '2027-02-28',
      false,
    ],
  ] as const)('%s', async (_name, expertId, first, listed) => {
    for (const [n, on] of [
      [1, first],
      [2, '2028-02-29'],
    ] as const) {
      const seat = await addDecline(t, {
        taskId: `${expertId}-${n}`,
        expertId,
        on,
        reason: 'schedule_conflict',
      });
      const answer = await decide(t, seat, { decision: 'unjustified', note: '与事实不符' });
      expect(answer.status).toBe(200);
    }
    const lists = await listsOn(t, '2028-02-29');
    expect(lists.declineWarnings.map((e) => e.expertId).includes(expertId)).toBe(listed);
  });

  it('refuses a second decision, a reason justified on the word, and another authority', async () => {
    const coi = await addDecline(t, {
      taskId: 'R5',
      expertId: 'e-r2',
      on: '2027-06-01',
      reason: 'conflict_of_interest',
    });
    const onWord = await decide(t, coi, { decision: 'unjustified', note: 'x' });
    expect(onWord.status).toBe(409);
    expect(onWord.body.code).toBe('illegal_transition');
    const ill = await addDecline(t, {
      taskId: 'R6',
      expertId: 'e-r2',
      on: '2027-06-02',
      reason: 'illness',
    });
    expect((await decide(t, ill, { decision: 'justified', note: '有病历' })).status).toBe(200);
    const again = await decide(t, ill, { decision: 'unjustified', note: '改判' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_exists');
    const other = await call(t, 'POST', `/v1/reviews/declines/${ill}`, {
      key: 'km.dispatcher',
      json: { decision: 'unjustified', note: 'x' },
    });
    expect(other.status).toBe(404);
    const theirs = (await call(t, 'GET', '/v1/reviews/declines', { key: 'km.admin' }))
      .body as unknown as Page;
    expect(theirs.items).toEqual([]);
  });

  it.each([
    ['a viewer', 'yn.viewer', 403],
    ['an auditor', 'yn.auditor', 403],
  ] as const)('refuses %s', async (_name, key, status) => {
    expect((await call(t, 'GET', '/v1/reviews/declines', { key })).status).toBe(status);
  });

  it('answers a decision that is not justified or unjustified, or without a note, with a 422 on its field', async () => {
    const seat = await addDecline(t, {
      taskId: 'R7',
      expertId: 'e-r3',
      on: '2027-07-01',
      reason: 'illness',
    });
    const bad = await decide(t, seat, { decision: 'maybe', note: 'x' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.map((e) => e.path)).toContain('decision');
    const empty = await decide(t, seat, { decision: 'justified', note: ' ' });
    expect(empty.body.errors?.map((e) => e.path)).toContain('note');
  });

  it('never lists invitations no channel delivered, and counts them apart in the annual report', async () => {
    for (const [taskId, on] of [
      ['U1', '2027-05-01'],
      ['U2', '2027-05-02'],
    ] as const) {
      await addInvitation(t, {
        taskId,
        day: on,
        expertId: 'e-r4',
        state: 'undeliverable',
        invitedAt: `${on}T08:00:00+08:00`,
        replyDeadline: `${on}T20:00:00+08:00`,
      });
    }
    const lists = await listsOn(t, '2027-05-03');
    expect(lists.declineWarnings.map((e) => e.expertId)).not.toContain('e-r4');
    expect(lists.pendingDeclines.map((e) => e.expertId)).not.toContain('e-r4');
    const annual = await call(t, 'GET', '/v1/reports/annual?year=2027', { key: 'yn.auditor' });
    const row = (
      annual.body.experts as { expertId: string; undeliverable: number; timedOut: number }[]
    ).find((e) => e.expertId === 'e-r4');
    expect(row).toMatchObject({ undeliverable: 2, timedOut: 0 });
    // Nor does a draw read them as refusals: only the decided decline carries a review.
    const history = await loadHistory(
      t.database.db,
      { from: '2028-06-01T00:00:00Z', to: '2028-06-02T00:00:00Z' },
      new Date('2020-01-01T00:00:00Z'),
    );
    const mine = history.invitations.filter((r) => r.expertId === 'e-r4');
    expect(mine.map((r) => r.taskId)).not.toContain('U1');
    expect(history.invitations.find((r) => r.taskId === 'R2')).toMatchObject({
      outcome: 'declined',
      reason: 'approved_other',
      review: 'unjustified',
    });
  });

  it('pages the queue by cursor, oldest first', async () => {
    const first = (await queue(t, '?state=decided&limit=1')).body as unknown as Page;
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = (await queue(t, `?state=decided&limit=1&cursor=${first.nextCursor}`))
      .body as unknown as Page;
    expect(Number(second.items[0]?.invitationId)).toBeGreaterThan(
      Number(first.items[0]?.invitationId),
    );
  });
});
