import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe.runIf(hasChromium())('the certificate pages in headless Chromium (第十一条)', () => {
  let t: TestContext;
  let opened: AppInChromium | undefined;
  let browser: Browser;
  let number = '';

  beforeAll(async () => {
    t = await createTestContext('pglite');
    const created = await call(t, 'POST', '/v1/experts', {
      key: 'yn.admin',
      json: makeActiveExpert({
        id: 'e-cert',
        name: '周建国',
        appointment: { from: '2026-03-01', to: '2029-02-28', sealed: true },
      }),
    });
    expect(created.status, created.text).toBe(201);
    const certificate = await call(t, 'GET', '/v1/experts/e-cert/certificate', {
      key: 'yn.admin',
    });
    number = String((certificate.body.current as { number: string }).number);
    opened = await openAppInChromium(t.app.fetch);
    browser = opened.browser;
    // Setup time for a loaded machine (a fresh database and its migrations).
  }, 180_000);
  afterAll(async () => {
    await opened?.close();
    await t.close();
  });

  it('prints the A4 certificate with its QR code, no CSP violation, as a one-page PDF', async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      extraHTTPHeaders: { authorization: `Bearer ${t.keys['yn.admin']}` },
    });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    // A browser asks for HTML first: the page, not JSON.
    const response = await page.goto(`${opened?.base}/v1/experts/e-cert/certificate`);
    expect(response?.status()).toBe(200);
    expect(await page.textContent('#number')).toBe(number);
    expect(await page.textContent('#name')).toBe('周建国');
    expect(await page.textContent('body')).toContain('云南省应急管理厅');
    expect(await page.getAttribute('#state', 'data-state')).toBe('valid');
    const qr = await page.locator('.verify svg').boundingBox();
    expect(qr?.width).toBeGreaterThan(80);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // One sheet: a PDF lists its pages as /Type /Page objects.
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('verifies the number on a phone from the public page the QR code opens', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    const response = await page.goto(`${opened?.base}/certificates/${encodeURIComponent(number)}`);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('#state', 'data-state')).toBe('valid');
    expect(await page.textContent('body')).toContain('周建国');
    expect(await page.textContent('body')).not.toContain('13812345678');
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await context.close();
  });
});
