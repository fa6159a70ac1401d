import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullmqQueue, DISPATCH_QUEUE_NAME } from '../queue/bullmq-queue.js';
import {
  type AppInChromium,
  hasChromium,
  openAppInChromium,
} from '../testing/chromium.test-helpers.js';
import {
  availableQueueModes,
  dropQueuePrefix,
  freshQueuePrefix,
  TEST_REDIS_URL,
} from '../testing/redis.test-helpers.js';
import { createTestContext, type TestContext } from '../testing/test-backends.test-helpers.js';
import { SESSION_COOKIE } from './admin-access.js';

const modes = await availableQueueModes();
const prefix = freshQueuePrefix();

describe.runIf(hasChromium() && modes.includes('bullmq'))(
  'the queue dashboard in headless Chromium',
  () => {
    let t: TestContext;
    let dashboardQueue: Queue;
    let opened: AppInChromium;

    beforeAll(async () => {
      dashboardQueue = new Queue(DISPATCH_QUEUE_NAME, {
        connection: { url: TEST_REDIS_URL },
        prefix,
      });
      // The browser part does not depend on the database: PGlite is enough here.
      t = await createTestContext('pglite', {}, { dashboardQueues: [dashboardQueue] });
      const jobs = createBullmqQueue({ url: TEST_REDIS_URL, prefix });
      await jobs.add('deliver_invitation', { deliveryId: 'dl-b1' }, { id: 'ob-browser-1' });
      await jobs.close();
      opened = await openAppInChromium(t.app.fetch);
    });
    afterAll(async () => {
      await opened?.close();
      await dashboardQueue?.close();
      await t?.close();
      await dropQueuePrefix(prefix);
    });

    it('signs a province admin in from the form and shows the dispatch queue; the cookie stays out of scripts', async () => {
      const { base, browser } = opened;
      const page = await browser.newPage();
      try {
        const refused = await page.goto(`${base}/admin/queues`);
        expect(refused?.status()).toBe(401);
        await page.goto(`${base}/admin/login`);
        await page.fill('#key', t.keys['yn.admin']);
        await Promise.all([page.waitForURL(`${base}/admin/queues`), page.click('button')]);
        await page.getByText(DISPATCH_QUEUE_NAME).first().waitFor({ timeout: 20_000 });
        const cookies = await page.context().cookies();
        expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite, c.path])).toEqual([
          [SESSION_COOKIE, true, 'Strict', '/admin'],
        ]);
        expect(await page.evaluate('document.cookie')).toBe('');
      } finally {
        await page.close();
      }
    });
  },
);
