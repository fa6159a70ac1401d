import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpert, addInvitation, addRating } from '../reports/report-history.test-helpers.js';
import {
  type AppInChromium,
  hasChromium,
  openAppInChromium,
} from '../testing/chromium.test-helpers.js';
import {
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

// The printable yearly evaluation on a phone and on paper: Chinese headings, nothing fetched
// from anywhere else, no CSP violation, A4 print.
describe.runIf(hasChromium())('the printable yearly evaluation page in headless Chromium', () => {
  let t: TestContext;
  let opened: AppInChromium;

  beforeAll(async () => {
    t = await createTestContext('pglite');
    t.clock.set('2025-01-10T09:00:00+08:00');
    const term = { from: '2025-01-01', to: '2027-12-31', sealed: true };
    const profileUpdatedAt = '2025-01-05T09:00:00+08:00';
    await addExpert(t, {
      id: 'e-p1',
      name: '<b>甲专家</b>',
      title: 'senior_full',
      appointment: term,
      profileUpdatedAt,
    });
    await addExpert(t, { id: 'e-p2', name: '乙专家', appointment: term, profileUpdatedAt });
    for (const n of [1, 2, 3]) {
      const seatId = await addInvitation(t, {
        taskId: `P${n}`,
        day: `2025-0${n}-10`,
        expertId: 'e-p1',
        state: 'accepted',
        attendance: 'attended',
        invitedAt: `2025-0${n}-01T09:00:00+08:00`,
        repliedAt: `2025-0${n}-01T10:00:00+08:00`,
      });
      await addRating(t, { seatId, taskId: `P${n}`, expertId: 'e-p1', score: 5 });
    }
    t.clock.set('2026-03-02T09:00:00+08:00');
    const computed = await call(t, 'POST', '/v1/evaluations/2025', { key: 'yn.admin' });
    if (computed.status !== 200) throw new Error(computed.text);
    opened = await openAppInChromium(t.app.fetch);
  });
  afterAll(async () => {
    await opened?.close();
    await t?.close();
  });

  it('shows the grades and both lists on a phone, loads nothing else and prints (第二十条)', async () => {
    const { base, browser } = opened;
    const context = await browser.newContext({
      extraHTTPHeaders: { authorization: `Bearer ${t.keys['yn.viewer']}` },
      viewport: { width: 390, height: 844 },
    });
    try {
      const page = await context.newPage();
      const requested: string[] = [];
      const violations: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      const url = `${base}/v1/evaluations/2025?format=html`;
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      expect(requested).toEqual([url]);
      expect(violations).toEqual([]);
      expect(await page.locator('h1').textContent()).toBe(
        '云南省应急管理厅专家年度评价（2025年度）',
      );
      expect(await page.locator('h2').allInnerTexts()).toEqual([
        '一、年度评价结果',
        '二、通报表扬名单（第二十条（一））',
        '三、职称评审专家库备选人员名单（第二十条（三））',
      ]);
      // The name is text, not markup; 3 tasks rated 5 → 80 + 6 + 10 = 96, 优秀, on both lists.
      expect(await page.locator('b').count()).toBe(0);
      const reserve = await page.locator('table').nth(2).textContent();
      expect(reserve).toContain('<b>甲专家</b>');
      expect(reserve).toContain('优秀');
      // The page itself never scrolls sideways on a phone: the wide table scrolls in its box.
      const overflow = await page.evaluate(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);

      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    } finally {
      await context.close();
    }
  });
});
