import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../http/app-env.js';
import { addRecommenderKey } from '../testing/recommender.test-helpers.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

/** The operations a recommender key may call: recommend, read its own, and see the key itself. */
const RECOMMENDER_OPERATIONS = [
  'createRecommendation',
  'getCurrentKey',
  'getRecommendation',
  'listRecommendations',
];

const candidate = (overrides: Record<string, unknown> = {}) => ({
  name: '杨卫东',
  birthDate: '1978-04-12',
  phone: '13912340001',
  idNumber: '530102197804121234',
  title: 'senior_full',
  safetyEngineer: 'senior',
  practiceYears: 22,
  region: '530111',
  group: 'metallurgy_nonferrous_machinery',
  industries: ['metallurgy'],
  specialties: ['molten_metal'],
  ...overrides,
});

describe.each(backends)(
  'enterprise and SOE recommenders (第二十一条（一）, 第二十二条) on %s',
  (kind) => {
    let t: TestContext;
    let recommender: { secret: string };
    let other: { secret: string };
    let recommendationId = '';

    beforeAll(async () => {
      t = await createTestContext(kind);
      other = { secret: await addRecommenderKey(t, 'org-ynyj', '云南冶金集团股份有限公司') };
      recommender = { secret: await addRecommenderKey(t, 'org-kgjt', '昆明钢铁控股有限公司') };
      // Setup time for a loaded machine (a fresh database and its migrations).
    }, 180_000);
    afterAll(() => t.close());

    it('issues a recommender key only for a registered enterprise, by a provincial admin', async () => {
      const issue = (key: 'yn.admin' | 'km.admin', json: Record<string, unknown>) =>
        call(t, 'POST', '/v1/keys', { key, json: { label: '推荐', ...json } });
      expect((await issue('yn.admin', { role: 'recommender' })).status).toBe(422);
      expect(
        (await issue('yn.admin', { role: 'recommender', organizationId: 'org-none' })).status,
      ).toBe(422);
      expect((await issue('yn.admin', { role: 'viewer', organizationId: 'org-kgjt' })).status).toBe(
        422,
      );
      expect(
        (await issue('km.admin', { role: 'recommender', organizationId: 'org-kgjt' })).status,
      ).toBe(403);
      const me = await call(t, 'GET', '/v1/me', { key: recommender });
      expect(me.body).toMatchObject({
        role: 'recommender',
        authorityId: 'yn-yjt',
        organizationId: 'org-kgjt',
      });
    });

    it('records an enterprise’s recommendation of its own candidate, pending, audited', async () => {
      const before = await countAuditEntries(t);
      const made = await call(t, 'POST', '/v1/recommendations', {
        key: recommender,
        json: { candidate: candidate(), reason: '长期从事冶金安全管理，业务能力强' },
      });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({
        expertId: null,
        expertName: '杨卫东',
        fromAuthorityId: 'yn-yjt',
        fromOrganizationId: 'org-kgjt',
        toTier: 'province',
        state: 'pending',
        admittedExpertId: null,
      });
      expect(made.text).not.toContain('13912340001');
      expect(await countAuditEntries(t)).toBe(before + 1);
      recommendationId = String(made.body.id);
    });

    it.each<[string, Record<string, unknown>, number, string]>([
      [
        'the same person again while pending',
        { candidate: candidate(), reason: '再次' },
        409,
        'already_exists',
      ],
      [
        'another employer named for the candidate',
        {
          candidate: candidate({ employer: { id: 'org-ynyj', name: '冶金', kind: 'enterprise' } }),
          reason: '推荐',
        },
        422,
        'validation_failed',
      ],
      [
        'one of the pool’s experts (an authority’s recommendation)',
        { expertId: 'e-1', reason: '推荐' },
        403,
        'forbidden',
      ],
      [
        'a candidate without a reason',
        { candidate: candidate({ idNumber: '530102197804125678' }) },
        422,
        'validation_failed',
      ],
    ])('refuses %s', async (_name, json, status, code) => {
      const before = await countAuditEntries(t);
      const refused = await call(t, 'POST', '/v1/recommendations', { key: recommender, json });
      expect(refused.status).toBe(status);
      expect(refused.body.code).toBe(code);
      expect(await countAuditEntries(t)).toBe(before);
    });

    it('shows a recommender its own organisation’s recommendations only', async () => {
      const own = await call(t, 'GET', '/v1/recommendations', { key: recommender });
      expect(own.body.items?.map((item) => item.id)).toEqual([recommendationId]);
      const theirs = await call(t, 'GET', '/v1/recommendations', { key: other });
      expect(theirs.body.items).toEqual([]);
      expect(
        (await call(t, 'GET', `/v1/recommendations/${recommendationId}`, { key: other })).status,
      ).toBe(404);
    });

    it('refuses a recommender everything else with 403', async () => {
      for (const [method, path, json] of [
        ['GET', '/v1/experts', undefined],
        ['POST', '/v1/experts', { id: 'x' }],
        ['GET', '/v1/organizations', undefined],
        ['GET', '/v1/tasks', undefined],
        ['GET', '/v1/audit', undefined],
        ['POST', `/v1/recommendations/${recommendationId}/approve`, { reason: '自己批准' }],
        ['POST', `/v1/recommendations/${recommendationId}/withdraw`, { reason: '撤回' }],
        ['POST', '/v1/keys', { role: 'admin', label: 'x' }],
      ] as const) {
        const response = await call(t, method, path, {
          key: recommender,
          ...(json === undefined ? {} : { json }),
        });
        expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 403`);
      }
    });

    it('is reviewed by the province like a city’s: approval opens the provincial record on the admission path (第十条)', async () => {
      const before = await countAuditEntries(t);
      const approved = await call(t, 'POST', `/v1/recommendations/${recommendationId}/approve`, {
        key: 'yn.admin',
        json: { reason: '符合条件，进入审核程序' },
      });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        state: 'approved',
        admittedExpertId: `province:${recommendationId}`,
      });
      expect(await countAuditEntries(t)).toBe(before + 2);
      const admitted = await call(t, 'GET', `/v1/experts/province:${recommendationId}`, {
        key: 'yn.admin',
      });
      expect(admitted.body).toMatchObject({
        name: '杨卫东',
        tier: 'province',
        status: 'recommended',
        employer: { id: 'org-kgjt', name: '昆明钢铁控股有限公司', kind: 'enterprise' },
        poolAuthorityId: 'yn-yjt',
      });
      for (const action of ['start-review', 'approve']) {
        const step = await call(
          t,
          'POST',
          `/v1/experts/province:${recommendationId}/actions/${action}`,
          { key: 'yn.admin', json: { reason: '审核' } },
        );
        expect(step.status).toBe(200);
      }
      const seen = await call(t, 'GET', `/v1/recommendations/${recommendationId}`, {
        key: recommender,
      });
      expect(seen.body).toMatchObject({
        state: 'approved',
        decisionReason: '符合条件，进入审核程序',
      });
    });

    it('names recommender only on the recommending operations in the OpenAPI document (x-roles)', async () => {
      expect(ROLES).toContain('recommender');
      const document = (await call(t, 'GET', '/openapi.json')).body as {
        paths: Record<string, Record<string, { operationId?: string; 'x-roles'?: string[] }>>;
      };
      const allowing = Object.values(document.paths)
        .flatMap((item) => Object.values(item))
        .filter((operation) => (operation['x-roles'] ?? []).includes('recommender'))
        .map((operation) => operation.operationId)
        .sort();
      expect(allowing).toEqual(RECOMMENDER_OPERATIONS);
    });
  },
);
