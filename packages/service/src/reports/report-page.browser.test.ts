import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppInChromium,
  hasChromium,
  openAppInChromium,
} from '../testing/chromium.test-helpers.js';
import { createTestContext, type TestContext } from '../testing/test-backends.test-helpers.js';
import { addExpert, addInvitation } from './report-history.test-helpers.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

// The printable yearly evaluation in a real browser over real HTTP: the Chinese headings are
// laid out with real glyphs, nothing is fetched from anywhere else, and it prints to A4.
describe.runIf(hasChromium())('the printable yearly evaluation in headless Chromium', () => {
  let t: TestContext;
  let opened: AppInChromium;

  beforeAll(async () => {
    t = await createTestContext('pglite');
    await addExpert(t, { id: 'e-a', name: '甲专家' });
    await addExpert(t, { id: 'e-b', name: '乙专家' });
    for (const [taskId, day] of [
      ['T1', '2026-03-02'],
      ['T2', '2026-09-01'],
    ] as const) {
      await addInvitation(t, {
        taskId,
        day,
        expertId: 'e-a',
        state: 'timed_out',
        invitedAt: `${day}T09:00:00+08:00`,
        replyDeadline: `${day}T12:00:00+08:00`,
      });
    }
    t.clock.set('2027-01-15T09:00:00+08:00');
    opened = await openAppInChromium(t.app.fetch);
  });
  afterAll(async () => {
    await opened?.close();
    await t?.close();
  });

  it('lays out the Chinese headings, loads nothing else and prints (第二十条, 第二十三条（一）)', async () => {
    const { base, browser } = opened;
    const context = await browser.newContext({
      extraHTTPHeaders: { authorization: `Bearer ${t.keys['yn.auditor']}` },
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = await context.newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      const response = await page.goto(`${base}/v1/reports/annual?year=2026`);
      expect(response?.status()).toBe(200);
      expect(requested).toEqual([`${base}/v1/reports/annual?year=2026`]);

      const heading = page.locator('h1');
      expect(await heading.textContent()).toBe('云南省应急管理厅专家年度考评报告（2026年度）');
      expect(await page.locator('h2').allInnerTexts()).toEqual([
        '一、年度考评汇总',
        '二、专家年度考评明细',
        '三、需处理名单',
        '四、工作量分布',
      ]);
      const warning = page.locator('h3', { hasText: '第二十三条（一）' });
      expect(await warning.count()).toBe(1);
      expect(await page.locator('table').nth(2).textContent()).toContain('甲专家');

      const box = await heading.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(200);
      expect(box?.height ?? 0).toBeGreaterThan(10);
      const shot = await heading.screenshot();
      expect([...shot.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      expect(shot.length).toBeGreaterThan(2_000);
      const full = await page.screenshot({ fullPage: true });
      expect(full.length).toBeGreaterThan(20_000);

      // The glyphs are real: without a CJK font every character would be drawn as the same
      // replacement box, so two different characters would leave identical pixels.
      // Runs in the page (a string: the service compiles without the DOM types).
      const distinct = await page.evaluate(`(() => {
        const h1 = document.querySelector('h1');
        const canvas = document.createElement('canvas');
        canvas.width = 64;
        canvas.height = 64;
        const g = canvas.getContext('2d');
        const font = getComputedStyle(h1).font;
        const draw = (ch) => {
          g.clearRect(0, 0, 64, 64);
          g.font = font;
          g.fillStyle = '#000';
          g.fillText(ch, 4, 48);
          return Array.from(g.getImageData(0, 0, 64, 64).data).join(',');
        };
        const [kao, ping, missing] = ['考', '评', '\\uE000'].map(draw);
        return { differ: kao !== ping, notTofu: kao !== missing, inked: /[1-9]/.test(kao) };
      })()`);
      expect(distinct).toEqual({ differ: true, notTofu: true, inked: true });

      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    } finally {
      await context.close();
    }
  });
});
