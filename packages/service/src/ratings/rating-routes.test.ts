import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notices, outbox, ratings } from '../db/schema.js';
import { postForm } from '../dispatch/dispatch.test-helpers.js';
import { signReplyToken } from '../dispatch/reply-token.js';
import {
  attendanceOf,
  lastAuditEntries,
  panelMembers,
  type Seat,
  serveTask,
} from '../tasks/served-task.test-helpers.js';
import type { ServiceRecord } from '../tasks/service-record.js';
import { makeTaskRequest, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { signRatingToken } from './rating-token.js';

const backends = await availableBackends();

const RATING_CONTACT = { channel: 'email', address: 'safety@steel.example' } as const;

describe.each(backends)('service ratings on %s', (kind) => {
  let t: TestContext;
  let day = 9;
  const nextDate = () => `2026-03-${String(++day).padStart(2, '0')}`;

  /** A completed task with a rating contact: the second member did not come. */
  const completed = async (id: string, overrides: Record<string, unknown> = {}) => {
    const panel = await serveTask(t, id, nextDate(), {
      ratingContact: RATING_CONTACT,
      ...overrides,
    });
    const members = panelMembers(panel);
    const [leader, noShow, attended] = members;
    if (!leader || !noShow || !attended) throw new Error('a panel of three');
    const done = await call(t, 'POST', `/v1/tasks/${id}/complete`, {
      key: 'yn.dispatcher',
      json: { attendance: attendanceOf(members, [noShow.expertId]) },
    });
    if (done.status !== 200) throw new Error(`complete ${id}: ${done.text}`);
    return { panel, leader, noShow, attended, record: done.body as unknown as ServiceRecord };
  };
  /** The path of the rating link the served unit was sent. */
  const linkPath = async (taskId: string) => {
    const [notice] = await t.database.db
      .select()
      .from(notices)
      .where(and(eq(notices.taskId, taskId), eq(notices.kind, 'rating_request')));
    if (!notice?.link) throw new Error(`no rating link for ${taskId}`);
    return new URL(notice.link).pathname;
  };
  const rate = (
    id: string,
    json: unknown,
    key: 'yn.dispatcher' | 'km.dispatcher' = 'yn.dispatcher',
  ) => call(t, 'POST', `/v1/tasks/${id}/ratings`, { key, json });
  const ratingRows = (taskId: string) =>
    t.database.db.select().from(ratings).where(eq(ratings.taskId, taskId));

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 12);
  });
  afterAll(() => t.close());

  it('sends the served unit a signed rating link when the task is completed, and none without a contact (第二十条)', async () => {
    const { record } = await completed('t-rt-notice');
    const [notice] = await t.database.db
      .select()
      .from(notices)
      .where(eq(notices.taskId, 't-rt-notice'));
    expect(notice).toMatchObject({
      kind: 'rating_request',
      contact: RATING_CONTACT,
      expertId: null,
      state: 'pending',
    });
    expect(notice?.link).toMatch(/\/rate\/[A-Za-z0-9_-]+\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(notice?.body).toContain('评价');
    expect(notice?.body).not.toMatch(/专家\d/);
    expect(record.ratingRequest).toMatchObject({ noticeId: notice?.id, state: 'pending' });
    const queued = await t.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.kind, 'deliver_notice'));
    expect(queued.map((row) => row.payload.noticeId)).toContain(notice?.id);

    const panel = await serveTask(t, 't-rt-nocontact', nextDate());
    await call(t, 'POST', '/v1/tasks/t-rt-nocontact/complete', {
      key: 'yn.dispatcher',
      json: { attendance: attendanceOf(panelMembers(panel)) },
    });
    const none = await t.database.db
      .select()
      .from(notices)
      .where(eq(notices.taskId, 't-rt-nocontact'));
    expect(none).toEqual([]);
  });

  it('refuses a task request whose rating contact is not a usable address, with its field path (422)', async () => {
    const refused = await call(t, 'POST', '/v1/tasks', {
      key: 'yn.dispatcher',
      headers: { 'idempotency-key': 'key-rt-bad-contact' },
      json: makeTaskRequest({ ratingContact: { channel: 'sms', address: 'call me' } }),
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors?.map((e) => e.path)).toEqual(['ratingContact.address']);
  });

  it('shows the attended members by name and role on GET, and changes nothing (mail scanners)', async () => {
    const { leader, noShow, attended, panel } = await completed('t-rt-get');
    const path = await linkPath('t-rt-get');
    const audit = await countAuditEntries(t);
    const page = await call(t, 'GET', path);
    expect(page.status).toBe(200);
    expect(page.contentType).toContain('text/html');
    expect(page.text).toContain('专家服务评价');
    expect(page.text).toContain(`${leader.name}（组长）`);
    expect(page.text).toContain(`${attended.name}（组员）`);
    expect(page.text).not.toContain(`${noShow.name}（`);
    expect(page.text).toContain('data-state="open"');
    // Names and roles only: no phone, no expert id.
    expect(page.text).not.toMatch(/139\d{8}/);
    for (const seat of panel) expect(page.text).not.toContain(seat.expertId);
    expect(await countAuditEntries(t)).toBe(audit);
    expect(await ratingRows('t-rt-get')).toEqual([]);
  });

  it('records the link’s ratings once per member, audits each, and answers a second attempt with the recorded state (第二十条)', async () => {
    const { leader, attended } = await completed('t-rt-link');
    const path = await linkPath('t-rt-link');
    const audit = await countAuditEntries(t);
    const first = await postForm(t, path, {
      [`score-${leader.invitationId}`]: '5',
      [`comment-${leader.invitationId}`]: '组织有序，意见专业',
      [`score-${attended.invitationId}`]: '2',
    });
    expect(first.status).toBe(200);
    expect(first.text).toContain('感谢您的评价');
    expect(first.text).toContain('data-state="rated"');
    expect(await countAuditEntries(t)).toBe(audit + 2);
    const entries = await lastAuditEntries(t, 2);
    expect(entries.map((e) => [e.action, (e.after as { expertId: string }).expertId])).toEqual([
      ['rating.recorded', leader.expertId],
      ['rating.recorded', attended.expertId],
    ]);
    const rows = await ratingRows('t-rt-link');
    expect(rows.map((r) => [r.expertId, r.score, r.comment, r.source]).sort()).toEqual(
      [
        [leader.expertId, 5, '组织有序，意见专业', 'link'],
        [attended.expertId, 2, null, 'link'],
      ].sort(),
    );

    const again = await postForm(t, path, { [`score-${leader.invitationId}`]: '1' });
    expect(again.status).toBe(200);
    expect(again.text).toContain('不能重复评价');
    expect(again.text).toContain('<span class="score">5</span>');
    expect((await ratingRows('t-rt-link')).find((r) => r.expertId === leader.expertId)?.score).toBe(
      5,
    );
    expect(await countAuditEntries(t)).toBe(audit + 2);

    const record = await call(t, 'GET', '/v1/tasks/t-rt-link/service-record', {
      key: 'yn.auditor',
    });
    const leaderRow = (record.body as unknown as ServiceRecord).panel.find(
      (p) => p.expertId === leader.expertId,
    );
    expect(leaderRow?.rating).toMatchObject({ score: 5, source: 'link' });
  });

  it('asks again for a form without a score or with a score outside 1–5, recording nothing (422)', async () => {
    const { leader } = await completed('t-rt-bad');
    const path = await linkPath('t-rt-bad');
    for (const form of [{}, { [`score-${leader.invitationId}`]: '6' }]) {
      const refused = await postForm(t, path, form);
      expect(refused.status).toBe(422);
      expect(refused.text).toContain('data-state="open"');
    }
    expect(await ratingRows('t-rt-bad')).toEqual([]);
  });

  it.each([
    ['a tampered link is refused with 403', 403],
    ['an expired link is refused with 410', 410],
    ['a reply link is not a rating link (403)', 'reply'],
  ] as const)('%s', async (_name, status) => {
    const id = `t-rt-${status}`;
    const { leader } = await completed(id);
    const secret = t.services.env.REPLY_LINK_SECRET;
    const good = await linkPath(id);
    const path =
      status === 403
        ? good.replace(/\.(\d+)\./, (_m, expiry) => `.${Number(expiry) + 3600}.`)
        : status === 410
          ? `/rate/${signRatingToken(secret, id, new Date(t.clock.now().getTime() - 1000))}`
          : `/rate/${signReplyToken(secret, Number(leader.invitationId), new Date(t.clock.now().getTime() + 86_400_000))}`;
    const expected = status === 'reply' ? 403 : status;
    expect((await call(t, 'GET', path)).status).toBe(expected);
    expect((await postForm(t, path, { [`score-${leader.invitationId}`]: '4' })).status).toBe(
      expected,
    );
    expect(await ratingRows(id)).toEqual([]);
  });

  it('lets the requesting dispatcher record ratings by API: attended members only, once each, all or nothing (第二十条)', async () => {
    const { leader, noShow, attended, panel } = await completed('t-rt-api');
    const shadowOrAlternate = panel.find((s: Seat) => s.role === 'alternate')?.expertId ?? 'e-x';
    expect(
      (
        await rate(
          't-rt-api',
          { ratings: [{ expertId: leader.expertId, score: 4 }] },
          'km.dispatcher',
        )
      ).status,
    ).toBe(404);

    const cases: [string, unknown, string][] = [
      ['a no-show', { ratings: [{ expertId: noShow.expertId, score: 3 }] }, 'ratings.0.expertId'],
      [
        'someone who did not serve',
        { ratings: [{ expertId: shadowOrAlternate, score: 3 }] },
        'ratings.0.expertId',
      ],
      [
        'a score above 5',
        { ratings: [{ expertId: leader.expertId, score: 6 }] },
        'ratings.0.score',
      ],
      [
        'a fractional score',
        { ratings: [{ expertId: leader.expertId, score: 3.5 }] },
        'ratings.0.score',
      ],
      [
        'a member twice',
        {
          ratings: [
            { expertId: leader.expertId, score: 3 },
            { expertId: leader.expertId, score: 4 },
          ],
        },
        'ratings.1.expertId',
      ],
      ['no ratings', { ratings: [] }, 'ratings'],
    ];
    for (const [why, body, path] of cases) {
      const refused = await rate('t-rt-api', body);
      expect(refused.status, why).toBe(422);
      expect(
        refused.body.errors?.map((e) => e.path),
        why,
      ).toContain(path);
    }
    expect(await ratingRows('t-rt-api')).toEqual([]);

    const audit = await countAuditEntries(t);
    const created = await rate('t-rt-api', {
      ratings: [{ expertId: leader.expertId, score: 4, comment: '  按时到岗  ' }],
    });
    expect(created.status).toBe(201);
    const leaderRow = (created.body as unknown as ServiceRecord).panel.find(
      (p) => p.expertId === leader.expertId,
    );
    expect(leaderRow?.rating).toMatchObject({ score: 4, comment: '按时到岗', source: 'api' });
    expect(await countAuditEntries(t)).toBe(audit + 1);
    const [row] = await ratingRows('t-rt-api');
    expect(row?.ratedByKeyId).toBe(t.keyIds['yn.dispatcher']);

    // One already rated: the whole request is refused and the other member stays unrated.
    const twice = await rate('t-rt-api', {
      ratings: [
        { expertId: attended.expertId, score: 5 },
        { expertId: leader.expertId, score: 1 },
      ],
    });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'already_exists', rated: [leader.expertId] });
    expect(await ratingRows('t-rt-api')).toHaveLength(1);
  });

  it('refuses ratings before the task is completed (409)', async () => {
    const panel = await serveTask(t, 't-rt-open', nextDate());
    const [leader] = panelMembers(panel);
    const refused = await rate('t-rt-open', {
      ratings: [{ expertId: leader?.expertId, score: 5 }],
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'illegal_transition', from: 'confirmed' });
  });

  it('keeps a rated member from becoming a no-show, and shows a member corrected to attended on the link (第十五条, 第二十条)', async () => {
    const { leader, noShow } = await completed('t-rt-correct');
    await rate('t-rt-correct', { ratings: [{ expertId: leader.expertId, score: 5 }] });
    const refused = await call(t, 'PUT', '/v1/tasks/t-rt-correct/attendance', {
      key: 'yn.dispatcher',
      json: { attendance: [{ expertId: leader.expertId, attendance: 'no_show' }], reason: '误录' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'illegal_transition', rated: [leader.expertId] });

    const path = await linkPath('t-rt-correct');
    expect((await call(t, 'GET', path)).text).not.toContain(`${noShow.name}（`);
    const corrected = await call(t, 'PUT', '/v1/tasks/t-rt-correct/attendance', {
      key: 'yn.dispatcher',
      json: {
        attendance: [{ expertId: noShow.expertId, attendance: 'attended' }],
        reason: '实际已到岗，补正',
      },
    });
    expect(corrected.status).toBe(200);
    expect((await call(t, 'GET', path)).text).toContain(`${noShow.name}（组员）`);
    // Still one rating link for the task.
    const sent = await t.database.db
      .select()
      .from(notices)
      .where(eq(notices.taskId, 't-rt-correct'));
    expect(sent).toHaveLength(1);
  });
});
