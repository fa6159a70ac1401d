import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, notices } from '../db/schema.js';
import { PAGE_CSP } from '../http/security-headers.js';
import { makeTaskRequest, postTask, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

type SelfKey = { readonly secret: string };

const PHONE = '13900001111';
const OTHER_PHONE = '13900002222';

describe.each(backends)('expert self-service (第八条（一）（四）) on %s', (kind) => {
  let t: TestContext;
  // Each block starts a fresh hour on the test clock, so no throttle window carries over.
  let hour = 0;
  const nextHour = () => {
    hour += 1;
    t.clock.set(new Date(Date.parse('2026-03-02T09:00:00+08:00') + hour * 3_600_000).toISOString());
  };

  // A second apart, so that the newest notice is the newest code.
  const askCode = (phone: string) => {
    t.clock.set(new Date(t.clock.now().getTime() + 1000).toISOString());
    return call(t, 'POST', '/v1/self/login', { json: { phone } });
  };

  /** The code in the newest login notice of an expert, as their phone would show it. */
  const lastCodeOf = async (expertId: string): Promise<string> => {
    const [notice] = await t.database.db
      .select({ body: notices.body, link: notices.link })
      .from(notices)
      .where(and(eq(notices.expertId, expertId), eq(notices.kind, 'self_login')))
      .orderBy(desc(notices.createdAt))
      .limit(1);
    const code = /\d{6}/.exec(notice?.body ?? '')?.[0];
    if (code === undefined) throw new Error(`no login code for ${expertId}`);
    return code;
  };

  const openSession = (phone: string, code: string) =>
    call(t, 'POST', '/v1/self/session', { json: { phone, code } });

  const signIn = async (expertId: string, phone: string): Promise<SelfKey> => {
    expect((await askCode(phone)).status).toBe(202);
    const session = await openSession(phone, await lastCodeOf(expertId));
    expect(session.status, session.text).toBe(201);
    return { secret: String(session.body.token) };
  };

  const countLoginNotices = async () =>
    (await t.database.db.select().from(notices).where(eq(notices.kind, 'self_login'))).length;

  beforeAll(async () => {
    t = await createTestContext(kind);
    for (const json of [
      { id: 'org-steel', name: '昆明钢铁有限公司', kind: 'enterprise' },
      { id: 'org-mine', name: '某矿业有限公司', kind: 'enterprise' },
    ]) {
      expect((await call(t, 'POST', '/v1/organizations', { key: 'yn.admin', json })).status).toBe(
        201,
      );
    }
    await seedPanelPool(t, 6);
    for (const [id, phone, name] of [
      ['e-self', PHONE, '张明华'],
      ['e-other', OTHER_PHONE, '王立新'],
    ] as const) {
      const created = await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeActiveExpert({
          id,
          phone,
          name,
          birthDate: id === 'e-self' ? '1975-06-15' : '1976-08-20',
          idNumber: undefined,
          employer: { id: `org-${id}`, name: `单位${id}`, kind: 'university' },
          title: 'senior_full',
          industries: ['metallurgy'],
          specialties: ['molten_metal'],
          profileUpdatedAt: '2025-03-01T00:00:00.000Z',
        }),
      });
      expect(created.status, created.text).toBe(201);
    }
  });
  afterAll(() => t.close());

  describe('login by one-time code', () => {
    beforeAll(() => nextHour());

    it('answers an unknown phone exactly as an expert’s phone, and sends a code only to the expert', async () => {
      const before = await countLoginNotices();
      const known = await askCode(PHONE);
      const unknown = await askCode('13700009999');
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(unknown.text).toBe(known.text);
      expect(await countLoginNotices()).toBe(before + 1);
      expect(await lastCodeOf('e-self')).toMatch(/^\d{6}$/);
    });

    it('refuses a wrong code, accepts the right one once, and refuses it reused', async () => {
      // A phone written with spaces is the same phone.
      expect((await askCode('139 0000 1111')).status).toBe(202);
      const code = await lastCodeOf('e-self');
      const wrong = code === '000000' ? '000001' : '000000';
      const refused = await openSession(PHONE, wrong);
      expect(refused.status).toBe(401);
      const opened = await openSession(PHONE, code);
      expect(opened.status, opened.text).toBe(201);
      expect(opened.body).toMatchObject({ expertId: 'e-self' });
      expect(String(opened.body.token)).toMatch(/^eds_[0-9a-f]{64}$/);
      const cookie = opened.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^expert_session=eds_/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      const reused = await openSession(PHONE, code);
      expect(reused.status).toBe(401);
      expect(reused.body.code).toBe('unauthenticated');
    });

    it('refuses a code after its 10 minutes', async () => {
      expect((await askCode(PHONE)).status).toBe(202);
      const code = await lastCodeOf('e-self');
      t.clock.set(new Date(t.clock.now().getTime() + 10 * 60_000 + 1000).toISOString());
      expect((await openSession(PHONE, code)).status).toBe(401);
    });

    it('burns a code after 5 wrong tries: the right code no longer works', async () => {
      nextHour();
      expect((await askCode(PHONE)).status).toBe(202);
      const code = await lastCodeOf('e-self');
      const wrong = code === '000000' ? '000001' : '000000';
      for (let i = 0; i < 5; i++) expect((await openSession(PHONE, wrong)).status).toBe(401);
      expect((await openSession(PHONE, code)).status).toBe(401);
    });

    it('throttles codes per phone, the same way for an unknown phone (429 with Retry-After)', async () => {
      nextHour();
      for (const phone of [PHONE, '13700008888']) {
        for (let i = 0; i < 5; i++) expect((await askCode(phone)).status).toBe(202);
        const limited = await askCode(phone);
        expect(limited.status).toBe(429);
        expect(limited.body.code).toBe('rate_limited');
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    });

    it('throttles codes per address across phones', async () => {
      nextHour();
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) statuses.push((await askCode(`1370000${1000 + i}`)).status);
      expect(statuses.slice(0, 20).every((s) => s === 202)).toBe(true);
      expect(statuses[20]).toBe(429);
    });

    it('ends a session after its hour', async () => {
      nextHour();
      const key = await signIn('e-self', PHONE);
      expect((await call(t, 'GET', '/v1/self/profile', { key })).status).toBe(200);
      t.clock.set(new Date(t.clock.now().getTime() + 61 * 60_000).toISOString());
      expect((await call(t, 'GET', '/v1/self/profile', { key })).status).toBe(401);
    });
  });

  describe('the own record only', () => {
    let key: SelfKey;
    let drawnTaskId = '';
    let drawnMembers: string[] = [];
    beforeAll(async () => {
      nextHour();
      key = await signIn('e-self', PHONE);
    });

    it('keeps self tokens and API keys apart: neither opens the other’s routes', async () => {
      expect((await call(t, 'GET', '/v1/experts/e-self', { key })).status).toBe(401);
      expect((await call(t, 'GET', '/v1/experts', { key })).status).toBe(401);
      expect((await call(t, 'GET', '/v1/self/profile', { key: 'yn.admin' })).status).toBe(401);
      expect((await call(t, 'GET', '/v1/self/profile')).status).toBe(401);
    });

    it('reads the own profile, with its personal data, and never another expert’s', async () => {
      const profile = await call(t, 'GET', '/v1/self/profile', { key });
      expect(profile.body).toMatchObject({ id: 'e-self', phone: PHONE });
      expect(profile.text).not.toContain(OTHER_PHONE);
      expect(profile.text).not.toContain('e-other');
    });

    it('confirms the profile: profileUpdatedAt stamped, audited as the expert (第八条（一）)', async () => {
      const confirmed = await call(t, 'POST', '/v1/self/profile/confirm', { key });
      expect(confirmed.status, confirmed.text).toBe(200);
      expect(confirmed.body.profileUpdatedAt).toBe(t.clock.now().toISOString());
      const [entry] = await t.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, 'expert.self_confirmed'));
      expect(entry).toMatchObject({ actorKeyId: 'self:e-self', entityId: 'e-self' });
    });

    it('updates specialty and contact fields but never identity fields or status', async () => {
      const updated = await call(t, 'PATCH', '/v1/self/profile', {
        key,
        json: { specialties: ['molten_metal', 'gas'], practiceYears: 21 },
      });
      expect(updated.status, updated.text).toBe(200);
      expect(updated.body).toMatchObject({
        specialties: ['molten_metal', 'gas'],
        practiceYears: 21,
      });
      for (const json of [
        { name: '李四' },
        { idNumber: '53010219750615123X' },
        { birthDate: '1980-01-01' },
        { status: 'active' },
      ]) {
        const refused = await call(t, 'PATCH', '/v1/self/profile', { key, json });
        expect(refused.status, JSON.stringify(json)).toBe(422);
      }
      const admin = await call(t, 'GET', '/v1/experts/e-self', { key: 'yn.admin' });
      expect(admin.body).toMatchObject({ name: '张明华', practiceYears: 21 });
    });

    it('cannot withdraw another expert’s conflict: only the own record is reachable', async () => {
      const declared = await call(t, 'POST', '/v1/experts/e-other/conflicts', {
        key: 'yn.admin',
        json: { organizationId: 'org-mine', reason: '曾任安全顾问' },
      });
      expect(declared.status).toBe(200);
      const withdraw = await call(
        t,
        'DELETE',
        `/v1/self/conflicts/org-mine?reason=${encodeURIComponent('不再相关')}`,
        { key },
      );
      expect(withdraw.status).toBe(404);
      const other = await call(t, 'GET', '/v1/experts/e-other/conflicts', { key: 'yn.admin' });
      expect(other.body.items).toEqual([{ organizationId: 'org-mine', reason: '曾任安全顾问' }]);
    });

    it('declares and withdraws an unavailable period', async () => {
      const period = { from: '2026-05-01T00:00:00+08:00', to: '2026-05-05T23:59:00+08:00' };
      const declared = await call(t, 'POST', '/v1/self/unavailable', { key, json: period });
      expect(declared.status, declared.text).toBe(200);
      expect(declared.body.items).toEqual([period]);
      const query = `from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;
      const withdrawn = await call(t, 'DELETE', `/v1/self/unavailable?${query}`, { key });
      expect(withdrawn.body.items).toEqual([]);
    });

    it('declares a conflict with the served enterprise that the next draw honours (第八条（四）)', async () => {
      const declared = await call(t, 'POST', '/v1/self/conflicts', {
        key,
        json: { organizationId: 'org-steel', reason: '配偶在该企业任职' },
      });
      expect(declared.status, declared.text).toBe(200);
      expect(declared.body.items).toEqual([
        { organizationId: 'org-steel', reason: '配偶在该企业任职' },
      ]);
      const unknownOrg = await call(t, 'POST', '/v1/self/conflicts', {
        key,
        json: { organizationId: 'org-none', reason: 'x' },
      });
      expect(unknownOrg.status).toBe(422);
      const posted = await postTask(
        t,
        makeTaskRequest({ policy: 'best', panelSize: 5, alternates: 2 }),
        'self-conflict-draw',
      );
      expect(posted.status, posted.text).toBe(201);
      const task = posted.body as unknown as TaskView;
      const draw = await call(t, 'GET', `/v1/draws/${task.draw?.id}`, { key: 'yn.auditor' });
      const result = draw.body.result as {
        members: { expertId: string }[];
        excluded: { reasons: string[]; expertIds: string[] }[];
      };
      expect(result.members.map((m) => m.expertId)).not.toContain('e-self');
      const recused = result.excluded.find((group) => group.expertIds.includes('e-self'));
      expect(recused).toEqual({ reasons: ['declared-conflict-recusal'], expertIds: ['e-self'] });
      drawnTaskId = String(task.id);
      drawnMembers = result.members.map((m) => m.expertId);
    });

    it('shows a drawn member their own invitation and nobody else’s (第十五条)', async () => {
      // A member of the seeded pool, whose phone follows from the id (seedPanelPool).
      const member = drawnMembers.find((id) => /^e-p\d{3}$/.test(id));
      const others = drawnMembers.filter((id) => id !== member);
      const n = Number(member?.slice(-3));
      const memberKey = await signIn(String(member), `139${String(10_000_000 + n).slice(-8)}`);
      const records = await call(t, 'GET', '/v1/self/records', { key: memberKey });
      expect(records.status, records.text).toBe(200);
      const invitations = records.body.invitations as { taskId: string; state: string }[];
      expect(invitations.map((i) => i.taskId)).toEqual([drawnTaskId]);
      expect(records.body.warnings).toEqual([]);
      for (const other of [...others, 'e-self']) expect(records.text).not.toContain(other);
      const own = await call(t, 'GET', '/v1/self/records', { key });
      expect(own.body.invitations).toEqual([]);
      expect((await call(t, 'GET', '/v1/self/records', { key: 'yn.admin' })).status).toBe(401);
    });
  });
  describe('the /expert page (第八条（一）)', () => {
    const form = (body: Record<string, string>, cookie?: string) => ({
      body: new URLSearchParams(body).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie === undefined ? {} : { cookie }),
      },
    });

    it('signs in with a code and confirms the profile, with the pages’ security headers', async () => {
      nextHour();
      const start = await call(t, 'GET', '/expert');
      expect(start.status).toBe(200);
      expect(start.text).toContain('action="/expert/login"');
      expect(start.headers.get('content-security-policy')).toBe(PAGE_CSP);
      expect(start.headers.get('cache-control')).toBe('no-store');
      expect(start.text).not.toMatch(/<script|https?:\/\//);

      const asked = await call(t, 'POST', '/expert/login', form({ phone: PHONE }));
      expect(asked.status).toBe(200);
      expect(asked.text).toContain('action="/expert/session"');
      const wrong = await call(
        t,
        'POST',
        '/expert/session',
        form({ phone: PHONE, code: '12345x' }),
      );
      expect(wrong.status).toBe(422);
      const signed = await call(
        t,
        'POST',
        '/expert/session',
        form({ phone: PHONE, code: await lastCodeOf('e-self') }),
      );
      expect(signed.status).toBe(303);
      expect(signed.headers.get('location')).toBe('/expert');
      const cookie = (signed.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      expect(cookie).toMatch(/^expert_session=eds_/);

      const profile = await call(t, 'GET', '/expert', { headers: { cookie } });
      expect(profile.text).toContain('张明华');
      expect(profile.text).not.toContain('王立新');
      t.clock.set(new Date(t.clock.now().getTime() + 60_000).toISOString());
      const confirmed = await call(t, 'POST', '/expert/confirm', form({}, cookie));
      expect(confirmed.status).toBe(200);
      expect(confirmed.text).toContain(t.clock.now().toISOString());
      const record = await call(t, 'GET', '/v1/experts/e-self', { key: 'yn.admin' });
      expect(record.body.profileUpdatedAt).toBe(t.clock.now().toISOString());
    });

    it('refuses a confirmation without a session, and a form posted from another site', async () => {
      expect((await call(t, 'POST', '/expert/confirm', form({}))).status).toBe(401);
      const foreign = await call(t, 'POST', '/expert/login', {
        ...form({ phone: PHONE }),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example',
        },
      });
      expect(foreign.status).toBe(403);
      const malformed = await call(t, 'POST', '/expert/session', {
        body: 'phone=x',
        headers: { 'content-type': 'multipart/form-data' },
      });
      expect(malformed.status).toBe(422);
    });
  });
});
