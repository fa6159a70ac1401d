import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeActiveExpert, makeExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestBody,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

// Personal data of the experts and of the objectors: never in a public answer.
const PERSONAL = [
  '13811110001',
  '13811110002',
  '13811110003',
  '13811110004',
  '1975-06-15',
  '53010219750615123X',
  'objector@example.cn',
];
const PERSONAL_KEYS = ['"phone":', '"idNumber":', '"birthDate":', '"birthYear":', '"contact":'];

const items = (body: TestBody) => (body.items ?? []) as TestBody[];
const objection = {
  name: '王监督',
  contact: 'objector@example.cn',
  reason: '该专家工作年限材料不实',
};

describe.each(backends)(
  'public notice, objections and announcement (第十条（四）（五）, 第十一条) on %s',
  (kind) => {
    let t: TestContext;
    const publicTexts: string[] = [];
    const act = (id: string, action: string, json: unknown = { reason: '按程序办理' }) =>
      call(t, 'POST', `/v1/experts/${id}/actions/${action}`, { key: 'yn.admin', json });
    const publicGet = async (path: string) => {
      const response = await call(t, 'GET', path);
      publicTexts.push(response.text);
      return response;
    };
    const object = async (id: string, json: unknown = objection) => {
      const response = await call(t, 'POST', `/v1/public/notices/${id}/objections`, { json });
      publicTexts.push(response.text);
      return response;
    };
    const settle = (id: string, outcome: 'upheld' | 'dismissed', reason: string) =>
      call(t, 'POST', `/v1/objections/${id}/settle`, {
        key: 'yn.admin',
        json: { outcome, reason },
      });
    /** Takes a new applicant to the start of its public notice on the clock's day. */
    const toNotice = async (id: string, phone: string) => {
      const created = await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeExpert({ id, name: `专家${id}`, phone, idNumber: undefined }),
      });
      expect(created.status, created.text).toBe(201);
      for (const action of ['recommend', 'start-review', 'approve', 'start-public-notice']) {
        expect((await act(id, action)).status).toBe(200);
      }
    };

    beforeAll(async () => {
      t = await createTestContext(kind);
    });
    afterAll(async () => {
      for (const text of publicTexts) {
        for (const value of PERSONAL) expect(text).not.toContain(value);
        for (const key of PERSONAL_KEYS) expect(text).not.toContain(key);
      }
      await t.close();
    });

    it('counts the notice in working days across 国庆 and lists it with public fields only (第十条（四）)', async () => {
      t.clock.set('2026-09-29T09:00:00+08:00'); // Tuesday before the National Day holiday
      await toNotice('n-1', '13811110001');
      const listed = await publicGet('/v1/public/notices');
      expect(listed.status).toBe(200);
      // 29, 30 September; 1–7 October off; 8, 9 and the 调休 Saturday 10 October.
      expect(items(listed.body)).toEqual([
        expect.objectContaining({
          purpose: 'appointment',
          purposeLabel: { zh: '拟聘任', en: 'Proposed appointment' },
          start: '2026-09-29',
          end: '2026-10-10',
          workingDays: 5,
          authorityName: '云南省应急管理厅',
          expert: expect.objectContaining({
            id: 'n-1',
            name: '专家n-1',
            titleLabel: { zh: '副高级', en: expect.any(String) },
            employer: expect.objectContaining({ name: '昆明钢铁集团有限公司' }),
          }),
        }),
      ]);
      const page = await publicGet('/notices');
      expect(page.status).toBe(200);
      expect(page.contentType).toContain('text/html');
      expect(page.text).toContain('专家n-1（拟聘任）');
      expect(page.text).toContain('2026年9月29日至2026年10月10日');
    });

    it('accepts an objection inside the window, on a holiday too, and refuses one after it', async () => {
      t.clock.set('2026-10-05T10:00:00+08:00');
      const lodged = await object('n-1');
      expect(lodged.status).toBe(201);
      expect(lodged.body).toMatchObject({
        status: 'open',
        notice: { start: '2026-09-29', end: '2026-10-10' },
      });
      t.clock.set('2026-10-11T10:00:00+08:00');
      const late = await object('n-1');
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({
        code: 'notice_closed',
        start: '2026-09-29',
        end: '2026-10-10',
      });
      expect(String(late.body.detailZh)).toContain('不在公示期内');
      expect((await object('no-such-expert')).status).toBe(404);
      expect((await object('n-1', { name: '', contact: 'x', reason: '短' })).status).toBe(422);
    });

    it('refuses to appoint while an objection is open, then appoints once it is dismissed (第十条（五）)', async () => {
      t.clock.set('2026-10-12T09:00:00+08:00');
      const blocked = await act('n-1', 'appoint');
      expect(blocked.status).toBe(409);
      expect(blocked.body).toMatchObject({ code: 'notice_objected', open: 1, upheld: 0 });
      expect(String(blocked.body.detailZh)).toContain('1 条异议尚未处理');

      const listed = await call(t, 'GET', '/v1/objections?status=open', { key: 'yn.admin' });
      expect(items(listed.body)).toEqual([
        expect.objectContaining({
          expertId: 'n-1',
          name: '王监督',
          contact: 'objector@example.cn',
          statusLabel: { zh: '待处理', en: 'Open' },
        }),
      ]);
      const id = String(items(listed.body)[0]?.id);
      // Another pool's admin neither sees nor settles it.
      expect(items((await call(t, 'GET', '/v1/objections', { key: 'km.admin' })).body)).toEqual([]);
      const foreign = await call(t, 'POST', `/v1/objections/${id}/settle`, {
        key: 'km.admin',
        json: { outcome: 'dismissed', reason: '核实' },
      });
      expect(foreign.status).toBe(404);

      const settled = await settle(id, 'dismissed', '经核实，工作年限材料真实');
      expect(settled.status).toBe(200);
      expect(settled.body).toMatchObject({
        status: 'dismissed',
        outcomeReason: '经核实，工作年限材料真实',
      });
      expect((await settle(id, 'upheld', '再次处理')).status).toBe(409);

      const appointed = await act('n-1', 'appoint');
      expect(appointed.status).toBe(200);
      expect(appointed.body).toMatchObject({
        status: 'active',
        appointment: { from: '2026-10-12', to: '2029-10-11', sealed: false },
        selection: { publicNotice: { end: '2026-10-10', concludedOn: '2026-10-12' } },
      });

      const audit = await call(t, 'GET', `/v1/audit?entityType=notice_objection&entityId=${id}`, {
        key: 'yn.auditor',
      });
      expect(items(audit.body).map((e) => e.action)).toEqual([
        'objection.lodged',
        'objection.dismissed',
      ]);
      expect(audit.text).not.toContain('objector@example.cn');
    });

    it('announces the appointment (公告) while the public query waits for the sealed certificate (第十一条)', async () => {
      const announced = await publicGet('/v1/public/announcements');
      expect(items(announced.body)).toEqual([
        expect.objectContaining({
          kind: 'appointment',
          kindLabel: { zh: '聘任', en: 'Appointment' },
          announcedOn: '2026-10-12',
          term: { from: '2026-10-12', to: '2029-10-11' },
          expert: expect.objectContaining({ id: 'n-1', term: null }),
        }),
      ]);
      expect(items((await publicGet('/v1/public/notices')).body)).toEqual([]);
      const query = await publicGet('/v1/public/experts?q=专家n-1');
      expect(items(query.body)).toEqual([]);
      expect((await act('n-1', 'seal', { reason: '聘书已盖章' })).status).toBe(200);
      const sealed = await publicGet('/v1/public/experts?q=专家n-1');
      expect(items(sealed.body).map((e) => e.id)).toEqual(['n-1']);
      const page = await publicGet('/announcements');
      expect(page.text).toContain('专家n-1（聘任）');
      expect(page.text).toContain('2026年10月12日至2029年10月11日');
    });

    it('keeps an expert with an upheld objection from being appointed from that notice, until reviewed and noticed anew', async () => {
      t.clock.set('2026-11-02T09:00:00+08:00');
      await toNotice('n-2', '13811110002');
      const lodged = await object('n-2');
      expect(lodged.status).toBe(201);
      expect(
        (await settle(String(lodged.body.id), 'upheld', '经核实，存在第九条不符情形')).status,
      ).toBe(200);
      t.clock.set('2026-11-09T09:00:00+08:00');
      const refused = await act('n-2', 'appoint');
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'notice_objected', open: 0, upheld: 1 });
      expect(String(refused.body.detailZh)).toContain('异议经核实成立');
      // Back to 审核: approved again and noticed anew, the new notice has no objection.
      const back = await act('n-2', 'start-review', { reason: '异议成立，重新审核' });
      expect(back.body).toMatchObject({
        status: 'under_review',
        selection: { reviewApprovedAt: null },
      });
      expect((await act('n-2', 'start-public-notice')).status).toBe(409);
      expect((await act('n-2', 'approve')).status).toBe(200);
      const renoticed = await act('n-2', 'start-public-notice');
      expect(renoticed.body).toMatchObject({
        selection: { publicNotice: { start: '2026-11-09', end: '2026-11-13' } },
      });
      t.clock.set('2026-11-16T09:00:00+08:00');
      expect((await act('n-2', 'appoint')).status).toBe(200);
    });

    it('renews only after a renewal notice without open or upheld objections, and announces it (第十一条)', async () => {
      t.clock.set('2026-11-16T09:00:00+08:00');
      await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeActiveExpert({
          id: 'r-1',
          name: '专家r-1',
          phone: '13811110003',
          idNumber: undefined,
        }),
      });
      const unnoticed = await act('r-1', 'renew');
      expect(unnoticed.status).toBe(409);
      expect(String(unnoticed.body.detailZh)).toContain('尚未进行续聘公示');

      const started = await act('r-1', 'start-renewal-notice');
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({
        status: 'active',
        selection: { publicNotice: { start: '2026-11-16', end: '2026-11-20', purpose: 'renewal' } },
      });
      expect((await act('r-1', 'start-renewal-notice')).status).toBe(409);
      const listed = items((await publicGet('/v1/public/notices')).body);
      expect(listed.map((n) => [n.purpose, n.start, n.end])).toEqual([
        ['renewal', '2026-11-16', '2026-11-20'],
      ]);

      t.clock.set('2026-11-18T15:00:00+08:00');
      const lodged = await object('r-1');
      expect(lodged.status).toBe(201);
      expect((await act('r-1', 'renew')).status).toBe(409);
      await settle(String(lodged.body.id), 'dismissed', '反映问题不属实');
      // Settled, but the notice still runs until Friday 20 November.
      const early = await act('r-1', 'renew');
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({ code: 'illegal_transition', noticeEnd: '2026-11-20' });

      t.clock.set('2026-11-23T09:00:00+08:00');
      const renewed = await act('r-1', 'renew');
      expect(renewed.status).toBe(200);
      expect(renewed.body).toMatchObject({
        appointment: { from: '2028-01-01', to: '2030-12-31', sealed: false },
        selection: { publicNotice: { purpose: 'renewal', concludedOn: '2026-11-23' } },
      });
      // The notice is used: it cannot carry a second renewal.
      expect((await act('r-1', 'renew')).status).toBe(409);
      const announced = items((await publicGet('/v1/public/announcements')).body);
      expect(announced[0]).toMatchObject({
        kind: 'renewal',
        announcedOn: '2026-11-23',
        term: { from: '2028-01-01', to: '2030-12-31' },
        expert: expect.objectContaining({ id: 'r-1' }),
      });
    });

    it('throttles objections per address (5 an hour)', async () => {
      t.clock.set('2026-12-01T09:00:00+08:00');
      await toNotice('n-3', '13811110004');
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await object('n-3')).status);
      expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
      t.clock.set('2026-12-01T10:01:00+08:00');
      expect((await object('n-3')).status).toBe(201);
    });
  },
);
