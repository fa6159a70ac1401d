import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeActiveExpert, makeExpert } from '../../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

describe.each(backends)(
  're-admission after a dismissal for fraud (第二十三条（六）) on %s',
  (kind) => {
    let t: TestContext;
    const act = (id: string, action: string, json: unknown = { reason: '按程序办理' }) =>
      call(t, 'POST', `/v1/experts/${id}/actions/${action}`, { key: 'yn.admin', json });
    const person = { name: '王伪造', birthDate: '1972-08-08', idNumber: '530102197208081234' };

    beforeAll(async () => {
      t = await createTestContext(kind);
      t.clock.set('2026-03-02T09:00:00+08:00');
      for (const id of ['f-old', 'f-local']) {
        const created = await call(t, 'POST', '/v1/experts', {
          key: 'yn.admin',
          json: makeActiveExpert({
            id,
            ...person,
            ...(id === 'f-local' ? { idNumber: undefined } : {}),
          }),
        });
        expect(created.status).toBe(201);
      }
    });
    afterAll(() => t.close());

    it('records the dismissal as a disqualification of the person, under 第二十三条（六）', async () => {
      const dismissed = await act('f-old', 'dismiss', {
        reason: '申报材料中职称证书系伪造',
        article: '第二十三条（六）',
        evidence: [{ kind: 'document', ref: '核查通报〔2026〕3号' }],
      });
      expect(dismissed.status).toBe(200);
      expect(dismissed.body).toMatchObject({
        status: 'dismissed',
        disqualifiedOn: '2026-03-02',
        disqualifiedUnder: '第二十三条（六）',
      });
      // The person's other admitted record goes with it (第九条（六）).
      const other = await call(t, 'GET', '/v1/experts/f-local', { key: 'yn.admin' });
      expect(other.body).toMatchObject({
        status: 'dismissed',
        disqualifiedOn: '2026-03-02',
        disqualifiedUnder: '第二十三条（六）',
      });
    });

    it('refuses the same person’s re-application the same day (第九条（六）)', async () => {
      await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeExpert({ id: 'f-new', ...person }),
      });
      const refused = await act('f-new', 'recommend');
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'admission_refused' });
      expect(refused.body.reasons).toMatchObject([
        { ruleId: 'disqualification-bar', article: '第九条（六）', ok: false },
      ]);
      expect(refused.body.detailZh).toBe(
        '第九条（六）：2026年3月2日因弄虚作假骗取专家资格（第二十三条（六））被取消专家资格，不予推荐',
      );
    });

    it('still refuses it ten years on: the provincial set reads 第九条（六） for fraud', async () => {
      t.clock.set('2036-03-03T09:00:00+08:00');
      expect((await act('f-new', 'recommend')).status).toBe(422);
    });

    it('refuses an active record of the person written straight into the pool', async () => {
      const refused = await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeActiveExpert({
          id: 'f-direct',
          ...person,
          appointment: { from: '2036-03-01', to: '2039-02-28', sealed: true },
        }),
      });
      expect(refused.status).toBe(422);
      expect(refused.body.errors?.[0]?.message).toContain('第九条（六）');
    });

    it('leaves a dismissal under another item of 第二十三条 without a bar', async () => {
      t.clock.set('2026-03-02T09:00:00+08:00');
      const other = { name: '赵拒绝', birthDate: '1971-01-01', idNumber: '530102197101011234' };
      await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeActiveExpert({ id: 'g-old', ...other }),
      });
      const dismissed = await act('g-old', 'dismiss', {
        reason: '1年内3次无正当理由拒绝',
        article: '第二十三条（一）',
        evidence: [{ kind: 'document', ref: '约谈记录' }],
      });
      expect(dismissed.status).toBe(200);
      expect(dismissed.body.disqualifiedOn).toBeUndefined();
    });
  },
);
