import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { eq } from 'drizzle-orm';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draws } from '../db/schema.js';
import { addExpert, addInvitation } from '../reports/report-history.test-helpers.js';
import {
  type AppInChromium,
  hasChromium,
  openAppInChromium,
} from '../testing/chromium.test-helpers.js';
import {
  call,
  createTestContext,
  type KeyName,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

/** Screenshots go where CI keeps its artifacts (gitignored). */
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '../../../../test-results');

const CSV_HEADER =
  '编号,姓名,出生日期,手机,身份证号,职称,注册安全工程师,从业年限,单位编号,单位名称,单位类型,行政区划,层级,专家组别,行业,专业特长,状态,聘期开始,聘期结束,聘书已盖章';
const CSV = [
  CSV_HEADER,
  'imp-1,段志明,1970-01-02,13911112222,,正高级,,25,org-ynlv,云南铝业股份有限公司,企业,530181,省,冶金、有色、机械组,有色；冶金,高温熔融金属,在库,2025-01-01,2027-12-31,是',
  'imp-2,错日期,1970-02-30,13911113333,,正高级,,25,org-x,某单位,企业,530181,省,冶金、有色、机械组,冶金,,在库,,,',
].join('\r\n');

describe.runIf(hasChromium())(
  'the desk’s pool, reviews, lists, reports and keys in Chromium',
  () => {
    let t: TestContext;
    let opened: AppInChromium | undefined;
    let browser: Browser;
    let base = '';
    let pendingSeat = 0;

    const screenshot = (page: Page, name: string) =>
      page.screenshot({ path: join(RESULTS, `desk-${name}.png`), fullPage: true });

    /** No serious or critical axe-core violation on the page as it stands. */
    const expectAccessible = async (page: Page) => {
      await page.evaluate(axe.source);
      const found = await page.evaluate(async () => {
        const scope = globalThis as unknown as {
          axe: {
            run: (
              context: unknown,
              options: unknown,
            ) => Promise<{ violations: { id: string; impact: string | null }[] }>;
          };
          document: unknown;
        };
        const result = await scope.axe.run(scope.document, { resultTypes: ['violations'] });
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => v.id);
      });
      expect(found).toEqual([]);
    };

    /** Signs in through the desk's form and lands on `path`. */
    const signedIn = async (
      key: KeyName,
      path: string,
      viewport = { width: 1366, height: 768 },
    ) => {
      const context = await browser.newContext({ viewport, locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(`${base}${path}`);
      expect(new URL(page.url()).pathname).toBe('/desk/login');
      await page.fill('#key', t.keys[key]);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL(`${base}${path}`);
      return { context, page };
    };

    beforeAll(async () => {
      mkdirSync(RESULTS, { recursive: true });
      t = await createTestContext('pglite');
      t.clock.set('2026-10-15T10:00:00+08:00');
      const people = [
        ['e-1', '张明华'],
        ['e-2', '李建国'],
        ['e-3', '王晓燕'],
        ['e-4', '赵志刚'],
      ] as const;
      for (const [id, name] of people) {
        await addExpert(t, { id, name, idNumber: `5301021975061512${id.slice(-1)}X`.slice(0, 18) });
      }
      // A year of history: e-1 served three tasks, e-2 one; refusals in March and May.
      let n = 0;
      const served = (expertId: string, day: string) =>
        addInvitation(t, {
          taskId: `T${++n}`,
          day,
          expertId,
          state: 'accepted',
          invitedAt: `${day}T08:00:00+08:00`,
          repliedAt: `${day}T09:00:00+08:00`,
          attendance: 'attended',
        });
      await served('e-1', '2026-02-03');
      await served('e-1', '2026-04-07');
      await served('e-1', '2026-06-09');
      await served('e-2', '2026-06-10');
      await addInvitation(t, {
        taskId: `T${++n}`,
        day: '2026-03-05',
        expertId: 'e-3',
        state: 'timed_out',
        invitedAt: '2026-03-04T08:00:00+08:00',
        replyDeadline: '2026-03-05T08:00:00+08:00',
      });
      pendingSeat = await addInvitation(t, {
        taskId: `T${++n}`,
        day: '2026-05-12',
        expertId: 'e-4',
        state: 'declined',
        declineReason: 'approved_other',
        invitedAt: '2026-05-12T08:00:00+08:00',
        repliedAt: '2026-05-12T10:00:00+08:00',
      });
      // The first task's draw left e-2 out: employed by the inspected enterprise (第十六条（一）).
      await t.database.db
        .update(draws)
        .set({
          exclusions: {
            excluded: [{ reasons: ['employer'], expertIds: ['e-2'] }],
            exclusionReasons: {
              employer: {
                ruleId: 'recusal',
                article: '第十六条（一）',
                message: { zh: '受检单位的在职人员应当回避', en: 'works for the inspected unit' },
              },
            },
          },
        })
        .where(eq(draws.id, 'd-T1'));
      opened = await openAppInChromium(t.app.fetch);
      base = opened.base;
      browser = opened.browser;
    });
    afterAll(async () => {
      await opened?.close();
      await t?.close();
    });

    it('searches the pool, opens an expert and warns them citing 第二十三条（一） with evidence', async () => {
      const { context, page } = await signedIn('yn.admin', '/desk/experts');
      await page.fill('#f-q', '张明');
      await page.getByRole('button', { name: '检索' }).click();
      await page.waitForURL(/q=/);
      expect(await page.locator('#experts tbody tr').count()).toBe(1);
      await expectAccessible(page);
      await screenshot(page, 'pool');
      await page.getByRole('link', { name: '张明华' }).click();
      await page.waitForURL(`${base}/desk/experts/e-1`);
      // Admins see the ID number; the term of 第十一条 is shown.
      expect(await page.textContent('#id-number')).toMatch(/^53010219750615/);
      expect(await page.textContent('#term')).toContain('2025-01-01');
      const certificate = (await call(t, 'GET', '/v1/experts/e-1/certificate', { key: 'yn.admin' }))
        .body as { current: { number: string } | null };
      expect(await page.textContent('#certificate')).toContain(
        certificate.current?.number ?? '尚无聘书',
      );
      await expectAccessible(page);

      await page.locator('details.action', { hasText: '警告' }).locator('summary').click();
      await page.selectOption('#act-warn-article', '第二十三条（一）');
      await page.fill('#act-warn-reason', '一年内两次无正当理由拒绝');
      await page.selectOption('#act-warn-kind-0', 'document');
      await page.fill('#act-warn-ref-0', '云应急〔2026〕7号');
      await page.locator('#act-warn').getByRole('button', { name: '警告' }).click();
      await page.waitForSelector('#action-done');
      expect(await page.textContent('#warnings')).toContain('第二十三条（一）');
      expect(await page.textContent('#warnings')).toContain('云应急〔2026〕7号');
      expect(await page.textContent('#history')).toContain('expert.warn');
      const stored = await call(t, 'GET', '/v1/experts/e-1', { key: 'yn.admin' });
      expect(stored.body.warnings).toEqual([
        { on: '2026-10-15', article: '第二十三条（一）', reason: '一年内两次无正当理由拒绝' },
      ]);
      await expectAccessible(page);
      await screenshot(page, 'expert');
      await context.close();
    });

    it('shows a GB18030 CSV import dry run row by row, writes nothing, then commits the valid row', async () => {
      const { context, page } = await signedIn('yn.admin', '/desk/experts/import');
      await expectAccessible(page);
      await page.setInputFiles('#file', {
        name: 'experts.csv',
        mimeType: 'text/csv',
        // As Chinese Excel saves "CSV (逗号分隔)": GB18030, no byte-order mark.
        buffer: iconv.encode(CSV, 'gb18030'),
      });
      await page.getByRole('button', { name: '试导入' }).click();
      await page.waitForSelector('#import-rows');
      const rows = await page.locator('#import-rows tbody tr').allTextContents();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toContain('imp-1');
      expect(rows[0]).toContain('新增');
      expect(rows[1]).toContain('拒绝');
      expect(rows[1]).toContain('birthDate');
      expect((await call(t, 'GET', '/v1/experts/imp-1', { key: 'yn.admin' })).status).toBe(404);
      await expectAccessible(page);
      await screenshot(page, 'import-dry-run');

      await page.getByRole('button', { name: '确认导入' }).click();
      await page.waitForSelector('#import-done');
      expect(await page.textContent('#import-summary')).toContain('新增 1');
      const created = await call(t, 'GET', '/v1/experts/imp-1', { key: 'yn.admin' });
      expect(created.body.name).toBe('段志明');
      await screenshot(page, 'import-committed');
      await context.close();
    });

    it('decides a pending decline as unjustified (第二十三条（一）) from the review queue', async () => {
      const { context, page } = await signedIn('yn.dispatcher', '/desk/reviews');
      const form = page.locator(`#decide-${pendingSeat}`);
      await expectAccessible(page);
      await screenshot(page, 'reviews');
      await form.locator('input[value=unjustified]').check();
      await form.locator('textarea').fill('已核实，无正当理由');
      await form.getByRole('button', { name: '提交认定' }).click();
      await page.waitForSelector('#review-done');
      expect(await page.locator(`#decide-${pendingSeat}`).count()).toBe(0);
      const decided = await call(t, 'GET', '/v1/reviews/declines?state=decided', {
        key: 'yn.dispatcher',
      });
      expect(decided.body.items).toEqual([
        expect.objectContaining({
          invitationId: String(pendingSeat),
          review: expect.objectContaining({ decision: 'unjustified', note: '已核实，无正当理由' }),
        }),
      ]);
      await context.close();
    });

    it('draws the workload histogram, the Lorenz curve with the Gini and refusals by month as SVG', async () => {
      const evaluated = await call(t, 'POST', '/v1/evaluations/2026', { key: 'yn.admin' });
      expect(evaluated.status, evaluated.text).toBe(200);
      const { context, page } = await signedIn('yn.auditor', '/desk/reports');
      for (const id of ['chart-workload', 'chart-lorenz', 'chart-refusals']) {
        expect(await page.locator(`svg#${id} > title`).count()).toBe(1);
      }
      const annual = await call(t, 'GET', '/v1/reports/annual', { key: 'yn.auditor' });
      const gini = (annual.body.workload as { overall: { gini: number } }).overall.gini;
      expect(gini).toBeGreaterThan(0);
      expect(await page.textContent('svg#chart-lorenz .gini')).toContain(gini.toFixed(4));
      // Four experts with 3, 1, 0, 0 tasks (the imported one with 0 too): bars 0, 1, 2, 3.
      expect(await page.locator('svg#chart-workload rect.bar').count()).toBe(4);
      // One time-out in March, one decline in May.
      const months = await page.locator('svg#chart-refusals rect.bar title').allTextContents();
      expect(months.slice(0, 6)).toEqual(['01: 0', '02: 0', '03: 1', '04: 0', '05: 1', '06: 0']);
      // The yearly evaluation (第二十条): one bar per grade, every expert counted once.
      const grades = await page.locator('svg#chart-grades rect.bar title').allTextContents();
      expect(grades).toHaveLength(4);
      const graded = grades.reduce((sum, text) => sum + Number(text.split(': ')[1]), 0);
      expect(graded).toBe((evaluated.body.results as unknown[]).length);
      expect(graded).toBeGreaterThan(0);
      await expectAccessible(page);
      await screenshot(page, 'reports');

      await page.goto(`${base}/desk/lists`);
      expect(await page.textContent('#list-declineWarnings')).toContain('第二十三条（一）');
      await expectAccessible(page);
      await screenshot(page, 'lists');
      await context.close();

      const phone = await signedIn('yn.auditor', '/desk/reports', { width: 390, height: 844 });
      await screenshot(phone.page, 'reports-phone');
      await phone.context.close();
    });

    it('lets an admin issue a viewer key, shown once, that works at once', async () => {
      const { context, page } = await signedIn('yn.admin', '/desk/keys');
      await expectAccessible(page);
      await page.selectOption('#role', 'viewer');
      await page.fill('#label', '值班查看');
      await page.getByRole('button', { name: '签发密钥' }).click();
      await page.waitForSelector('#key-issued');
      const secret = (await page.textContent('#new-key')) ?? '';
      const me = await call(t, 'GET', '/v1/me', { key: { secret } });
      expect(me.body).toMatchObject({ role: 'viewer', authorityId: 'yn-yjt' });
      await expectAccessible(page);
      await screenshot(page, 'keys');
      await page.goto(`${base}/desk/keys`);
      expect(await page.locator('#new-key').count()).toBe(0);
      expect(await page.textContent('#keys')).toContain('值班查看');
      await context.close();
    });

    it('shows a viewer no action buttons and refuses the viewer’s forged action post, as the API does', async () => {
      const { context, page } = await signedIn('yn.viewer', '/desk/experts/e-2');
      expect(await page.locator('#actions').count()).toBe(0);
      expect(await page.locator('#id-number').count()).toBe(0);
      expect(await page.textContent('#exclusions')).toContain(
        '第十六条（一） 受检单位的在职人员应当回避',
      );
      expect(await page.textContent('#exclusions')).toContain('T1');
      expect(await page.locator('form[action*="/actions/"]').count()).toBe(0);
      await expectAccessible(page);
      await screenshot(page, 'expert-viewer');
      await page.goto(`${base}/desk/experts`);
      expect(await page.locator('a[href="/desk/experts/import"]').count()).toBe(0);
      // English alongside: ?lang=en switches the page, the data stay as they are.
      await page.goto(`${base}/desk/experts?lang=en`);
      expect(await page.textContent('h1')).toBe('Pool');
      expect(await page.getByRole('button', { name: 'Search' }).count()).toBe(1);

      // A forged form with the viewer's own CSRF token: the API's requireRole('admin') refuses it.
      const csrf = (await page.getAttribute('input[name=_csrf]', 'value')) ?? '';
      const forged = await context.request.post(`${base}/desk/experts/e-2/actions/suspend`, {
        form: { _csrf: csrf, reason: '伪造', article: '第十二条' },
        headers: { origin: base },
      });
      expect(forged.status()).toBe(403);
      const noToken = await context.request.post(`${base}/desk/experts/e-2/actions/suspend`, {
        form: { reason: '伪造' },
        headers: { origin: base },
      });
      expect(noToken.status()).toBe(403);
      const api = await call(t, 'POST', '/v1/experts/e-2/actions/suspend', {
        key: 'yn.viewer',
        json: { reason: '伪造' },
      });
      expect(api.status).toBe(403);
      expect((await call(t, 'GET', '/v1/experts/e-2', { key: 'yn.admin' })).body.status).toBe(
        'active',
      );
      await context.close();
    });
  },
);
