import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../http/app-env.js';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();
const ROLE_NAMES: readonly Role[] = ['admin', 'dispatcher', 'auditor', 'viewer'];

describe.each(backends)('access on %s', (kind) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(kind);
    const created = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({ id: 'e-m1' }),
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => t.close());

  describe('authentication', () => {
    it.each([
      ['no header', {}],
      ['an unknown key', { authorization: 'Bearer edk_not-a-key' }],
      ['another scheme', { authorization: `Basic dXNlcjpwYXNz` }],
      ['an empty bearer', { authorization: 'Bearer ' }],
    ])('answers %s with a 401 problem', async (_name, headers) => {
      const response = await call(t, 'GET', '/v1/experts', { headers });
      expect(response.status).toBe(401);
      expect(response.contentType).toBe('application/problem+json');
      expect(response.body).toMatchObject({ code: 'unauthenticated', status: 401 });
    });

    it('tells a key who it is', async () => {
      const me = await call(t, 'GET', '/v1/me', { key: 'km.dispatcher' });
      expect(me.body).toEqual({
        keyId: t.keyIds['km.dispatcher'],
        authorityId: 'km-yjj',
        tier: 'city',
        region: '530100',
        role: 'dispatcher',
      });
    });
  });

  describe('the role matrix (第二十一条, 第二十六条)', () => {
    const ROUTES: readonly {
      method: string;
      path: string;
      json?: (role: Role) => unknown;
      allowed: readonly Role[];
      ok: number;
    }[] = [
      { method: 'GET', path: '/v1/experts', allowed: ROLE_NAMES, ok: 200 },
      { method: 'GET', path: '/v1/experts/e-m1', allowed: ROLE_NAMES, ok: 200 },
      { method: 'GET', path: '/v1/experts/export?format=csv', allowed: ROLE_NAMES, ok: 200 },
      { method: 'GET', path: '/v1/experts/e-m1/conflicts', allowed: ROLE_NAMES, ok: 200 },
      { method: 'GET', path: '/v1/organizations', allowed: ROLE_NAMES, ok: 200 },
      {
        method: 'POST',
        path: '/v1/experts',
        json: (role) => makeActiveExpert({ id: `e-role-${role}` }),
        allowed: ['admin'],
        ok: 201,
      },
      {
        method: 'PATCH',
        path: '/v1/experts/e-m1',
        json: () => ({ practiceYears: 21 }),
        allowed: ['admin'],
        ok: 200,
      },
      {
        method: 'POST',
        path: '/v1/experts/e-m1/actions/warn',
        json: () => ({
          reason: '两次无故拒绝',
          evidence: [{ kind: 'document', ref: '约谈记录1号' }],
        }),
        allowed: ['admin'],
        ok: 200,
      },
      {
        method: 'POST',
        path: '/v1/experts/import?dryRun=true',
        json: () => ({ experts: [] }),
        allowed: ['admin'],
        ok: 200,
      },
      {
        method: 'POST',
        path: '/v1/organizations',
        json: (role) => ({ id: `org-${role}`, name: '某单位', kind: 'enterprise' }),
        allowed: ['admin'],
        ok: 201,
      },
      { method: 'GET', path: '/v1/keys', allowed: ['admin'], ok: 200 },
      {
        method: 'POST',
        path: '/v1/keys',
        json: () => ({ role: 'viewer', label: 'x' }),
        allowed: ['admin'],
        ok: 201,
      },
      { method: 'GET', path: '/v1/audit', allowed: ['admin', 'auditor'], ok: 200 },
      { method: 'GET', path: '/v1/audit/verify', allowed: ['admin', 'auditor'], ok: 200 },
    ];
    const cases = ROUTES.flatMap((route) =>
      ROLE_NAMES.map((role) => ({
        ...route,
        role,
        expected: route.allowed.includes(role) ? route.ok : 403,
      })),
    );

    it.each(cases)(
      '$method $path as $role → $expected',
      async ({ method, path, json, role, expected }) => {
        const response = await call(t, method, path, {
          key: `yn.${role}`,
          ...(json ? { json: json(role) } : {}),
        });
        expect(response.status).toBe(expected);
        if (expected === 403) expect(response.body).toMatchObject({ code: 'forbidden' });
      },
    );
  });

  describe('API keys', () => {
    it('shows a new key once, which then works, and only its hash is stored', async () => {
      const created = await call(t, 'POST', '/v1/keys', {
        key: 'km.admin',
        json: { role: 'viewer', label: '昆明只读' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        authorityId: 'km-yjj',
        role: 'viewer',
        label: '昆明只读',
      });
      const secret = String(created.body.key);
      expect(secret).toMatch(/^edk_[A-Za-z0-9_-]{43}$/);
      expect((await call(t, 'GET', '/v1/me', { key: { secret } })).body).toMatchObject({
        role: 'viewer',
      });
      const listed = await call(t, 'GET', '/v1/keys', { key: 'km.admin' });
      expect(JSON.stringify(listed.body)).not.toContain(secret);
    });

    it('lets a provincial admin onboard a county, and refuses a city admin doing the same', async () => {
      const county = { id: 'gd-yjj', tier: 'county', region: '530111', name: '官渡区应急管理局' };
      const refused = await call(t, 'POST', '/v1/keys', {
        key: 'km.admin',
        json: { role: 'admin', label: 'x', authority: county },
      });
      expect(refused.status).toBe(403);
      const created = await call(t, 'POST', '/v1/keys', {
        key: 'yn.admin',
        json: { role: 'admin', label: '官渡区管理员', authority: county },
      });
      expect(created.status).toBe(201);
      const me = await call(t, 'GET', '/v1/me', { key: { secret: String(created.body.key) } });
      expect(me.body).toMatchObject({ authorityId: 'gd-yjj', tier: 'county', region: '530111' });
    });

    it('refuses an authority whose tier or region contradicts the registered one', async () => {
      const response = await call(t, 'POST', '/v1/keys', {
        key: 'yn.admin',
        json: {
          role: 'viewer',
          label: 'x',
          authority: { id: 'km-yjj', tier: 'county', region: '530100' },
        },
      });
      expect(response.status).toBe(422);
      expect(response.body.errors?.[0]?.path).toBe('authority');
    });

    it('refuses unknown roles and fields with field paths', async () => {
      const response = await call(t, 'POST', '/v1/keys', {
        key: 'yn.admin',
        json: { role: 'root', label: 'x', scope: 'all' },
      });
      expect(response.status).toBe(422);
      expect(response.body.errors?.map((e) => e.path).sort()).toEqual(['role', 'scope']);
    });

    it('lists only its own authority’s keys to a city admin, all to the province', async () => {
      const city = await call(t, 'GET', '/v1/keys', { key: 'km.admin' });
      const authoritiesSeen = new Set(city.body.items?.map((k) => k.authorityId));
      expect([...authoritiesSeen]).toEqual(['km-yjj']);
      const province = await call(t, 'GET', '/v1/keys', { key: 'yn.admin' });
      expect(new Set(province.body.items?.map((k) => k.authorityId)).size).toBeGreaterThanOrEqual(
        4,
      );
    });

    it('revokes a key, which then fails with 401; another authority’s key is a 404', async () => {
      const created = await call(t, 'POST', '/v1/keys', {
        key: 'dl.admin',
        json: { role: 'viewer', label: 'tmp' },
      });
      const id = String(created.body.id);
      const secret = { secret: String(created.body.key) };
      // Used first, so that this process remembers the key before it is revoked.
      expect((await call(t, 'GET', '/v1/me', { key: secret })).status).toBe(200);
      const hidden = await call(t, 'DELETE', `/v1/keys/${id}`, { key: 'km.admin' });
      expect(hidden.status).toBe(404);
      const revoked = await call(t, 'DELETE', `/v1/keys/${id}`, { key: 'dl.admin' });
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      const after = await call(t, 'GET', '/v1/me', { key: secret });
      expect(after.status).toBe(401);
    });
  });
});
