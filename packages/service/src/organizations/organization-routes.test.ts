import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

describe.each(backends)('organisations and declared conflicts on %s', (kind) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(kind);
    for (const json of [
      {
        id: 'org-ynaq',
        name: '云南安泰安全评价检测有限公司',
        kind: 'evaluation_agency',
        region: '530100',
      },
      { id: 'org-kmgt', name: '昆明钢铁控股有限公司', kind: 'enterprise' },
      { id: 'org-ynsj', name: '昆明有色冶金设计研究院', kind: 'design_institute' },
    ]) {
      expect((await call(t, 'POST', '/v1/organizations', { key: 'yn.admin', json })).status).toBe(
        201,
      );
    }
    await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({ id: 'e-1' }),
    });
    await call(t, 'POST', '/v1/experts', {
      key: 'km.admin',
      json: makeActiveExpert({ id: 'e-km', tier: 'city' }),
    });
  });
  afterAll(() => t.close());

  describe('organisations', () => {
    it('reads one back and lists with a text search and kind filter', async () => {
      const one = await call(t, 'GET', '/v1/organizations/org-ynaq', { key: 'wh.viewer' });
      expect(one.body).toMatchObject({
        id: 'org-ynaq',
        kind: 'evaluation_agency',
        region: '530100',
      });
      const found = await call(t, 'GET', `/v1/organizations?q=${encodeURIComponent('昆明')}`, {
        key: 'wh.viewer',
      });
      expect(found.body.items?.map((o) => o.id)).toEqual(['org-kmgt', 'org-ynsj']);
      const kindFilter = await call(t, 'GET', '/v1/organizations?kind=design_institute', {
        key: 'wh.viewer',
      });
      expect(kindFilter.body.items?.map((o) => o.id)).toEqual(['org-ynsj']);
    });

    it('pages with a cursor', async () => {
      const first = await call(t, 'GET', '/v1/organizations?limit=2', { key: 'yn.viewer' });
      expect(first.body.items).toHaveLength(2);
      const second = await call(
        t,
        'GET',
        `/v1/organizations?limit=2&cursor=${first.body.nextCursor}`,
        { key: 'yn.viewer' },
      );
      expect(second.body.items?.map((o) => o.id)).toEqual(['org-ynsj']);
      expect(second.body.nextCursor).toBeNull();
    });

    it('updates with an audit entry, refuses duplicates and unknown kinds', async () => {
      const patched = await call(t, 'PATCH', '/v1/organizations/org-kmgt', {
        key: 'km.admin',
        json: { region: '530181' },
      });
      expect(patched.body).toMatchObject({ region: '530181', name: '昆明钢铁控股有限公司' });
      const dup = await call(t, 'POST', '/v1/organizations', {
        key: 'yn.admin',
        json: { id: 'org-kmgt', name: 'x', kind: 'enterprise' },
      });
      expect(dup.status).toBe(409);
      const bad = await call(t, 'POST', '/v1/organizations', {
        key: 'yn.admin',
        json: { id: 'org-x', name: 'x', kind: 'factory' },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.errors?.[0]?.path).toBe('kind');
      const missing = await call(t, 'PATCH', '/v1/organizations/org-none', {
        key: 'yn.admin',
        json: { name: 'y' },
      });
      expect(missing.status).toBe(404);
    });
  });

  describe('declared conflicts (第八条（四）, 第十六条（一）)', () => {
    it('declares a conflict with a registered organisation, lists it and withdraws it', async () => {
      const declared = await call(t, 'POST', '/v1/experts/e-1/conflicts', {
        key: 'yn.admin',
        json: { organizationId: 'org-ynaq', reason: '配偶在该机构任职' },
      });
      expect(declared.status).toBe(200);
      expect(declared.body.items).toEqual([
        { organizationId: 'org-ynaq', reason: '配偶在该机构任职' },
      ]);
      const reworded = await call(t, 'POST', '/v1/experts/e-1/conflicts', {
        key: 'yn.admin',
        json: { organizationId: 'org-ynaq', reason: '曾在该机构任职' },
      });
      expect(reworded.body.items).toEqual([
        { organizationId: 'org-ynaq', reason: '曾在该机构任职' },
      ]);
      const listed = await call(t, 'GET', '/v1/experts/e-1/conflicts', { key: 'km.dispatcher' });
      expect(listed.body.items).toHaveLength(1);
      const expert = await call(t, 'GET', '/v1/experts/e-1', { key: 'km.dispatcher' });
      expect(expert.body.conflicts).toEqual([
        { organizationId: 'org-ynaq', reason: '曾在该机构任职' },
      ]);
      const withdrawn = await call(
        t,
        'DELETE',
        `/v1/experts/e-1/conflicts/org-ynaq?reason=${encodeURIComponent('已离职三年')}`,
        { key: 'yn.admin' },
      );
      expect(withdrawn.body.items).toEqual([]);
      const audit = await call(t, 'GET', '/v1/audit?entityId=e-1', { key: 'yn.auditor' });
      expect(audit.body.items?.map((e) => [e.action, e.reason])).toEqual([
        ['expert.created', null],
        ['expert.conflict_declared', '配偶在该机构任职'],
        ['expert.conflict_declared', '曾在该机构任职'],
        ['expert.conflict_withdrawn', '已离职三年'],
      ]);
    });

    it('refuses an unregistered organisation with a field path and writes nothing', async () => {
      const before = await countAuditEntries(t);
      const response = await call(t, 'POST', '/v1/experts/e-1/conflicts', {
        key: 'yn.admin',
        json: { organizationId: 'org-unknown', reason: 'x' },
      });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([
        { path: 'organizationId', message: 'not a registered organisation' },
      ]);
      expect(await countAuditEntries(t)).toBe(before);
    });

    it('needs a reason to withdraw, and 404s for a conflict that is not declared', async () => {
      expect(
        (await call(t, 'DELETE', '/v1/experts/e-1/conflicts/org-kmgt', { key: 'yn.admin' })).status,
      ).toBe(422);
      expect(
        (
          await call(t, 'DELETE', '/v1/experts/e-1/conflicts/org-kmgt?reason=x', {
            key: 'yn.admin',
          })
        ).status,
      ).toBe(404);
    });

    it('hides another authority’s expert (404) and keeps viewers read-only (403)', async () => {
      const json = { organizationId: 'org-kmgt', reason: 'x' };
      expect(
        (await call(t, 'GET', '/v1/experts/e-km/conflicts', { key: 'dl.viewer' })).status,
      ).toBe(404);
      expect(
        (await call(t, 'POST', '/v1/experts/e-km/conflicts', { key: 'yn.admin', json })).status,
      ).toBe(404);
      expect(
        (await call(t, 'POST', '/v1/experts/e-1/conflicts', { key: 'yn.viewer', json })).status,
      ).toBe(403);
      expect(
        (await call(t, 'POST', '/v1/experts/e-km/conflicts', { key: 'km.admin', json })).status,
      ).toBe(200);
    });
  });
});
