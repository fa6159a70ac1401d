import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeActiveExpert, makeExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

describe.each(backends)('experts on %s', (kind) => {
  let t: TestContext;
  const auditCount = () => countAuditEntries(t);

  beforeAll(async () => {
    t = await createTestContext(kind);
  });
  afterAll(() => t.close());

  describe('create and read', () => {
    it('adds an expert to the provincial pool and returns it with personal data to the admin', async () => {
      const created = await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeExpert({ id: 'e-c1' }),
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: 'e-c1',
        status: 'applied',
        appointment: null,
        phone: '13812345678',
        birthDate: '1975-06-15',
        poolAuthorityId: 'yn-yjt',
        personalDataMasked: false,
        profileUpdatedAt: t.clock.now().toISOString(),
      });
    });

    it.each(['dispatcher', 'viewer'] as const)(
      'masks phone and leaves out ID number and birth date for a %s (第十九条)',
      async (role) => {
        const read = await call(t, 'GET', '/v1/experts/e-c1', { key: `km.${role}` });
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({
          phone: '138****5678',
          birthYear: 1975,
          personalDataMasked: true,
        });
        expect(read.body).not.toHaveProperty('birthDate');
        expect(read.body).not.toHaveProperty('idNumber');
        expect(read.text).not.toContain('13812345678');
      },
    );

    it('shows personal data to an auditor', async () => {
      const read = await call(t, 'GET', '/v1/experts/e-c1', { key: 'yn.auditor' });
      expect(read.body).toMatchObject({ phone: '13812345678', idNumber: '53010219750615123X' });
    });

    it('refuses a second expert with the same id with a 409 problem', async () => {
      const again = await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeExpert({ id: 'e-c1' }),
      });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'already_exists' });
    });

    it('answers an unknown expert with a 404 problem', async () => {
      const read = await call(t, 'GET', '/v1/experts/nobody', { key: 'yn.viewer' });
      expect(read.status).toBe(404);
      expect(read.body).toMatchObject({ code: 'not_found' });
    });
  });

  describe('validation', () => {
    it('reports every bad field with its path, and writes nothing', async () => {
      const before = await auditCount();
      const response = await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeExpert({
          id: 'e-bad',
          birthDate: '1975-02-30',
          industries: ['metallurgy', 'machinery', 'steel'],
          practiceYears: 'ten',
          employer: { id: 'org-1', name: 'x', kind: 'factory' },
          nickname: '老张',
        }),
      });
      expect(response.status).toBe(422);
      expect(response.contentType).toBe('application/problem+json');
      expect(response.body.errors?.map((e) => e.path).sort()).toEqual(
        ['birthDate', 'employer.kind', 'industries.2', 'nickname', 'practiceYears'].sort(),
      );
      expect((await call(t, 'GET', '/v1/experts/e-bad', { key: 'yn.admin' })).status).toBe(404);
      expect(await auditCount()).toBe(before);
    });

    it.each([
      ['a wrong type for the whole body', [1, 2, 3]],
      ['null', null],
      ['a string', 'expert'],
    ])('refuses %s with a 422 problem', async (_name, json) => {
      const response = await call(t, 'POST', '/v1/experts', { key: 'yn.admin', json });
      expect(response.status).toBe(422);
    });

    it('refuses an expert outside the authority’s own pool tier', async () => {
      const response = await call(t, 'POST', '/v1/experts', {
        key: 'km.admin',
        json: makeExpert({ id: 'e-wrong-tier', tier: 'province' }),
      });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([
        { path: 'tier', message: expect.stringContaining('city') },
      ]);
    });
  });

  describe('unicode in names', () => {
    const accepted: readonly [string, string][] = [
      ['a supplementary-plane character (surrogate pair)', '𠀀𠀁明'],
      ['combining marks', 'Zoe\u0301 Ange\u0300le'],
      ['right-to-left text', 'مرحبا بالعالم'],
      ['emoji with joiners', '👩‍🔬 李 🚒'],
      ['the longest allowed name', '龘'.repeat(100)],
    ];
    it.each(accepted)('stores %s exactly', async (_name, name) => {
      const id = `e-u${Buffer.from(name).toString('hex').slice(0, 12)}`;
      const created = await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeExpert({ id, name }),
      });
      expect(created.status).toBe(201);
      const read = await call(t, 'GET', `/v1/experts/${id}`, { key: 'yn.admin' });
      expect(read.body.name).toBe(name);
    });

    const refused: readonly [string, string, string][] = [
      ['a name over 100 characters', '龘'.repeat(101), 'name'],
      ['a NUL character', 'Li\u0000Ming', 'name'],
      ['a lone surrogate', 'Li\ud800Ming', 'name'],
      ['only whitespace', ' \t ', 'name'],
    ];
    it.each(refused)('refuses %s with a 422 problem, never a 500', async (_name, name, path) => {
      const response = await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeExpert({ id: 'e-unicode-bad', name }),
      });
      expect(response.status).toBe(422);
      expect(response.body.errors?.[0]?.path).toBe(path);
      expect((await call(t, 'GET', '/v1/experts/e-unicode-bad', { key: 'yn.admin' })).status).toBe(
        404,
      );
    });

    it('finds a name by a combining-mark query', async () => {
      const list = await call(t, 'GET', `/v1/experts?q=${encodeURIComponent('Zoe\u0301')}`, {
        key: 'yn.viewer',
      });
      expect(list.body.items?.map((e) => e.name)).toEqual(['Zoe\u0301 Ange\u0300le']);
    });
  });

  describe('update', () => {
    it('stamps profileUpdatedAt on every update (第八条（一）)', async () => {
      t.clock.set('2026-04-01T10:00:00+08:00');
      const patched = await call(t, 'PATCH', '/v1/experts/e-c1', {
        key: 'yn.admin',
        json: { practiceYears: 22, specialties: ['dust_explosion'] },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        practiceYears: 22,
        specialties: ['dust_explosion'],
        profileUpdatedAt: '2026-04-01T02:00:00.000Z',
        name: '张明华',
      });
      t.clock.set('2026-04-02T10:00:00+08:00');
      const confirmed = await call(t, 'PATCH', '/v1/experts/e-c1', { key: 'yn.admin', json: {} });
      expect(confirmed.body.profileUpdatedAt).toBe('2026-04-02T02:00:00.000Z');
    });

    it('removes the ID number when sent null', async () => {
      const patched = await call(t, 'PATCH', '/v1/experts/e-c1', {
        key: 'yn.admin',
        json: { idNumber: null },
      });
      expect(patched.body).not.toHaveProperty('idNumber');
    });

    it.each([
      [{ status: 'active' }, 'status'],
      [{ tier: 'city' }, 'tier'],
      [{ appointment: { from: '2026-01-01', to: '2028-12-31', sealed: true } }, 'appointment'],
      [{ birthDate: 'yesterday' }, 'birthDate'],
      [{ industries: ['metallurgy', 'gold'] }, 'industries.1'],
    ])('refuses %j (lifecycle fields change through actions only)', async (json, path) => {
      const response = await call(t, 'PATCH', '/v1/experts/e-c1', { key: 'yn.admin', json });
      expect(response.status).toBe(422);
      expect(response.body.errors?.map((e) => e.path)).toContain(path);
    });
  });

  describe('pools (第二十一条, 第二十六条)', () => {
    beforeAll(async () => {
      const local = await call(t, 'POST', '/v1/experts', {
        key: 'km.admin',
        json: makeActiveExpert({ id: 'e-km1', tier: 'city', region: '530103' }),
      });
      expect(local.status).toBe(201);
    });

    it('shows a local pool to its own authority only; others get 404, not 403', async () => {
      expect((await call(t, 'GET', '/v1/experts/e-km1', { key: 'km.viewer' })).status).toBe(200);
      for (const key of ['dl.admin', 'wh.admin', 'yn.auditor'] as const) {
        const response = await call(t, 'GET', '/v1/experts/e-km1', { key });
        expect(response.status).toBe(404);
        const list = await call(t, 'GET', '/v1/experts?limit=500', { key });
        expect(list.body.items?.map((e) => e.id)).not.toContain('e-km1');
      }
      const patch = await call(t, 'PATCH', '/v1/experts/e-km1', { key: 'dl.admin', json: {} });
      expect(patch.status).toBe(404);
    });

    it('shows the provincial pool to every tier but lets only its owner change it', async () => {
      expect((await call(t, 'GET', '/v1/experts/e-c1', { key: 'wh.viewer' })).status).toBe(200);
      const patch = await call(t, 'PATCH', '/v1/experts/e-c1', { key: 'km.admin', json: {} });
      expect(patch.status).toBe(403);
      expect(patch.body).toMatchObject({ code: 'forbidden' });
    });
  });

  describe('list', () => {
    beforeAll(async () => {
      const experts = [
        makeActiveExpert({
          id: 'L-03',
          name: '王烟草',
          group: 'building_light_textile_tobacco_commerce',
          industries: ['tobacco'],
          specialties: ['dust_explosion'],
          region: '530402',
          employer: { id: 'org-ht', name: '红塔烟草集团', kind: 'enterprise' },
        }),
        makeActiveExpert({ id: 'L-01', name: '李冶金', region: '532901' }),
        makeActiveExpert({
          id: 'L-02',
          name: '赵综合',
          group: 'comprehensive',
          industries: ['commerce', 'textiles'],
          specialties: ['fire'],
          region: '530111',
          employer: { id: 'org-kl', name: '昆明理工大学', kind: 'university' },
        }),
        makeExpert({ id: 'L-04', name: '钱申请', region: '530102' }),
      ];
      for (const json of experts) {
        expect((await call(t, 'POST', '/v1/experts', { key: 'yn.admin', json })).status).toBe(201);
      }
    });

    const ids = async (query: string) =>
      (await call(t, 'GET', `/v1/experts?limit=500&${query}`, { key: 'yn.viewer' })).body.items
        ?.map((e) => e.id)
        .filter((id) => id?.startsWith('L-'));

    it.each([
      ['group=comprehensive', ['L-02']],
      ['industry=tobacco', ['L-03']],
      ['specialty=fire', ['L-02']],
      ['region=530400', ['L-03']],
      ['region=530100', ['L-02', 'L-04']],
      ['region=532901', ['L-01']],
      ['region=530000', ['L-01', 'L-02', 'L-03', 'L-04']],
      ['status=applied', ['L-04']],
      [`q=${encodeURIComponent('冶金')}`, ['L-01']],
      [`q=${encodeURIComponent('理工')}`, ['L-02']],
      [`q=${encodeURIComponent('%')}`, []],
      ['industry=metallurgy&status=active', ['L-01']],
    ])('filters by %s', async (query, expected) => {
      expect(await ids(query)).toEqual(expected);
    });

    it('pages through every expert once, in id order, with an opaque cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null | undefined = null;
      do {
        const page: Awaited<ReturnType<typeof call>> = await call(
          t,
          'GET',
          `/v1/experts?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          { key: 'yn.viewer' },
        );
        expect(page.status).toBe(200);
        expect(page.body.items?.length).toBeLessThanOrEqual(2);
        seen.push(...(page.body.items ?? []).map((e) => String(e.id)));
        cursor = page.body.nextCursor;
      } while (cursor);
      const all = await call(t, 'GET', '/v1/experts?limit=500', { key: 'yn.viewer' });
      expect(seen).toEqual(all.body.items?.map((e) => e.id));
      expect([...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(seen);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it.each([
      ['cursor=not-a-cursor', 'query.cursor'],
      ['limit=0', 'query.limit'],
      ['limit=many', 'query.limit'],
      ['industry=steel', 'query.industry'],
      ['status=retired', 'query.status'],
      ['region=12345', 'query.region'],
    ])('refuses %s with a 422 naming %s', async (query, path) => {
      const response = await call(t, 'GET', `/v1/experts?${query}`, { key: 'yn.viewer' });
      expect(response.status).toBe(422);
      expect(response.body.errors?.map((e) => e.path)).toContain(path);
    });
  });
});
