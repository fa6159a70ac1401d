import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experts, notices } from '../db/schema.js';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();
const NUMBER = /^云应急专家〔(\d{4})〕第(\d{4})号$/;

describe.each(backends)('certificates with public verification (第十一条) on %s', (kind) => {
  let t: TestContext;
  const act = (id: string, action: string, json: Record<string, unknown>) =>
    call(t, 'POST', `/v1/experts/${id}/actions/${action}`, { key: 'yn.admin', json });
  const certificateOf = async (id: string) =>
    (await call(t, 'GET', `/v1/experts/${id}/certificate`, { key: 'yn.viewer' })).body;
  const verify = (number: string) =>
    call(t, 'GET', `/v1/public/certificates/${encodeURIComponent(number)}`);
  const numberOf = async (id: string) => {
    const current = (await certificateOf(id)).current as { number: string } | null;
    return current?.number ?? '';
  };

  beforeAll(async () => {
    t = await createTestContext(kind);
    for (const [id, idNumber] of [
      ['c-1', '530102197506151111'],
      ['c-2', '530102197506152222'],
    ] as const) {
      const created = await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeActiveExpert({
          id,
          idNumber,
          name: id === 'c-1' ? '李华' : '陈静',
          phone: id === 'c-1' ? '13812345678' : '13812340002',
          appointment: { from: '2026-03-01', to: '2029-02-28', sealed: false },
        }),
      });
      expect(created.status).toBe(201);
    }
    // Setup time for a loaded machine (a fresh database and its migrations).
  }, 180_000);
  afterAll(() => t.close());

  it('issues a numbered certificate per term on appointment, unsealed (第十一条)', async () => {
    const body = await certificateOf('c-1');
    expect(body.current).toMatchObject({
      expertId: 'c-1',
      term: { from: '2026-03-01', to: '2029-02-28' },
      state: 'not_sealed',
      sealedAt: null,
      revokedAt: null,
    });
    const first = NUMBER.exec(await numberOf('c-1'));
    const second = NUMBER.exec(await numberOf('c-2'));
    expect(first?.[1]).toBe('2026');
    expect(Number(second?.[2])).toBe(Number(first?.[2]) + 1);
    expect(String((body.current as { verificationUrl: string }).verificationUrl)).toMatch(
      /\/certificates\/%E4%BA%91/,
    );
  });

  it('verifies not_sealed before the seal and valid after it, without personal data (第十一条：盖章方可生效)', async () => {
    const number = await numberOf('c-1');
    const before = await verify(number);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ number, state: 'not_sealed', name: '李华' });
    const audit = await countAuditEntries(t);
    expect((await act('c-1', 'seal', { reason: '聘书已盖章' })).status).toBe(200);
    expect(await countAuditEntries(t)).toBe(audit + 1);
    const after = await verify(number);
    expect(after.body).toEqual({
      number,
      state: 'valid',
      stateLabel: { zh: '有效', en: 'Valid' },
      name: '李华',
      term: { from: '2026-03-01', to: '2029-02-28' },
    });
    expect(after.text).not.toContain('13812345678');
    expect(after.text).not.toContain('530102197506151111');
  });

  it('says lapsed once the term has ended (第十一条：到期后自动失效)', async () => {
    const number = await numberOf('c-1');
    t.clock.set('2029-02-28T23:59:00+08:00');
    expect((await verify(number)).body.state).toBe('valid');
    t.clock.set('2029-03-01T00:00:00+08:00');
    expect((await verify(number)).body.state).toBe('lapsed');
    t.clock.set('2026-03-02T09:00:00+08:00');
  });

  it('says revoked after a dismissal (第二十三条)', async () => {
    const number = await numberOf('c-2');
    expect((await act('c-2', 'seal', { reason: '盖章' })).status).toBe(200);
    expect((await verify(number)).body.state).toBe('valid');
    const dismissed = await act('c-2', 'dismiss', {
      reason: '严重违反纪律',
      evidence: [{ kind: 'document', ref: '调查报告〔2026〕3号' }],
    });
    expect(dismissed.status).toBe(200);
    expect((await verify(number)).body.state).toBe('revoked');
    expect((await certificateOf('c-2')).current).toMatchObject({ state: 'revoked' });
  });

  it('issues a new number for a renewed term and keeps the old one (第十一条：重新颁发聘书)', async () => {
    const old = await numberOf('c-1');
    // Whatever path renews (the renew action after its notice, an import), the new term is the
    // expert's appointment: the certificate follows it.
    await t.database.db
      .update(experts)
      .set({ appointment: { from: '2029-03-01', to: '2032-02-29', sealed: false } })
      .where(eq(experts.id, 'c-1'));
    const body = await certificateOf('c-1');
    const items = body.items as { number: string; term: { from: string }; state: string }[];
    expect(items.map((i) => i.term.from)).toEqual(['2029-03-01', '2026-03-01']);
    expect(items[1]?.number).toBe(old);
    expect(items[0]?.number).toBe('云应急专家〔2029〕第0001号');
    expect(items[0]?.state).toBe('not_sealed');
  });

  it('finds nothing for another number, and never answers with another shape', async () => {
    const missing = await verify('云应急专家〔2026〕第9999号');
    expect(missing.status).toBe(404);
    expect((await verify('not a number')).status).toBe(404);
    const page = await call(
      t,
      'GET',
      `/certificates/${encodeURIComponent('云应急专家〔2026〕第9999号')}`,
    );
    expect(page.status).toBe(404);
    expect(page.text).toContain('未找到编号');
  });

  it('serves the public page and the A4 page with an inline QR code, no script', async () => {
    const items = (await certificateOf('c-1')).items as { number: string }[];
    const number = items[1]?.number ?? '';
    const page = await call(t, 'GET', `/certificates/${encodeURIComponent(number)}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('李华');
    expect(page.text).toContain('data-state="valid">有效');
    const a4 = await call(t, 'GET', '/v1/experts/c-2/certificate?format=html', {
      key: 'yn.admin',
    });
    expect(a4.status).toBe(200);
    expect(a4.contentType).toContain('text/html');
    expect(a4.text).toContain('云南省应急管理厅');
    expect(a4.text).toContain('<svg');
    expect(a4.text).not.toContain('<script');
    expect(a4.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('shows a county’s pool certificates to that county only, and refuses a dispatcher', async () => {
    expect((await call(t, 'GET', '/v1/experts/c-1/certificate', { key: 'km.viewer' })).status).toBe(
      200,
    );
    expect(
      (await call(t, 'GET', '/v1/experts/c-1/certificate', { key: 'yn.dispatcher' })).status,
    ).toBe(403);
    expect((await call(t, 'GET', '/v1/experts/none/certificate', { key: 'yn.admin' })).status).toBe(
      404,
    );
  });

  it('shows the signed-in expert their own certificate under /v1/self, and no one else’s', async () => {
    expect(
      (await call(t, 'POST', '/v1/self/login', { json: { phone: '13812345678' } })).status,
    ).toBe(202);
    const [notice] = await t.database.db
      .select({ body: notices.body })
      .from(notices)
      .where(and(eq(notices.expertId, 'c-1'), eq(notices.kind, 'self_login')))
      .orderBy(desc(notices.createdAt))
      .limit(1);
    const code = /\d{6}/.exec(notice?.body ?? '')?.[0] ?? '';
    const session = await call(t, 'POST', '/v1/self/session', {
      json: { phone: '13812345678', code },
    });
    expect(session.status, session.text).toBe(201);
    const own = await call(t, 'GET', '/v1/self/certificate', {
      key: { secret: String(session.body.token) },
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ expertId: 'c-1', expertName: '李华' });
    expect((own.body.items as unknown[]).length).toBe(2);
    expect((await call(t, 'GET', '/v1/self/certificate', { key: 'yn.admin' })).status).toBe(401);
  });
});
