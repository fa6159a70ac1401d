import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTaskRequest } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type KeyName,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

const EXPIRED = { from: '2023-11-03', to: '2026-11-02', sealed: true };

describe.each(backends)(
  'a county set waiving 第十一条 for its own pool (第二十六条) on %s',
  (kind) => {
    let t: TestContext;
    const add = async (key: KeyName, overrides: Record<string, unknown>) => {
      const created = await call(t, 'POST', '/v1/experts', {
        key,
        json: makeActiveExpert({ idNumber: undefined, industries: ['metallurgy'], ...overrides }),
      });
      expect(created.status, created.text).toBe(201);
    };
    const request = (id: string, date: string, overrides: Record<string, unknown> = {}) =>
      call(t, 'POST', '/v1/tasks', {
        key: 'wh.dispatcher',
        headers: { 'idempotency-key': `key-${id}` },
        json: makeTaskRequest({
          id,
          window: { from: `${date}T08:30:00+08:00`, to: `${date}T18:00:00+08:00` },
          specialties: ['dust_explosion'],
          panelSize: 2,
          alternates: 0,
          policy: 'best',
          ...overrides,
        }),
      });

    beforeAll(async () => {
      t = await createTestContext(kind);
      t.clock.set('2026-12-02T09:00:00+08:00');
      const best = { title: 'senior_full', specialties: ['dust_explosion'], appointment: EXPIRED };
      await add('yn.admin', {
        id: 'p-expired',
        name: '省级专家',
        employer: { id: 'org-p', name: '省级单位', kind: 'university' },
        ...best,
      });
      await add('wh.admin', {
        id: 'c-expired',
        name: '区级专家',
        tier: 'county',
        region: '530102',
        employer: { id: 'org-c', name: '区级单位', kind: 'university' },
        ...best,
      });
      for (let i = 1; i <= 3; i++) {
        await add('yn.admin', {
          id: `p-${i}`,
          name: `专家${i}`,
          employer: { id: `org-${i}`, name: `单位${i}`, kind: 'university' },
        });
      }
    });
    afterAll(() => t.close());

    it('keeps the rule in the derived set and says the waiver is for the own pool', async () => {
      const put = await call(t, 'PUT', '/v1/authorities/wh-yjj/rule-set', {
        key: 'wh.admin',
        json: {
          reason: '本区专家库聘期另行管理',
          overrides: {
            id: 'wuhua-gmy',
            version: '1.0.0',
            removeDispatchRules: ['appointment-in-force'],
          },
        },
      });
      expect(put.status, put.text).toBe(200);
      const ruleSet = put.body.ruleSet as { dispatchRules: string[]; ownPoolOnly: unknown };
      expect(ruleSet.dispatchRules).toContain('appointment-in-force');
      expect(ruleSet.ownPoolOnly).toEqual({ waivedRules: ['appointment-in-force'] });
      expect(put.body.loosenings).toMatchObject([{ article: '第十一条', appliesTo: 'own-pool' }]);
    });

    it('lists the local policy of the set as 本厅规定 / local policy, with no article', async () => {
      const view = await call(t, 'GET', '/v1/authorities/wh-yjj/rule-set', { key: 'wh.viewer' });
      expect(view.status).toBe(200);
      const policy = view.body.localPolicy as {
        parameter: string;
        article: null;
        source: unknown;
      }[];
      expect(policy.map((p) => p.parameter)).toEqual([
        'panel.maxMembersPerEmployer',
        'panel.leaderTitles',
        'replyDeadlineMinutes',
        'widening',
        'urgentOverInvite',
        'publicNoticeBackdateWorkingDays',
        'engagementLookbackYears',
        'appointment.renewalNoticeDays',
        'certificateNumbering',
        'scoring',
        'yearlyEvaluation',
        'dispatchRules.outside-enterprise-county',
        'dispatchRules.outside-enterprise-city',
      ]);
      for (const entry of policy) {
        expect(entry).toMatchObject({
          article: null,
          source: { zh: '本厅规定', en: 'local policy' },
        });
      }
      expect(view.body.loosenings).toMatchObject([{ article: '第十一条', appliesTo: 'own-pool' }]);
    });

    it('refuses the provincial expert whose term ended 2026-11-02 as named leader (第十一条)', async () => {
      const refused = await request('t-leader', '2026-12-10', { leaderId: 'p-expired' });
      expect(refused.status, refused.text).toBe(422);
      const problems = refused.body.problems as {
        problem: string;
        reasons: { article: string }[];
      }[];
      expect(problems[0]?.problem).toBe('leader-ineligible');
      expect(problems[0]?.reasons.map((r) => r.article)).toEqual(['第十一条']);
    });

    it('leaves the expired provincial expert off the panel and seats the county’s own', async () => {
      const created = await request('t-member', '2026-12-11');
      expect(created.status, created.text).toBe(201);
      const task = created.body as unknown as TaskView;
      const seated = task.panel.map((s) => s.expertId);
      expect(seated).not.toContain('p-expired');
      expect(seated).toContain('c-expired');
      const verified = await call(t, 'GET', `/v1/draws/${task.draw?.id}/verify`, {
        key: 'wh.auditor',
      });
      expect(verified.body).toMatchObject({ ok: true });
      // The draw record says how the named specialty was met (第十四条).
      const draw = await call(t, 'GET', `/v1/draws/${task.draw?.id}`, { key: 'wh.auditor' });
      expect((draw.body.result as { specialtyCoverage?: unknown }).specialtyCoverage).toEqual([
        { specialty: 'dust_explosion', how: 'specialty-first', expertId: 'c-expired' },
      ]);
    });

    it.each(['2026-12-14', '2026-12-15', '2026-12-16'])(
      'seats the only eligible specialty holder in a lottery draw on %s (第十四条)',
      async (date) => {
        const created = await request(`t-lottery-${date}`, date, { policy: 'lottery' });
        expect(created.status, created.text).toBe(201);
        const task = created.body as unknown as TaskView;
        expect(task.panel.map((s) => s.expertId)).toContain('c-expired');
      },
    );
  },
);
