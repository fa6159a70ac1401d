import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppInChromium,
  hasChromium,
  openAppInChromium,
} from '../testing/chromium.test-helpers.js';
import { makeExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

describe.runIf(hasChromium())('the /notices and /announcements pages in headless Chromium', () => {
  let t: TestContext;
  let opened: AppInChromium | undefined;
  let baseUrl = '';
  let browser: Browser;
  const act = (action: string) =>
    call(t, 'POST', `/v1/experts/b-1/actions/${action}`, {
      key: 'yn.admin',
      json: { reason: '按程序办理' },
    });

  beforeAll(async () => {
    t = await createTestContext('pglite');
    t.clock.set('2026-09-29T09:00:00+08:00');
    const created = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeExpert({ id: 'b-1', name: '赵公示', phone: '13900005555', idNumber: undefined }),
    });
    expect(created.status, created.text).toBe(201);
    for (const action of ['recommend', 'start-review', 'approve', 'start-public-notice']) {
      expect((await act(action)).status).toBe(200);
    }
    opened = await openAppInChromium(t.app.fetch);
    baseUrl = opened.base;
    browser = opened.browser;
  });
  afterAll(async () => {
    await opened?.close();
    await t.close();
  });

  it('shows the notice on a phone and takes an objection that holds the appointment (第十条（四）（五）)', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    expect((await page.goto(`${baseUrl}/notices`))?.status()).toBe(200);
    const entry = await page.textContent('#notice-b-1');
    expect(entry).toContain('赵公示（拟聘任）');
    expect(entry).toContain('2026年9月29日至2026年10月10日（5个工作日）');
    expect(entry).toContain('副高级');
    expect(entry).not.toContain('13900005555');
    // Nothing wider than the phone's screen.
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);

    await page.click('#notice-b-1 summary');
    await page.fill('#name-b-1', '李群众');
    await page.fill('#contact-b-1', '13700007777');
    await page.fill('#reason-b-1', '该专家近三年未从事本专业工作');
    await page.getByRole('button', { name: '提交异议' }).click();
    await page.waitForSelector('#answer');
    expect(await page.textContent('#answer')).toContain('异议已受理');

    const objections = await call(t, 'GET', '/v1/objections?expertId=b-1', { key: 'yn.admin' });
    expect(objections.body.items).toEqual([
      expect.objectContaining({ name: '李群众', contact: '13700007777', status: 'open' }),
    ]);
    t.clock.set('2026-10-12T09:00:00+08:00');
    expect((await act('appoint')).body).toMatchObject({ code: 'notice_objected' });

    expect((await page.goto(`${baseUrl}/announcements`))?.status()).toBe(200);
    expect(await page.textContent('#none')).toContain('暂无公告');
    expect(violations).toEqual([]);
    await context.close();
  });
});
