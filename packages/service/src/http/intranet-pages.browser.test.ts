import { and, eq } from 'drizzle-orm';
import type { BrowserContext, Page, Response as PageResponse } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_PATH } from '../admin/queue-dashboard.js';
import { notices, panelSeats } from '../db/schema.js';
import { signReplyToken } from '../dispatch/reply-token.js';
import { DISPATCH_QUEUE_NAME } from '../queue/bullmq-queue.js';
import {
  attendanceOf,
  panelMembers,
  type Seat,
  serveTask,
} from '../tasks/served-task.test-helpers.js';
import { postTaskOnDay, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import {
  type AppInChromium,
  hasChromium,
  openAppInChromium,
} from '../testing/chromium.test-helpers.js';
import {
  type LocalHttpServer,
  startLocalHttpServer,
} from '../testing/local-http-server.test-helpers.js';
import {
  availableQueueModes,
  dropQueuePrefix,
  freshQueuePrefix,
  TEST_REDIS_URL,
} from '../testing/redis.test-helpers.js';
import {
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const modes = await availableQueueModes();
const prefix = freshQueuePrefix();

/** A browser context that lets only this machine's addresses through and records the rest. */
interface Offline {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Requests to anywhere but 127.0.0.1 / localhost, refused before they left. */
  readonly blocked: string[];
  /** Console reports of something the page's Content-Security-Policy refused. */
  readonly refused: string[];
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** Every header an HTML page of the service must carry (item 6 of issue 12). */
function expectPageHeaders(response: PageResponse | null): Record<string, string> {
  const headers = response?.headers() ?? {};
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("default-src 'none'");
  // No origin but this one: no scheme-qualified source, no wildcard.
  expect(csp).not.toMatch(/https?:|\*/);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  return headers;
}

// Every page the service serves, in a real browser on a machine with no way out: each renders,
// asks for nothing outside this server, and trips none of its own security policy.
describe.runIf(hasChromium())('the pages on an intranet, in headless Chromium', () => {
  let t: TestContext;
  let opened: AppInChromium;
  let foreign: LocalHttpServer | undefined;
  const closeQueue: (() => Promise<void>)[] = [];
  const contexts: BrowserContext[] = [];

  const openOffline = async (
    options: { readonly extraHTTPHeaders?: Record<string, string> } = {},
  ): Promise<Offline> => {
    const context = await opened.browser.newContext(options);
    contexts.push(context);
    const blocked: string[] = [];
    const refused: string[] = [];
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (['http:', 'https:'].includes(url.protocol) && !LOCAL_HOSTS.has(url.hostname)) {
        blocked.push(url.href);
        await route.abort('blockedbyclient');
        return;
      }
      await route.continue();
    });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    return { context, page, blocked, refused };
  };

  const seatState = async (invitationId: string) => {
    const [row] = await t.database.db
      .select({ state: panelSeats.state })
      .from(panelSeats)
      .where(eq(panelSeats.id, Number(invitationId)));
    return row?.state;
  };

  /** A reply link of one invited member of a fresh task on `date`. */
  const replyLink = async (taskId: string, date: string) => {
    const created = await postTaskOnDay(t, taskId, date);
    const seat = (created.body.panel as unknown as Seat[]).find((s) => s.role === 'member');
    if (seat === undefined) throw new Error('no member invited');
    const token = signReplyToken(
      t.services.env.REPLY_LINK_SECRET,
      Number(seat.invitationId),
      new Date(seat.replyDeadline ?? 0),
    );
    return { seat, url: `${opened.base}/r/${token}` };
  };

  beforeAll(async () => {
    const withRedis = modes.includes('bullmq');
    const dashboardQueues = [];
    if (withRedis) {
      const { Queue } = await import('bullmq');
      const queue = new Queue(DISPATCH_QUEUE_NAME, { connection: { url: TEST_REDIS_URL }, prefix });
      closeQueue.push(() => queue.close());
      dashboardQueues.push(queue);
    }
    t = await createTestContext('pglite', {}, { dashboardQueues });
    await seedPanelPool(t, 12);
    opened = await openAppInChromium(t.app.fetch);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await foreign?.close();
    await opened?.close();
    for (const close of closeQueue) await close();
    await t?.close();
    await dropQueuePrefix(prefix);
  });

  it('shows the API reference with every operation, from files of its own', async () => {
    const { page, blocked, refused } = await openOffline();
    const response = await page.goto(`${opened.base}/docs`);
    expect(response?.status()).toBe(200);
    expectPageHeaders(response);
    await page.locator('.opblock-tag').first().waitFor({ timeout: 30_000 });
    const document = await call(t, 'GET', '/openapi.json');
    const operations = Object.values(
      document.body.paths as Record<string, Record<string, { tags?: string[] }>>,
    ).flatMap((item) => Object.values(item));
    const tags = new Set(operations.map((operation) => operation.tags?.[0]));
    // Every tag is listed, collapsed; opening one shows each of its operations.
    await expect
      .poll(() => page.locator('.opblock-tag').count(), { timeout: 30_000 })
      .toBe(tags.size);
    const tasks = operations.filter((operation) => operation.tags?.[0] === 'Tasks 任务与抽取');
    await page.locator('.opblock-tag', { hasText: 'Tasks 任务与抽取' }).click();
    await expect
      .poll(() => page.locator('.opblock').count(), { timeout: 30_000 })
      .toBe(tasks.length);
    expect(await page.locator('.info .title').textContent()).toContain('Expert Dispatch API');
    expect(blocked).toEqual([]);
    expect(refused).toEqual([]);
  });

  it.runIf(modes.includes('bullmq'))(
    'shows the queue dashboard without its web fonts or anything else from outside',
    async () => {
      const { page, blocked, refused } = await openOffline();
      await page.goto(`${opened.base}/admin/login`);
      await page.fill('#key', t.keys['yn.admin']);
      const [response] = await Promise.all([
        page.waitForResponse(
          (r) => new URL(r.url()).pathname === DASHBOARD_PATH && r.status() === 200,
        ),
        page.click('button'),
      ]);
      const headers = response.headers();
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['content-security-policy']).not.toMatch(/https?:|\*/);
      expect(await response.text()).not.toContain('fonts.googleapis.com');
      await page.getByText(DISPATCH_QUEUE_NAME).first().waitFor({ timeout: 30_000 });
      expect(blocked).toEqual([]);
      expect(refused).toEqual([]);
    },
  );

  it('shows the reply page, uncached, and records the answer its own form posts (第十五条)', async () => {
    const { seat, url } = await replyLink('t-intranet-reply', '2026-07-01');
    const { page, blocked, refused } = await openOffline();
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    expect(expectPageHeaders(response)['cache-control']).toBe('no-store');
    expect(await page.locator('#state').getAttribute('data-state')).toBe('invited');
    const [posted] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: '接受邀请' }).click(),
    ]);
    expect(posted.status()).toBe(200);
    expect(posted.headers()['cache-control']).toBe('no-store');
    await page.locator('#state[data-state="accepted"]').waitFor();
    expect(await seatState(seat.invitationId)).toBe('accepted');
    expect(blocked).toEqual([]);
    expect(refused).toEqual([]);
  });

  it("refuses an answer another site's page posts to a reply link (403), and records nothing", async () => {
    const { seat, url } = await replyLink('t-intranet-forged', '2026-07-02');
    // Another origin (another host name for this machine) with a page that posts on load.
    foreign = await startLocalHttpServer((_request, _body, response) => {
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end(
        `<!doctype html><form id="f" method="post" action="${url}"><input name="answer" value="decline"><input name="reason" value="schedule_conflict"></form><script>document.getElementById('f').submit()</script>`,
      );
    });
    const { page, blocked } = await openOffline();
    const [posted] = await Promise.all([
      page.waitForResponse((r) => r.url() === url && r.request().method() === 'POST'),
      page.goto(foreign.origin.replace('127.0.0.1', 'localhost')),
    ]);
    expect(posted.status()).toBe(403);
    expect(posted.headers()['content-type']).toMatch(/^application\/problem\+json/);
    expect(await posted.json()).toMatchObject({ code: 'forbidden', status: 403 });
    expect(await seatState(seat.invitationId)).toBe('invited');
    expect(blocked).toEqual([]);
  });

  it('shows the rating page, uncached, and records the rating its own form posts (第二十条)', async () => {
    const panel = await serveTask(t, 't-intranet-rate', '2026-07-06', {
      ratingContact: { channel: 'email', address: 'safety@steel.example' },
    });
    const done = await call(t, 'POST', '/v1/tasks/t-intranet-rate/complete', {
      key: 'yn.dispatcher',
      json: { attendance: attendanceOf(panelMembers(panel)) },
    });
    expect(done.status).toBe(200);
    const [notice] = await t.database.db
      .select({ link: notices.link })
      .from(notices)
      .where(and(eq(notices.taskId, 't-intranet-rate'), eq(notices.kind, 'rating_request')));
    const path = new URL(notice?.link ?? 'http://missing/').pathname;
    const { page, blocked, refused } = await openOffline();
    const response = await page.goto(`${opened.base}${path}`);
    expect(response?.status()).toBe(200);
    expect(expectPageHeaders(response)['cache-control']).toBe('no-store');
    expect(await page.locator('#state').getAttribute('data-state')).toBe('open');
    for (const section of await page.locator('section.member').all()) {
      await section.locator('input[value="5"]').check();
    }
    const [posted] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: '提交评价' }).click(),
    ]);
    expect(posted.status()).toBe(200);
    await page.locator('#state[data-state="rated"]').waitFor();
    expect(blocked).toEqual([]);
    expect(refused).toEqual([]);
  });

  it('shows the printable report with nothing from outside (第二十条)', async () => {
    const { page, blocked, refused } = await openOffline({
      extraHTTPHeaders: { authorization: `Bearer ${t.keys['yn.auditor']}` },
    });
    const response = await page.goto(`${opened.base}/v1/reports/annual?year=2026&format=html`);
    expect(response?.status()).toBe(200);
    expectPageHeaders(response);
    expect(await page.locator('h1').textContent()).toContain('2026');
    expect(await page.locator('h2').count()).toBeGreaterThan(0);
    expect(blocked).toEqual([]);
    expect(refused).toEqual([]);
  });
});
