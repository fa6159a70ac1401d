import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  authorities,
  conductNotifications,
  experts,
  notices,
  organizations,
  recommendations,
} from '../../db/schema.js';
import {
  backendQueueCombos,
  type DispatchHarness,
  makeTestQueue,
  openDispatchHarness,
  until,
} from '../../dispatch/dispatch.test-helpers.js';
import { addInvitation } from '../../reports/report-history.test-helpers.js';
import type { ListsReport } from '../../reports/report-schemas.js';
import type { QueueMode } from '../../testing/redis.test-helpers.js';
import { AUTHORITIES, call } from '../../testing/test-backends.test-helpers.js';

const { combos, prefix } = await backendQueueCombos();

describe.each(combos)(
  '通报 of 第二十三条 actions on %s with the %s queue',
  (kind, mode: QueueMode) => {
    let h: DispatchHarness;
    let told: string;
    let untold: string;

    beforeAll(async () => {
      h = await openDispatchHarness(kind, 2);
      [told, untold] = h.experts as [string, string];
      const { t, receiver } = h;
      const db = t.database.db;
      const [row] = await db
        .select({ employerId: experts.employerId, employerName: experts.employerName })
        .from(experts)
        .where(eq(experts.id, told));
      if (row === undefined) throw new Error('no expert');
      // Contacts of the employer and of the recommending unit, at the local gateway.
      await db
        .insert(organizations)
        .values({
          id: row.employerId,
          name: '某设计研究院',
          kind: 'design_institute',
          contact: { channel: 'webhook', address: `${receiver.url}?to=employer` },
        })
        .onConflictDoUpdate({
          target: organizations.id,
          set: { contact: { channel: 'webhook', address: `${receiver.url}?to=employer` } },
        });
      await db
        .update(authorities)
        .set({ contact: { channel: 'webhook', address: `${receiver.url}?to=recommender` } })
        .where(eq(authorities.id, AUTHORITIES.km.id));
      await db.insert(recommendations).values({
        id: 'rec-told',
        expertId: told,
        fromAuthorityId: AUTHORITIES.km.id,
        toTier: 'province',
        state: 'approved',
        reason: '推荐',
        decidedBy: 'test',
        decidedAt: new Date('2025-06-01T09:00:00+08:00'),
        createdBy: 'test',
      });
      // Two refusals on the expert's record: the 第二十三条（一） list shows the 通报 beside them.
      for (const [taskId, on] of [
        ['N1', '2026-01-05'],
        ['N2', '2026-02-05'],
      ] as const) {
        await addInvitation(t, {
          taskId,
          day: on,
          expertId: told,
          state: 'declined',
          declineReason: 'unjustified',
          invitedAt: `${on}T08:00:00+08:00`,
          repliedAt: `${on}T09:00:00+08:00`,
        });
      }
    });
    afterEach(() => h.stop());
    afterAll(() => h.close());

    it('tells the employer and the recommending unit of a warning, and the list shows who was told and when (第二十三条（一）)', async () => {
      const { t, receiver } = h;
      h.start(makeTestQueue(mode, prefix));
      const warned = await call(t, 'POST', `/v1/experts/${told}/actions/warn`, {
        key: 'yn.admin',
        json: {
          reason: '1年内2次无正当理由拒绝委派任务',
          article: '第二十三条（一）',
          evidence: [{ kind: 'document', ref: '约谈记录 2026-03-01' }],
        },
      });
      expect(warned.status).toBe(200);
      const rows = await t.database.db
        .select()
        .from(conductNotifications)
        .where(eq(conductNotifications.expertId, told));
      expect(rows.map((r) => [r.recipient, r.recipientName, r.action]).sort()).toEqual([
        ['employer', '某设计研究院', 'warn'],
        ['recommending_unit', AUTHORITIES.km.name, 'warn'],
      ]);
      const ids = new Set(rows.map((r) => r.noticeId));
      await until(() => receiver.requests.filter((r) => ids.has(r.key)).length >= 2);
      const received = receiver.requests.filter((r) => ids.has(r.key));
      expect(received.every((r) => r.signatureOk)).toBe(true);
      const text = JSON.stringify(received.map((r) => r.body));
      expect(text).toContain('通报');
      expect(text).toContain('第二十三条（一）');
      expect(text).not.toMatch(/\+86|birthDate|1970-05-01/);
      await until(async () => {
        const sent = await t.database.db
          .select()
          .from(notices)
          .where(eq(notices.kind, 'conduct_notice'));
        return sent.length === 2 && sent.every((n) => n.state === 'sent');
      });

      const lists = (await call(t, 'GET', '/v1/reports/lists?on=2026-03-02', { key: 'yn.auditor' }))
        .body as unknown as ListsReport;
      const entry = lists.lists.declineWarnings.find((e) => e.expertId === told);
      expect(
        entry?.notifications.map((n) => [n.recipient, n.state, n.sentAt !== null]).sort(),
      ).toEqual([
        ['employer', 'sent', true],
        ['recommending_unit', 'sent', true],
      ]);
      const csv = await call(t, 'GET', '/v1/reports/lists?on=2026-03-02&format=csv', {
        key: 'yn.auditor',
      });
      expect(csv.text).toContain('通报所在单位 某设计研究院');
    });

    it('queues no 通报 where no contact is known, and none for an action outside 第二十三条', async () => {
      const { t } = h;
      const interviewed = await call(t, 'POST', `/v1/experts/${untold}/actions/interview`, {
        key: 'yn.admin',
        json: {
          reason: '约谈',
          article: '第二十三条（一）',
          evidence: [{ kind: 'document', ref: '约谈记录' }],
        },
      });
      expect(interviewed.status).toBe(200);
      const suspended = await call(t, 'POST', `/v1/experts/${told}/actions/suspend`, {
        key: 'yn.admin',
        json: { reason: '调整', article: '第十二条' },
      });
      expect(suspended.status).toBe(200);
      const rows = await t.database.db.select().from(conductNotifications);
      expect(rows.filter((r) => r.expertId === untold)).toEqual([]);
      expect(rows.filter((r) => r.action === 'suspend')).toEqual([]);
    });

    it('lets an authority’s own admin set where its 通报 go, showing the channel only', async () => {
      const { t } = h;
      const json = { contact: { channel: 'email', address: 'aqjg@km.example.gov.cn' } };
      const path = `/v1/authorities/${AUTHORITIES.km.id}/contact`;
      const set = await call(t, 'PUT', path, { key: 'km.admin', json });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({ authorityId: AUTHORITIES.km.id, contactChannel: 'email' });
      expect(set.text).not.toContain('aqjg@');
      const [row] = await t.database.db
        .select({ contact: authorities.contact })
        .from(authorities)
        .where(eq(authorities.id, AUTHORITIES.km.id));
      expect(row?.contact).toEqual(json.contact);
      expect((await call(t, 'PUT', path, { key: 'yn.admin', json })).status).toBe(404);
      expect((await call(t, 'PUT', path, { key: 'km.viewer', json })).status).toBe(403);
    });
  },
);
