import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, withdrawalApplications } from '../db/schema.js';
import { openSelfSession } from '../self/self-session.js';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

describe.each(backends)(
  'voluntary withdrawal on written application (第二十四条) on %s',
  (kind) => {
    let t: TestContext;
    const tokens: Record<string, { secret: string }> = {};

    beforeAll(async () => {
      t = await createTestContext(kind);
      for (const [id, phone] of [
        ['e-leaving', '13900003333'],
        ['e-staying', '13900004444'],
        ['e-refused', '13900005555'],
        ['e-page', '13900006666'],
      ] as const) {
        const created = await call(t, 'POST', '/v1/experts', {
          key: 'yn.admin',
          json: makeActiveExpert({ id, phone, idNumber: undefined }),
        });
        expect(created.status, created.text).toBe(201);
        const session = await t.database.db.transaction((tx) =>
          openSelfSession(tx, id, t.clock.now()),
        );
        tokens[id] = { secret: session.token };
      }
      // A fresh migrated database can take a while on a loaded machine.
    }, 180_000);
    afterAll(() => t.close());

    const file = (id: string, reason: unknown) =>
      call(t, 'POST', '/v1/self/withdrawal-application', {
        key: tokens[id] ?? { secret: 'none' },
        json: { reason },
      });

    it('refuses an application without the expert’s own session, even with an API key', async () => {
      const anonymous = await call(t, 'POST', '/v1/self/withdrawal-application', {
        json: { reason: '个人意愿' },
      });
      expect(anonymous.status).toBe(401);
      const withKey = await call(t, 'POST', '/v1/self/withdrawal-application', {
        key: 'yn.admin',
        json: { reason: '个人意愿' },
      });
      expect(withKey.status).toBe(401);
      expect(await t.database.db.select().from(withdrawalApplications)).toEqual([]);
    });

    it('refuses an empty reason with its field path and writes nothing', async () => {
      const refused = await file('e-leaving', '  ');
      expect(refused.status).toBe(422);
      expect(refused.body.errors?.map((e) => e.path)).toContain('reason');
      expect(await t.database.db.select().from(withdrawalApplications)).toEqual([]);
    });

    it('accepts a written application, audited, and refuses a second while it is open (第二十四条)', async () => {
      const filed = await file('e-leaving', '工作变动，不能继续履行专家职责');
      expect(filed.status, filed.text).toBe(201);
      expect(filed.body).toMatchObject({ expertId: 'e-leaving', state: 'open' });
      const second = await file('e-leaving', '再次申请');
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('already_exists');
      const audit = await t.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, 'withdrawal_application.filed'));
      expect(audit.map((a) => a.entityId)).toEqual([filed.body.id]);
      const own = await call(t, 'GET', '/v1/self/withdrawal-application', {
        key: tokens['e-leaving'] ?? { secret: '' },
      });
      expect(own.body.items?.map((i) => i.state)).toEqual(['open']);
    });

    it('never shows another expert’s applications to a self token', async () => {
      const other = await call(t, 'GET', '/v1/self/withdrawal-application', {
        key: tokens['e-staying'] ?? { secret: '' },
      });
      expect(other.status).toBe(200);
      expect(other.body.items).toEqual([]);
    });

    it('lists the open applications of the own pool to admins and auditors, not to dispatchers', async () => {
      const queue = await call(t, 'GET', '/v1/withdrawal-applications', { key: 'yn.auditor' });
      expect(queue.status).toBe(200);
      expect(queue.body.items?.map((i) => i.expertId)).toEqual(['e-leaving']);
      expect(
        (await call(t, 'GET', '/v1/withdrawal-applications', { key: 'yn.dispatcher' })).status,
      ).toBe(403);
      // A self token is no API key: the queue is not the expert's.
      const selfToken = await call(t, 'GET', '/v1/withdrawal-applications', {
        key: tokens['e-staying'] ?? { secret: '' },
      });
      expect(selfToken.status).toBe(401);
      const cityQueue = await call(t, 'GET', '/v1/withdrawal-applications', { key: 'km.admin' });
      expect(cityQueue.body.items).toEqual([]);
    });

    it('withdraws the expert on acceptance, with the application as the action’s evidence (第二十四条)', async () => {
      const [application] = await t.database.db
        .select()
        .from(withdrawalApplications)
        .where(eq(withdrawalApplications.expertId, 'e-leaving'));
      const id = application?.id ?? '';
      const otherPool = await call(t, 'POST', `/v1/withdrawal-applications/${id}/decision`, {
        key: 'km.admin',
        json: { decision: 'accept', reason: '同意' },
      });
      expect(otherPool.status).toBe(404);
      const accepted = await call(t, 'POST', `/v1/withdrawal-applications/${id}/decision`, {
        key: 'yn.admin',
        json: { decision: 'accept', reason: '同意退出' },
      });
      expect(accepted.status, accepted.text).toBe(200);
      expect(accepted.body).toMatchObject({ state: 'accepted', decisionReason: '同意退出' });
      const expert = await call(t, 'GET', '/v1/experts/e-leaving', { key: 'yn.admin' });
      expect(expert.body.status).toBe('withdrawn');
      const [entry] = await t.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'expert.withdraw'), eq(auditLog.entityId, 'e-leaving')));
      expect(entry?.after).toMatchObject({
        status: 'withdrawn',
        lifecycleAction: {
          action: 'withdraw',
          article: '第二十四条',
          evidence: [
            {
              kind: 'document',
              ref: `withdrawal-application:${id}`,
              note: '工作变动，不能继续履行专家职责',
              facts: { applicationId: id },
            },
          ],
        },
      });
      const again = await call(t, 'POST', `/v1/withdrawal-applications/${id}/decision`, {
        key: 'yn.admin',
        json: { decision: 'refuse', reason: '重复处理' },
      });
      expect(again.status).toBe(409);
      // A withdrawn expert has nothing left to withdraw from.
      expect((await file('e-leaving', '再次申请')).status).toBe(409);
    });

    it('records a refusal with its written reason and leaves the expert active', async () => {
      const filed = await file('e-refused', '个人意愿');
      expect(filed.status).toBe(201);
      const refused = await call(
        t,
        'POST',
        `/v1/withdrawal-applications/${filed.body.id}/decision`,
        {
          key: 'yn.admin',
          json: { decision: 'refuse', reason: '任务期间暂不同意，请任务结束后再申请' },
        },
      );
      expect(refused.status, refused.text).toBe(200);
      const own = await call(t, 'GET', '/v1/self/withdrawal-application', {
        key: tokens['e-refused'] ?? { secret: '' },
      });
      expect(own.body.items?.[0]).toMatchObject({
        state: 'refused',
        decisionReason: '任务期间暂不同意，请任务结束后再申请',
      });
      const expert = await call(t, 'GET', '/v1/experts/e-refused', { key: 'yn.admin' });
      expect(expert.body.status).toBe('active');
      // Refused, so a new application may be filed.
      expect((await file('e-refused', '身体原因')).status).toBe(201);
    });

    describe('the /expert/withdrawal page', () => {
      const cookie = () => ({ cookie: `expert_session=${tokens['e-page']?.secret}` });

      it('asks to sign in without the session cookie', async () => {
        const page = await t.app.request('/expert/withdrawal');
        expect(page.status).toBe(401);
        expect(await page.text()).toContain('请先登录');
      });

      it('files the written application from the form and shows its state (第二十四条)', async () => {
        const empty = await t.app.request('/expert/withdrawal', { headers: cookie() });
        expect(empty.status).toBe(200);
        expect(await empty.text()).toContain('提交书面申请');
        const foreign = await t.app.request('/expert/withdrawal', {
          method: 'POST',
          headers: {
            ...cookie(),
            origin: 'https://evil.example',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'reason=x',
        });
        expect(foreign.status).toBe(403);
        const filed = await t.app.request('/expert/withdrawal', {
          method: 'POST',
          headers: { ...cookie(), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ reason: '身体原因，不能继续履职' }).toString(),
        });
        expect(filed.status).toBe(201);
        const body = await filed.text();
        expect(body).toContain('data-state="open"');
        expect(body).toContain('身体原因，不能继续履职');
        // While it is open there is no second form.
        expect(body).not.toContain('提交书面申请');
        const rows = await t.database.db
          .select()
          .from(withdrawalApplications)
          .where(eq(withdrawalApplications.expertId, 'e-page'));
        expect(rows.map((r) => r.state)).toEqual(['open']);
        const profile = await (await t.app.request('/expert', { headers: cookie() })).text();
        expect(profile).toContain('id="withdrawal-state" data-state="open"');
      });
    });
  },
);
