import { formatZhDate, toShanghaiDate } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { desc, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Executor } from '../db/open-database.js';
import { withdrawalApplications } from '../db/schema.js';
import { page } from '../dispatch/reply-page.js';
import { ProblemError, problemSchema } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { SELF_COOKIE_SECURITY } from '../self/self-security.js';
import { findSelfExpertId, SELF_COOKIE } from '../self/self-session.js';
import { fileWithdrawalApplication, type WithdrawalRow } from './withdrawal-application.js';

const TITLE = '申请退出专家库';
const STATE_LABELS: Readonly<Record<WithdrawalRow['state'], string>> = {
  open: '待处理',
  accepted: '已同意，已退出专家库',
  refused: '不同意',
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

/** The expert's applications and, when none is open, the form (第二十四条). */
function withdrawalPage(rows: readonly WithdrawalRow[], notice = ''): string {
  const list =
    rows.length === 0
      ? '<p>尚无退出申请。</p>'
      : `<ul id="applications">${rows
          .map(
            (r) =>
              `<li data-state="${r.state}">${formatZhDate(toShanghaiDate(r.createdAt))}：${escapeHtml(r.reason)} — <strong>${STATE_LABELS[r.state]}</strong>${r.decisionReason ? `（${escapeHtml(r.decisionReason)}）` : ''}</li>`,
          )
          .join('')}</ul>`;
  const form = rows.some((r) => r.state === 'open' || r.state === 'accepted')
    ? ''
    : '<form method="post" action="/expert/withdrawal"><label for="reason">退出原因（身体健康、工作变动、个人意愿或其他原因）</label>' +
      '<textarea id="reason" name="reason" required maxlength="1000"></textarea>' +
      '<button type="submit">提交书面申请</button></form>';
  return (
    `<h1>${TITLE}</h1>${notice}<p>第二十四条：专家因身体健康、工作变动、个人意愿或其他原因不能或不愿继续履行职责时，可向省应急管理厅提出退出书面申请。</p>` +
    `${list}${form}<p><a href="/expert">返回专家自助</a></p>`
  );
}

const html = (c: Context<AppEnv>, body: string, status: 200 | 201 | 401 | 409 | 422 = 200) =>
  c.html(page(`${TITLE} / Withdrawal`, body), status);

const signInFirst = (c: Context<AppEnv>) =>
  html(
    c,
    `<h1>${TITLE}</h1><p><strong>请先登录。</strong></p><p><a href="/expert">登录专家自助</a></p>`,
    401,
  );

async function sessionExpertId(c: Context<AppEnv>): Promise<string | undefined> {
  const token = getCookie(c, SELF_COOKIE);
  return token === undefined ? undefined : findSelfExpertId(c.var.db, token, c.var.services.now());
}

/**
 * One line for the /expert page on the expert's latest withdrawal application, or nothing.
 *
 * @example
 * await withdrawalStateLine(db, 'e-1'); // '<p id="withdrawal-state" …>退出申请：待处理</p>'
 */
export async function withdrawalStateLine(db: Executor, expertId: string): Promise<string> {
  const [latest] = await db
    .select({ state: withdrawalApplications.state })
    .from(withdrawalApplications)
    .where(eq(withdrawalApplications.expertId, expertId))
    .orderBy(desc(withdrawalApplications.createdAt))
    .limit(1);
  return latest === undefined
    ? ''
    : `<p id="withdrawal-state" data-state="${latest.state}">退出申请：${STATE_LABELS[latest.state]}</p>`;
}

const ownRows = (c: Context<AppEnv>, expertId: string) =>
  c.var.db
    .select()
    .from(withdrawalApplications)
    .where(eq(withdrawalApplications.expertId, expertId))
    .orderBy(desc(withdrawalApplications.createdAt))
    .limit(50);

/** `/expert/withdrawal`: the expert's withdrawal applications and the form, on the session cookie. */
export const withdrawalPageRoutes = createRouter();

const htmlPage = (description: string) => ({
  description,
  content: { 'text/html': { schema: z.string().openapi({ description: 'A page in Chinese' }) } },
});
const tags = ['Expert self-service 专家自助'];
withdrawalPageRoutes.openAPIRegistry.registerPath({
  method: 'get',
  path: '/expert/withdrawal',
  operationId: 'showExpertWithdrawalPage',
  tags,
  summary: 'My withdrawal applications and the form (第二十四条) / 退出申请页面',
  description: 'With the expert_session cookie. no-store.',
  security: SELF_COOKIE_SECURITY,
  responses: {
    200: htmlPage('The page / 页面'),
    401: htmlPage('Not signed in / 请先登录'),
  },
});
withdrawalPageRoutes.openAPIRegistry.registerPath({
  method: 'post',
  path: '/expert/withdrawal',
  operationId: 'submitExpertWithdrawalForm',
  tags,
  summary: 'File a written withdrawal application from the page (第二十四条) / 提交退出申请',
  description: 'Audited as the expert; one open application at a time.',
  security: SELF_COOKIE_SECURITY,
  request: {
    body: {
      required: true,
      content: {
        'application/x-www-form-urlencoded': {
          schema: z.object({ reason: z.string().openapi({ description: '退出原因' }) }),
        },
      },
    },
  },
  responses: {
    201: htmlPage('Filed / 已提交'),
    401: htmlPage('Not signed in / 请先登录'),
    403: {
      description: 'A form posted from another site / 来自其他网站的提交',
      content: { 'application/problem+json': { schema: problemSchema } },
    },
    409: htmlPage('One is open already, or no longer in the pool / 已有待处理申请'),
    422: htmlPage('No reason given / 请填写原因'),
  },
});

withdrawalPageRoutes.get('/expert/withdrawal', async (c) => {
  const expertId = await sessionExpertId(c);
  if (expertId === undefined) return signInFirst(c);
  return html(c, withdrawalPage(await ownRows(c, expertId)));
});

withdrawalPageRoutes.post('/expert/withdrawal', async (c) => {
  const expertId = await sessionExpertId(c);
  if (expertId === undefined) return signInFirst(c);
  let reason = '';
  try {
    const form = await c.req.parseBody();
    reason = typeof form.reason === 'string' ? form.reason.trim() : '';
  } catch {
    // A body that is no form reads as empty: the 422 page.
  }
  // U+0000 cannot be stored: a form error like an empty reason.
  if (reason === '' || reason.length > 1000 || reason.includes('\u0000')) {
    const why = '<p><strong>请填写退出原因（不超过 1000 字）。</strong></p>';
    return html(c, withdrawalPage(await ownRows(c, expertId), why), 422);
  }
  const now = c.var.services.now();
  try {
    await c.var.db.transaction((tx) => fileWithdrawalApplication(tx, expertId, reason, now));
  } catch (error) {
    if (
      error instanceof ProblemError &&
      (error.code === 'already_exists' || error.code === 'illegal_transition')
    ) {
      const why = `<p><strong>${escapeHtml(error.detail.zh)}</strong></p>`;
      return html(c, withdrawalPage(await ownRows(c, expertId), why), 409);
    }
    throw error;
  }
  const done = '<p id="done"><strong>退出申请已提交，请等待省应急管理厅处理。</strong></p>';
  return html(c, withdrawalPage(await ownRows(c, expertId), done), 201);
});
