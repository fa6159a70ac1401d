import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

/** Revoking a key from the desk's keys page (密钥管理): own authority, confirmed, audited. */
describe('revoking an API key from the desk', () => {
  let t: TestContext;
  let cookie = '';
  let csrf = '';

  const signIn = async (key: string) => {
    const signed = await call(t, 'POST', '/desk/login', {
      body: new URLSearchParams({ key, next: '/desk' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(signed.status, signed.text).toBe(303);
    const session = (signed.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await call(t, 'GET', '/desk/keys', { headers: { cookie: session } });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    return { session, token };
  };
  const issue = async (key: 'yn.admin' | 'km.admin') => {
    const issued = await call(t, 'POST', '/v1/keys', {
      key,
      json: { role: 'viewer', label: 'revoke test' },
    });
    expect(issued.status, issued.text).toBe(201);
    return { id: String(issued.body.id), secret: String(issued.body.key) };
  };
  const revoke = (id: string, form: Record<string, string>, as = { cookie, csrf }) =>
    call(t, 'POST', `/desk/keys/${id}/revoke`, {
      body: new URLSearchParams({ _csrf: as.csrf, ...form }).toString(),
      headers: { cookie: as.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });

  beforeAll(async () => {
    t = await createTestContext('pglite');
    ({ session: cookie, token: csrf } = await signIn(t.keys['yn.admin']));
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('revokes a confirmed key of the own authority, audited, refused with 401 at once', async () => {
    const key = await issue('yn.admin');
    // The key authenticated once, so this process has it cached.
    expect((await call(t, 'GET', '/v1/me', { key: { secret: key.secret } })).status).toBe(200);
    const page = await call(t, 'GET', '/desk/keys', { headers: { cookie } });
    expect(page.text).toContain(`action="/desk/keys/${key.id}/revoke"`);

    const before = await countAuditEntries(t);
    const unconfirmed = await revoke(key.id, {});
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.text).toContain('请先勾选确认框');
    expect((await call(t, 'GET', '/v1/me', { key: { secret: key.secret } })).status).toBe(200);

    const revoked = await revoke(key.id, { confirm: 'yes' });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.text).toContain('id="key-revoked"');
    expect(revoked.text).not.toContain(`action="/desk/keys/${key.id}/revoke"`);
    expect(await countAuditEntries(t)).toBe(before + 1);
    expect((await call(t, 'GET', '/v1/me', { key: { secret: key.secret } })).status).toBe(401);
  });

  it.each([
    ['without the form token', 'yn.admin', { confirm: 'yes', _csrf: 'forged' }],
    ['for a key of another authority, even by a provincial admin', 'km.admin', { confirm: 'yes' }],
  ] as const)('refuses a revocation %s (403)', async (_, issuer, form) => {
    const key = await issue(issuer);
    const before = await countAuditEntries(t);
    expect((await revoke(key.id, form)).status).toBe(403);
    expect(await countAuditEntries(t)).toBe(before);
    expect((await call(t, 'GET', '/v1/me', { key: { secret: key.secret } })).status).toBe(200);
  });

  it('answers 404 for an unknown key and 403 to a dispatcher', async () => {
    expect((await revoke('k-unknown', { confirm: 'yes' })).status).toBe(404);
    const key = await issue('yn.admin');
    const dispatcher = await signIn(t.keys['yn.dispatcher']);
    expect(
      (
        await revoke(
          key.id,
          { confirm: 'yes' },
          { cookie: dispatcher.session, csrf: dispatcher.token },
        )
      ).status,
    ).toBe(403);
  });
});
