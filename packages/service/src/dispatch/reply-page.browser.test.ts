import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelSeats } from '../db/schema.js';
import { postTaskOnDay, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import {
  type AppInChromium,
  hasChromium,
  openAppInChromium,
} from '../testing/chromium.test-helpers.js';
import {
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { signReplyToken } from './reply-token.js';

type Seat = TaskView['panel'][number];

describe.runIf(hasChromium())('the reply page in headless Chromium', () => {
  let t: TestContext;
  let opened: AppInChromium | undefined;
  let baseUrl = '';
  let browser: Browser;

  /** A real reply link to one invited seat, served by the app over HTTP. */
  const invitationLink = async (taskId: string, date: string) => {
    const created = await postTaskOnDay(t, taskId, date);
    const seat = (created.body.panel as unknown as Seat[]).find((s) => s.role === 'member');
    if (seat === undefined) throw new Error('no member invited');
    const token = signReplyToken(
      t.services.env.REPLY_LINK_SECRET,
      Number(seat.invitationId),
      new Date(seat.replyDeadline ?? 0),
    );
    return { seat, url: `${baseUrl}/r/${token}` };
  };
  const seatRow = async (invitationId: string) => {
    const [row] = await t.database.db
      .select()
      .from(panelSeats)
      .where(eq(panelSeats.id, Number(invitationId)));
    return row;
  };

  beforeAll(async () => {
    t = await createTestContext('pglite');
    await seedPanelPool(t, 8);
    opened = await openAppInChromium(t.app.fetch);
    baseUrl = opened.base;
    browser = opened.browser;
  });
  afterAll(async () => {
    await opened?.close();
    await t.close();
  });

  it('opens the link on a phone, changes nothing on GET, declines with a reason and sees the confirmation (第十五条)', async () => {
    const { seat, url } = await invitationLink('t-browser-decline', '2026-07-01');
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    const audit = await countAuditEntries(t);
    const opened = await page.goto(url);
    expect(opened?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('专家邀请答复');
    expect(await page.locator('#state').getAttribute('data-state')).toBe('invited');
    expect(await page.textContent('body')).toContain('行政执法检查');
    expect(await page.textContent('body')).not.toContain('昆明钢铁');
    // Opening (and reloading) the link records nothing, as a mail scanner would.
    await page.reload();
    expect(await countAuditEntries(t)).toBe(audit);
    expect((await seatRow(seat.invitationId))?.state).toBe('invited');

    // Declining without a reason is stopped by the form itself.
    await page.getByRole('button', { name: '谢绝邀请' }).click();
    // The browser refused to submit: a reason is required (the radios carry `required`).
    const valueMissing = await page
      .locator('input[name=reason]')
      .first()
      .evaluate(
        (input) =>
          (input as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing,
      );
    expect(valueMissing).toBe(true);
    expect((await seatRow(seat.invitationId))?.state).toBe('invited');

    // Every reason is offered as the expert's claim, none as already approved, with a box for
    // the expert's own words (说明情况, at most 500 characters).
    for (const reason of [
      '身体原因',
      '时间冲突',
      '需回避（存在利害关系）',
      '其他原因（待认定）',
      '无正当理由',
    ]) {
      await expect(page.getByLabel(reason, { exact: true }).isVisible()).resolves.toBe(true);
    }
    expect(await page.textContent('body')).not.toContain('经同意');
    const note = page.getByLabel('情况说明（选填，不超过 500 字）');
    await expect(note.isVisible()).resolves.toBe(true);
    await expect(note.getAttribute('maxlength')).resolves.toBe('500');
    await page.getByLabel('时间冲突', { exact: true }).check();
    await note.fill('当日已有省厅安排的验收任务');
    await page.getByRole('button', { name: '谢绝邀请' }).click();
    await page.locator('#state[data-state="declined"]').waitFor();
    expect(await page.locator('#state').getAttribute('data-state')).toBe('declined');
    expect(await page.textContent('#state')).toContain('您已谢绝邀请');
    await expect(page.getByRole('button', { name: '接受邀请' }).count()).resolves.toBe(0);
    const row = await seatRow(seat.invitationId);
    expect(row).toMatchObject({
      state: 'declined',
      declineReason: 'schedule_conflict',
      declineNote: '当日已有省厅安排的验收任务',
      replyChannel: 'link',
      repliedBy: 'expert',
    });
    expect(await countAuditEntries(t)).toBeGreaterThan(audit);
    await context.close();
  });

  it('accepts with one tap and shows the answer when the link is opened again', async () => {
    const { seat, url } = await invitationLink('t-browser-accept', '2026-07-02');
    const page = await browser.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: '接受邀请' }).click();
    await page.locator('#state[data-state="accepted"]').waitFor();
    expect(await page.textContent('#state')).toContain('您已接受邀请');
    await page.goto(url);
    expect(await page.locator('#state').getAttribute('data-state')).toBe('accepted');
    expect((await seatRow(seat.invitationId))?.state).toBe('accepted');
    await page.close();
  });

  it('lets an expert who accepted say they can no longer attend, with the reason, and shows the confirmation (第十五条)', async () => {
    const { seat, url } = await invitationLink('t-browser-withdraw', '2026-07-03');
    const page = await browser.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: '接受邀请' }).click();
    await page.locator('#state[data-state="accepted"]').waitFor();
    // Opening the link again shows the accepted invitation with the way out; GET changes nothing.
    const audit = await countAuditEntries(t);
    await page.goto(url);
    expect(await countAuditEntries(t)).toBe(audit);
    const withdraw = page.getByRole('button', { name: '无法参加' });
    await expect(withdraw.count()).resolves.toBe(1);
    await page.getByLabel('身体原因').check();
    await withdraw.click();
    await page.locator('#state[data-state="withdrawn"]').waitFor();
    expect(await page.textContent('#state')).toContain('已登记您不能参加');
    await expect(page.getByRole('button', { name: '无法参加' }).count()).resolves.toBe(0);
    expect(await seatRow(seat.invitationId)).toMatchObject({
      state: 'withdrawn',
      declineReason: 'illness',
    });
    await page.close();
  });
});
