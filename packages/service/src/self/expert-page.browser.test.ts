import { and, desc, eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notices } from '../db/schema.js';
import {
  type AppInChromium,
  hasChromium,
  openAppInChromium,
} from '../testing/chromium.test-helpers.js';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

describe.runIf(hasChromium())('the /expert page in headless Chromium', () => {
  let t: TestContext;
  let opened: AppInChromium | undefined;
  let baseUrl = '';
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestContext('pglite');
    const created = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({
        id: 'e-page',
        phone: '13900003333',
        idNumber: undefined,
        profileUpdatedAt: '2025-03-01T00:00:00.000Z',
      }),
    });
    expect(created.status, created.text).toBe(201);
    opened = await openAppInChromium(t.app.fetch);
    baseUrl = opened.base;
    browser = opened.browser;
  });
  afterAll(async () => {
    await opened?.close();
    await t.close();
  });

  it('signs in on a phone with the code and confirms the profile (第八条（一）)', async () => {
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
    expect((await page.goto(`${baseUrl}/expert`))?.status()).toBe(200);
    await page.fill('#phone', '139 0000 3333');
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.waitForSelector('#code');
    const [notice] = await t.database.db
      .select({ body: notices.body })
      .from(notices)
      .where(and(eq(notices.expertId, 'e-page'), eq(notices.kind, 'self_login')))
      .orderBy(desc(notices.createdAt))
      .limit(1);
    const code = /\d{6}/.exec(notice?.body ?? '')?.[0] ?? '';
    await page.fill('#code', code);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForSelector('#profile');
    expect(await page.textContent('#profile')).toContain('张明华');
    await page.getByRole('button', { name: '确认信息无误' }).click();
    await page.waitForSelector('#done');
    const record = await call(t, 'GET', '/v1/experts/e-page', { key: 'yn.admin' });
    expect(record.body.profileUpdatedAt).toBe(t.clock.now().toISOString());
    expect(violations).toEqual([]);
    await context.close();
  });
});
