import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawSignatories, panelSeats } from '../db/schema.js';
import {
  type DispatchHarness,
  makeTestQueue,
  openDispatchHarness,
  postForm,
  until,
} from '../dispatch/dispatch.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import {
  type AppInChromium,
  hasChromium,
  openAppInChromium,
} from '../testing/chromium.test-helpers.js';
import { call, type KeyName, type TestContext } from '../testing/test-backends.test-helpers.js';

/** Screenshots and the printed record go where CI keeps its artifacts (gitignored). */
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '../../../../test-results');
/** Nothing listens here: every attempt to reach it fails at once. */
const DEAD_PORT = 'http://127.0.0.1:1/gateway';

type Seat = TaskView['panel'][number];

describe.runIf(hasChromium())('the dispatch desk in headless Chromium', () => {
  let h: DispatchHarness;
  let t: TestContext;
  let opened: AppInChromium | undefined;
  let base = '';
  let browser: Browser;
  let taskId = '';
  let drawId = '';
  const cspViolations: string[] = [];

  /** No serious or critical axe-core violation on the page as it stands. */
  const expectAccessible = async (page: Page) => {
    // Evaluated through the DevTools protocol: the page's own CSP (no inline script) stays on.
    await page.evaluate(axe.source);
    // A string: the test project has no DOM types; this runs in the page.
    const found = (await page.evaluate(
      `axe.run(document, { resultTypes: ['violations'] }).then((result) =>
        result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`,
    )) as string[];
    expect(found).toEqual([]);
  };
  const screenshot = (page: Page, name: string) =>
    page.screenshot({ path: join(RESULTS, `desk-${name}.png`), fullPage: true });

  const signedIn = async (key: KeyName, viewport = { width: 1366, height: 768 }) => {
    const context = await browser.newContext({ viewport, locale: 'zh-CN' });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(`${base}/desk/tasks`);
    expect(new URL(page.url()).pathname).toBe('/desk/login');
    await page.fill('#key', t.keys[key]);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/desk/tasks`);
    return { context, page };
  };

  // Seeding, the dispatcher and Chromium take a while on a loaded machine.
  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    h = await openDispatchHarness('pglite', 10);
    t = h.t;
    const org = await call(t, 'POST', '/v1/organizations', {
      key: 'yn.admin',
      json: { id: 'org-steel', name: '昆明钢铁有限公司', kind: 'enterprise', region: '530111' },
    });
    expect(org.status, org.text).toBe(201);
    opened = await openAppInChromium(t.app.fetch);
    base = opened.base;
    browser = opened.browser;
  }, 180_000);
  afterAll(async () => {
    await opened?.close();
    await h.stop();
    await h.close();
  });

  it('signs in with a key, previews the funnel, draws, and follows the replies live on the board (第十五条)', async () => {
    const login = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await login.goto(`${base}/desk/login`);
    await expectAccessible(login);
    await screenshot(login, 'login-phone');
    await login.close();

    const { context, page } = await signedIn('yn.dispatcher');
    expect(await page.textContent('#desk-who')).toContain('云南省应急管理厅');
    expect(await page.textContent('#desk-who')).toContain('调度员');
    await page.goto(`${base}/desk/request`);
    await expectAccessible(page);
    await screenshot(page, 'request');

    await page.selectOption('#type', 'enforcement_inspection');
    await page.selectOption('#enterprise', 'org-steel');
    await page.check('input[name=industries][value=metallurgy]');
    await page.fill('#from', '2026-03-10T08:30');
    await page.fill('#to', '2026-03-11T18:00');
    await page.fill('#panelSize', '3');
    await page.fill('#alternates', '2');
    await page.click('#preview');
    await page.waitForSelector('#funnel');
    // The preview names nobody and writes nothing: the pool of 10 is all eligible.
    expect(await page.textContent('#eligible')).toBe('10');
    expect(await page.textContent('#feasible')).toContain('可以组成专家组');
    const [noSeat] = await t.database.db.select({ id: panelSeats.id }).from(panelSeats).limit(1);
    expect(noSeat).toBeUndefined();
    await expectAccessible(page);
    await screenshot(page, 'request-preview');

    await page.fill('#drawnBy', '王调度');
    await page.fill('#supervisor', '李监督');
    await page.click('#draw');
    await page.waitForURL(/\/desk\/tasks\/t_[0-9a-f]+$/);
    taskId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    const drawn = (await call(t, 'GET', `/v1/tasks/${taskId}`, { key: 'yn.dispatcher' }))
      .body as unknown as TaskView;
    drawId = drawn.draw?.id ?? '';
    const [names] = await t.database.db
      .select()
      .from(drawSignatories)
      .where(eq(drawSignatories.drawId, drawId));
    expect(names).toMatchObject({ drawnBy: '王调度', supervisor: '李监督' });
    const members = drawn.panel.filter((s) => s.role !== 'alternate');
    expect(members).toHaveLength(3);
    for (const seat of members) {
      expect(await page.getAttribute(`#seat-${seat.invitationId}`, 'data-state')).toBe('invited');
    }

    // One member can be reached by no channel; the dispatch loop starts only now.
    const [lost, answering] = members.filter((s) => s.role === 'member') as [Seat, Seat];
    const put = await call(t, 'PUT', `/v1/experts/${lost.expertId}/contacts`, {
      key: 'yn.admin',
      json: { contacts: [{ channel: 'webhook', address: DEAD_PORT }] },
    });
    expect(put.status).toBe(200);
    h.start(makeTestQueue('in-process', ''), { settings: { deliveryRetryWindowMs: 150 } });

    // The board hears it over SSE: flagged for a phone call, and the place backfilled.
    await page.waitForSelector(`#seat-${lost.invitationId}[data-state=undeliverable]`, {
      timeout: 20_000,
    });
    expect(await page.getAttribute(`#seat-${lost.invitationId}`, 'class')).toBe('flagged');
    await page.waitForSelector('#seats tr[data-state=invited] >> nth=2', { timeout: 20_000 });

    // The expert answers through the reply link the webhook receiver got.
    await until(() =>
      h.receiver.requests.some((r) => r.body.invitationId === answering.invitationId),
    );
    const message = h.receiver.requests.find((r) => r.body.invitationId === answering.invitationId);
    const replied = await postForm(t, new URL(String(message?.body.replyUrl)).pathname, {
      answer: 'accept',
    });
    expect(replied.status).toBe(200);
    await page.waitForSelector(`#seat-${answering.invitationId}[data-state=accepted]`, {
      timeout: 20_000,
    });
    await expectAccessible(page);
    await screenshot(page, 'board');

    // The dispatcher phones the flagged expert and records the answer on the board.
    await page.click(`#seat-${lost.invitationId} summary`);
    await page.check(`#seat-${lost.invitationId} input[name=answer][value=accept]`);
    await page.click(`#seat-${lost.invitationId} button[type=submit]`);
    await page.waitForURL(`${base}/desk/tasks/${taskId}`);
    const [seat] = await t.database.db
      .select({ state: panelSeats.state, replyChannel: panelSeats.replyChannel })
      .from(panelSeats)
      .where(eq(panelSeats.id, Number(lost.invitationId)));
    // Its place was filled meanwhile: the acceptance takes a free place, else the waiting list.
    expect(seat?.replyChannel).toBe('phone');
    expect(['accepted', 'waitlisted']).toContain(seat?.state);
    expect(await page.getAttribute(`#seat-${lost.invitationId}`, 'data-state')).toBe(seat?.state);
    await context.close();
  });

  it('prints the draw record with the names, seed, pool digest and a QR code, and an auditor replays it', async () => {
    const { context, page } = await signedIn('yn.dispatcher');
    await page.goto(`${base}/desk/draws/${drawId}/record`);
    const text = (await page.textContent('main')) ?? '';
    const draw = (await call(t, 'GET', `/v1/draws/${drawId}`, { key: 'yn.auditor' })).body;
    expect(text).toContain('专家抽取记录');
    expect(text).toContain(String(draw.seed));
    expect(text).toContain(String(draw.poolDigest));
    expect(text).toContain('yunnan-gmy-2025');
    expect(await page.textContent('#drawn-by')).toBe('王调度');
    expect(await page.textContent('#supervisor')).toBe('李监督');
    expect(await page.locator('#record-panel tbody tr').count()).toBe(5);
    expect(await page.locator('.qr svg').count()).toBe(1);
    // Only an auditor may replay (as GET /v1/draws/{id}/verify): no button for the dispatcher.
    expect(await page.locator('#verify').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'draw-record');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // One A4 sheet to sign.
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    writeFileSync(join(RESULTS, 'desk-draw-record.pdf'), pdf);
    await context.close();

    const auditor = await signedIn('yn.auditor');
    await auditor.page.goto(`${base}/desk/draws/${drawId}/record`);
    await auditor.page.click('#verify');
    await auditor.page.waitForSelector('#verify-outcome');
    expect(await auditor.page.getAttribute('#verify-outcome', 'data-ok')).toBe('true');
    await expectAccessible(auditor.page);
    await auditor.context.close();
  });

  it('shows a viewer the board without any action, and refuses the actions in the desk and the API', async () => {
    const { context, page } = await signedIn('yn.viewer', { width: 390, height: 844 });
    expect(await page.textContent('#desk-who')).toContain('查看者');
    await page.goto(`${base}/desk/tasks/${taskId}`);
    await page.waitForSelector('#seats');
    expect(await page.locator('details.phone').count()).toBe(0);
    expect(await page.locator('form[action$="/cancel"]').count()).toBe(0);
    expect(await page.locator('form[action$="/redraw"]').count()).toBe(0);
    expect(await page.locator('#record-link').count()).toBe(0);
    expect((await page.goto(`${base}/desk/draws/${drawId}/record`))?.status()).toBe(403);
    // English on request, remembered for the next pages.
    await page.goto(`${base}/desk/tasks/${taskId}?lang=en`);
    expect(await page.textContent('h1')).toBe('Reply board');
    await page.goto(`${base}/desk/tasks/${taskId}`);
    expect(await page.textContent('#desk-who')).toContain('viewer');
    await page.goto(`${base}/desk/tasks/${taskId}?lang=zh`);
    await expectAccessible(page);
    await screenshot(page, 'board-viewer-phone');
    expect((await page.goto(`${base}/desk/request`))?.status()).toBe(403);
    expect(await page.locator('#draw, #preview').count()).toBe(0);
    await page.goto(`${base}/desk/tasks/${taskId}`);
    const csrf = (await page.getAttribute('input[name=_csrf]', 'value')) ?? '';
    const posted = await page.request.post(`${base}/desk/tasks/${taskId}/cancel`, {
      form: { _csrf: csrf, reason: '查看者不应能取消' },
    });
    expect(posted.status()).toBe(403);
    const api = await call(t, 'POST', `/v1/tasks/${taskId}/cancel`, {
      key: 'yn.viewer',
      json: { reason: '查看者不应能取消' },
    });
    expect(api.status).toBe(403);
    const preview = await call(t, 'POST', '/v1/tasks/preview', {
      key: 'yn.viewer',
      json: {},
    });
    expect(preview.status).toBe(403);
    expect(
      (await call(t, 'GET', `/v1/tasks/${taskId}`, { key: 'yn.viewer' })).body.status,
    ).not.toBe('cancelled');
    expect(cspViolations).toEqual([]);
    await context.close();
  });
  it('redraws with a reason and the new names, then cancels with a reason, from the board', async () => {
    const { context, page } = await signedIn('yn.dispatcher');
    await page.goto(`${base}/desk/tasks/${taskId}`);
    await page.fill('#redraw-reason', '监督人要求重新抽取');
    await page.fill('#redraw-drawnBy', '赵调度');
    await page.fill('#redraw-supervisor', '钱监督');
    await page.getByRole('button', { name: '重新抽取' }).click();
    await page.waitForURL(`${base}/desk/tasks/${taskId}`);
    const redrawn = (await call(t, 'GET', `/v1/tasks/${taskId}`, { key: 'yn.dispatcher' }))
      .body as unknown as TaskView;
    expect(redrawn.draw?.sequence).toBe(2);
    const [names] = await t.database.db
      .select()
      .from(drawSignatories)
      .where(eq(drawSignatories.drawId, redrawn.draw?.id ?? ''));
    expect(names).toMatchObject({ drawnBy: '赵调度', supervisor: '钱监督' });
    await page.goto(`${base}/desk/draws/${redrawn.draw?.id}/record`);
    expect(await page.textContent('main')).toContain('监督人要求重新抽取');

    await page.goto(`${base}/desk/tasks/${taskId}`);
    await page.fill('#cancel-reason', '企业停产，检查取消');
    await page.getByRole('button', { name: '取消任务' }).click();
    await page.waitForURL(`${base}/desk/tasks/${taskId}`);
    expect(await page.getAttribute('#task-status', 'data-status')).toBe('cancelled');
    // A cancelled task offers no action any more.
    expect(await page.locator('form[action$="/cancel"]').count()).toBe(0);
    await context.close();
  });
});
