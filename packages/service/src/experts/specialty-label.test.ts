import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificatePageHtml } from '../certificates/certificate-html.js';
import { notices } from '../db/schema.js';
import { makeActiveExpert, makeExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { specialtiesZh } from './specialty-label.js';

// The pages only render; one backend is enough to show what they print.
const [backend] = await availableBackends();

describe('specialtiesZh', () => {
  it.each([
    [['fire', 'dust_explosion'], '消防、粉尘涉爆'],
    [['occupational_health'], '职业健康'],
    [['尾矿库', 'gas'], '尾矿库、煤气'],
    [[], ''],
  ])('prints %j as %j', (tags, printed) => {
    expect(specialtiesZh(tags)).toBe(printed);
  });
});

describe('the printed certificate (聘书, 第十一条)', () => {
  it('names the specialties in Chinese, not by their tags', async () => {
    const html = await certificatePageHtml({
      certificate: {
        number: '云应急专家〔2026〕第0001号',
        expertId: 'e-1',
        term: { from: '2026-01-01', to: '2028-12-31' },
        state: 'valid',
        stateLabel: { zh: '有效', en: 'Valid' },
        issuedAt: '2026-01-01T00:00:00.000Z',
        sealedAt: '2026-01-02T00:00:00.000Z',
        revokedAt: null,
        verificationUrl: 'http://localhost:3000/certificates/x',
      },
      expert: {
        name: '张明华',
        group: 'metallurgy_nonferrous_machinery',
        industries: ['metallurgy'],
        specialties: ['fire', 'molten_metal'],
      },
      department: '云南省应急管理厅',
    });
    expect(html).toContain('专长：消防、高温熔融金属');
    expect(html).not.toContain('molten_metal');
  });
});

describe.skipIf(backend === undefined)('Chinese pages name specialties in Chinese', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(backend ?? 'pglite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows the expert their specialties, last confirmation and withdrawal application in Chinese and on Beijing dates (第八条（一）, 第二十四条)', async () => {
    t.clock.set('2026-03-02T07:30:00+08:00'); // before 08:00: the UTC date is still 1 March
    const created = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({
        id: 'e-label',
        phone: '13900007777',
        specialties: ['fire', 'dust_explosion'],
      }),
    });
    expect(created.status, created.text).toBe(201);
    const form = (fields: Record<string, string>, cookie?: string) => ({
      body: new URLSearchParams(fields).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie === undefined ? {} : { cookie }),
      },
    });
    expect((await call(t, 'POST', '/expert/login', form({ phone: '13900007777' }))).status).toBe(
      200,
    );
    const [notice] = await t.database.db
      .select({ body: notices.body })
      .from(notices)
      .where(and(eq(notices.expertId, 'e-label'), eq(notices.kind, 'self_login')))
      .orderBy(desc(notices.createdAt))
      .limit(1);
    const code = /\d{6}/.exec(notice?.body ?? '')?.[0] ?? '';
    const signed = await call(t, 'POST', '/expert/session', form({ phone: '13900007777', code }));
    expect(signed.status, signed.text).toBe(303);
    const cookie = (signed.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

    const confirmed = await call(t, 'POST', '/expert/confirm', form({}, cookie));
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('<dd>消防、粉尘涉爆</dd>');
    expect(confirmed.text).not.toContain('dust_explosion');
    expect(confirmed.text).toContain('>2026年3月2日</dd>');

    const filed = await call(
      t,
      'POST',
      '/expert/withdrawal',
      form({ reason: '工作调动，申请退出' }, cookie),
    );
    expect(filed.status, filed.text).toBe(201);
    // Filed at 07:30 in Beijing, 23:30 on 1 March in UTC: the expert's own date (第二十四条).
    expect(filed.text).toContain('<li data-state="open">2026年3月2日：工作调动，申请退出');

    const listed = await call(t, 'GET', '/v1/public/experts?limit=100');
    const publicExpert = ((listed.body.items ?? []) as { id: string }[]).find(
      (item) => item.id === 'e-label',
    );
    expect(publicExpert).toMatchObject({
      specialties: ['fire', 'dust_explosion'],
      specialtyNames: ['消防', '粉尘涉爆'],
    });
  });

  it('lists the specialties of an expert under notice in Chinese on /notices (第十条（四）)', async () => {
    t.clock.set('2026-09-29T09:00:00+08:00');
    const created = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeExpert({
        id: 'n-label',
        phone: '13811117777',
        idNumber: undefined,
        specialties: ['gas', 'confined_space'],
      }),
    });
    expect(created.status, created.text).toBe(201);
    for (const action of ['recommend', 'start-review', 'approve', 'start-public-notice']) {
      const acted = await call(t, 'POST', `/v1/experts/n-label/actions/${action}`, {
        key: 'yn.admin',
        json: { reason: '按程序办理' },
      });
      expect(acted.status, acted.text).toBe(200);
    }
    const page = await call(t, 'GET', '/notices');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<dt>专业特长</dt><dd>煤气、有限空间作业</dd>');
    expect(page.text).not.toContain('confined_space');
  });
});
