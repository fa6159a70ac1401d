import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notices, ratings } from '../db/schema.js';
import { attendanceOf, panelMembers, serveTask } from '../tasks/served-task.test-helpers.js';
import { seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import {
  type AppInChromium,
  hasChromium,
  openAppInChromium,
} from '../testing/chromium.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

describe.runIf(hasChromium())('the rating page in headless Chromium', () => {
  describe.each(backends)('on %s', (kind) => {
    let t: TestContext;
    let opened: AppInChromium;

    beforeAll(async () => {
      t = await createTestContext(kind);
      await seedPanelPool(t, 8);
      opened = await openAppInChromium(t.app.fetch);
    });
    afterAll(async () => {
      await opened?.close();
      await t?.close();
    });

    it('opens the served unit’s link, rates each attended member and shows the confirmation (第二十条)', async () => {
      const panel = await serveTask(t, 't-rp-1', '2026-03-12', {
        ratingContact: { channel: 'log', address: 'served-unit' },
      });
      const members = panelMembers(panel);
      const [leader, noShow, attended] = members;
      if (!leader || !noShow || !attended) throw new Error('a panel of three');
      const done = await call(t, 'POST', '/v1/tasks/t-rp-1/complete', {
        key: 'yn.dispatcher',
        json: { attendance: attendanceOf(members, [noShow.expertId]) },
      });
      expect(done.status).toBe(200);
      const [notice] = await t.database.db
        .select()
        .from(notices)
        .where(and(eq(notices.taskId, 't-rp-1'), eq(notices.kind, 'rating_request')));
      const path = new URL(notice?.link ?? 'http://x/none').pathname;

      const page = await opened.browser.newPage({ viewport: { width: 390, height: 844 } });
      try {
        await page.goto(`${opened.base}${path}`);
        expect(await page.locator('h1').textContent()).toBe('专家服务评价');
        const sections = page.locator('section.member');
        expect(await sections.count()).toBe(2);
        const text = (await page.locator('body').textContent()) ?? '';
        expect(text).toContain(`${leader.name}（组长）`);
        expect(text).not.toContain(noShow.name);

        await page.check(`input[name="score-${leader.invitationId}"][value="4"]`);
        await page.fill(`#comment-${leader.invitationId}`, '准备充分，整改建议具体可行');
        await page.check(`input[name="score-${attended.invitationId}"][value="5"]`);
        await page.click('button[type="submit"]');
        await page.waitForSelector('#notice');

        expect(await page.locator('#notice').textContent()).toContain('感谢您的评价');
        expect(await page.locator('#state').getAttribute('data-state')).toBe('rated');
        expect(await page.locator('section.member[data-rated="true"]').count()).toBe(2);
        expect(await page.locator('body').textContent()).toContain('准备充分，整改建议具体可行');
      } finally {
        await page.close();
      }
      const rows = await t.database.db.select().from(ratings).where(eq(ratings.taskId, 't-rp-1'));
      expect(rows.map((r) => [r.expertId, r.score, r.source]).sort()).toEqual(
        [
          [leader.expertId, 4, 'link'],
          [attended.expertId, 5, 'link'],
        ].sort(),
      );
    });
  });
});
