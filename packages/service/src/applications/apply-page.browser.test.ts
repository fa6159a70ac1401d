import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationAttachments, experts } from '../db/schema.js';
import {
  type AppInChromium,
  hasChromium,
  openAppInChromium,
} from '../testing/chromium.test-helpers.js';
import { createTestContext, type TestContext } from '../testing/test-backends.test-helpers.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(64)]);

describe.runIf(hasChromium())('the /apply page in headless Chromium (第十条（一）（二）)', () => {
  let t: TestContext;
  let opened: AppInChromium | undefined;
  let browser: Browser;
  let baseUrl = '';

  beforeAll(async () => {
    t = await createTestContext('pglite');
    opened = await openAppInChromium(t.app.fetch);
    baseUrl = opened.base;
    browser = opened.browser;
  }, 180_000);
  afterAll(async () => {
    await opened?.close();
    await t.close();
  });

  it('files an application from a phone with a PDF proof, refusing a renamed .exe first', async () => {
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
    expect((await page.goto(`${baseUrl}/apply`))?.status()).toBe(200);
    const fill = async () => {
      await page.fill('#name', '赵思远');
      await page.fill('#birthDate', '1975-09-09');
      await page.fill('#idNumber', '530102197509091234');
      await page.fill('#phone', '13700001234');
      await page.fill('#education', '大学本科');
      await page.selectOption('#title', 'senior_full');
      await page.fill('#practiceYears', '20');
      await page.selectOption('#group', 'comprehensive');
      await page.check('input[name="industries"][value="light_industry"]');
      await page.check('input[name="specialties"][value="dust_explosion"]');
      await page.fill('#region', '530102');
      await page.fill('#employerName', '云南某轻工有限公司');
      await page.selectOption('#employerKind', 'enterprise');
      await page.fill('#declaredBy', '办公室 陈静');
    };
    await fill();
    await page.setInputFiles('#file-title', {
      name: '职称证书.pdf',
      mimeType: 'application/pdf',
      buffer: EXE,
    });
    await page.getByRole('button', { name: '提交申报' }).click();
    await page.waitForSelector('#errors');
    expect(await page.getAttribute('#errors li', 'data-path')).toBe('attachments.0.contentBase64');
    expect(await t.database.db.select().from(experts)).toEqual([]);

    // The form keeps what was typed; the file is chosen again.
    expect(await page.inputValue('#name')).toBe('赵思远');
    await page.setInputFiles('#file-title', {
      name: '职称证书.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await page.getByRole('button', { name: '提交申报' }).click();
    await page.waitForSelector('#received');
    const [expert] = await t.database.db.select().from(experts);
    expect(expert).toMatchObject({
      name: '赵思远',
      status: 'applied',
      tier: 'province',
      employerName: '云南某轻工有限公司',
    });
    const files = await t.database.db
      .select({ mediaType: applicationAttachments.mediaType, size: applicationAttachments.size })
      .from(applicationAttachments)
      .where(eq(applicationAttachments.kind, 'title'));
    expect(files).toEqual([{ mediaType: 'application/pdf', size: PDF.length }]);
    expect(violations).toEqual([]);
    await context.close();
  });
});
