import { declineReasons, idSchema } from '@expert-dispatch/rules';
import { desc, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { tasks } from '../db/schema.js';
import { recordPhoneAnswer } from '../dispatch/record-phone-answer.js';
import { ProblemError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { cancelTask, redrawPanel } from '../tasks/request-panel.js';
import { streamTaskEvents, visibleTaskView } from '../tasks/task-events.js';
import { beijingTime, boardFragment, taskStatusLabel, taskSummary } from './desk-board-html.js';
import { csrfField, type DeskLang, deskLang, escapeHtml, renderDesk, t } from './desk-layout.js';
import { deskSessionOf, requireDeskSession } from './desk-session.js';
import { recordSignatories, signatoryName } from './draw-signatories.js';

const ALL = ['admin', 'dispatcher', 'auditor', 'viewer'] as const;
const OPEN = new Set(['inviting', 'confirmed', 'understaffed']);

async function readForm(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  try {
    return await c.req.parseBody();
  } catch {
    return {};
  }
}

const reasonOf = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const reason = value.trim();
  return reason.length >= 2 && reason.length <= 500 ? reason : undefined;
};

/** A refused action as a desk page: what went wrong and the way back to the task. */
function refusedPage(c: Context<AppEnv>, error: ProblemError, back: string) {
  const lang = deskLang(c);
  // A 409 (a cancelled task, a passed deadline) is a refused form like any other: 422.
  const status = error.status === 404 ? 404 : error.status === 403 ? 403 : 422;
  return renderDesk(
    c,
    deskSessionOf(c),
    {
      title: { zh: '未能完成', en: 'Not done' },
      body: `<h1>${t(lang, { zh: '未能完成', en: 'Not done' })}</h1><p class="notice error" role="alert">${escapeHtml(t(lang, error.detail))}</p><p><a href="${escapeHtml(back)}">${t(lang, { zh: '返回', en: 'Back' })}</a></p>`,
      active: 'tasks',
    },
    status,
  );
}

/** Runs a desk action, showing a refusal (404, 409, 422…) as a page instead of a problem. */
async function act(c: Context<AppEnv>, back: string, action: () => Promise<Response>) {
  try {
    return await action();
  } catch (error) {
    if (error instanceof ProblemError && error.status < 500) return refusedPage(c, error, back);
    throw error;
  }
}

function notFound(c: Context<AppEnv>, _lang: DeskLang) {
  return refusedPage(
    c,
    new ProblemError('not_found', { zh: '任务不存在', en: 'no such task' }),
    '/desk/tasks',
  );
}

function lifecycleForms(lang: DeskLang, csrf: string, id: string): string {
  const name = (field: string, zh: string, en: string) =>
    `<label for="${field}">${t(lang, { zh, en })}</label><input type="text" id="${field}" name="${field}" maxlength="50" required>`;
  return (
    `<section class="noprint" aria-labelledby="actions-h"><h2 id="actions-h">${t(lang, { zh: '任务操作', en: 'Task actions' })}</h2><div class="grid">` +
    `<form method="post" action="/desk/tasks/${id}/redraw">${csrf}<fieldset><legend>${t(lang, { zh: '重新抽取（须说明理由，记录在案）', en: 'Draw again (reason recorded)' })}</legend><label for="redraw-reason">${t(lang, { zh: '理由', en: 'Reason' })}</label><textarea id="redraw-reason" name="reason" minlength="2" maxlength="500" required></textarea>${name('redraw-drawnBy', '抽取人', 'Drawn by').replace('name="redraw-drawnBy"', 'name="drawnBy"')}${name('redraw-supervisor', '监督人', 'Supervisor').replace('name="redraw-supervisor"', 'name="supervisor"')}<p><button type="submit" class="secondary">${t(lang, { zh: '重新抽取', en: 'Redraw' })}</button></p></fieldset></form>` +
    `<form method="post" action="/desk/tasks/${id}/cancel">${csrf}<fieldset><legend>${t(lang, { zh: '取消任务（释放全部专家）', en: 'Cancel the task (releases every expert)' })}</legend><label for="cancel-reason">${t(lang, { zh: '理由', en: 'Reason' })}</label><textarea id="cancel-reason" name="reason" minlength="2" maxlength="500" required></textarea><p><button type="submit" class="danger">${t(lang, { zh: '取消任务', en: 'Cancel task' })}</button></p></fieldset></form>` +
    '</div></section>'
  );
}

/** The live reply board and the task list of the desk. */
export const deskTaskRoutes = createRouter();

deskTaskRoutes.get('/desk/tasks', requireDeskSession(...ALL), async (c) => {
  const lang = deskLang(c);
  const session = deskSessionOf(c);
  const rows = await c.var.db
    .select({
      id: tasks.id,
      status: tasks.status,
      windowFrom: tasks.windowFrom,
      createdAt: tasks.createdAt,
    })
    .from(tasks)
    .where(eq(tasks.authorityId, session.principal.authorityId))
    .orderBy(desc(tasks.createdAt))
    .limit(100);
  const body =
    `<h1>${t(lang, { zh: '本单位任务', en: "Your authority's tasks" })}</h1>` +
    (rows.length === 0
      ? `<p>${t(lang, { zh: '暂无任务。', en: 'No tasks yet.' })}</p>`
      : `<div class="scroll"><table><thead><tr><th scope="col">${t(lang, { zh: '任务', en: 'Task' })}</th><th scope="col">${t(lang, { zh: '状态', en: 'Status' })}</th><th scope="col">${t(lang, { zh: '开始', en: 'Starts' })}</th><th scope="col">${t(lang, { zh: '申请时间', en: 'Requested' })}</th></tr></thead><tbody>${rows
          .map(
            (r) =>
              `<tr><td><a href="/desk/tasks/${escapeHtml(encodeURIComponent(r.id))}">${escapeHtml(r.id)}</a></td><td>${escapeHtml(taskStatusLabel(lang, r.status))}</td><td>${beijingTime(r.windowFrom.toISOString())}</td><td>${beijingTime(r.createdAt.toISOString())}</td></tr>`,
          )
          .join('')}</tbody></table></div>`);
  return renderDesk(c, session, { title: { zh: '任务', en: 'Tasks' }, body, active: 'tasks' });
});

deskTaskRoutes.get('/desk/tasks/:id', requireDeskSession(...ALL), async (c) => {
  const lang = deskLang(c);
  const session = deskSessionOf(c);
  const id = idSchema.safeParse(c.req.param('id'));
  if (!id.success) return notFound(c, lang);
  return act(c, '/desk/tasks', async () => {
    const view = await visibleTaskView(c, session.principal, id.data);
    const canAct =
      session.principal.role === 'dispatcher' &&
      view.authorityId === session.principal.authorityId &&
      OPEN.has(view.status);
    const path = `/desk/tasks/${encodeURIComponent(view.id)}`;
    const body =
      `<h1>${t(lang, { zh: '答复看板', en: 'Reply board' })}</h1>${taskSummary(lang, view)}` +
      // The record is read as GET /v1/draws/{id} is: dispatchers, auditors, admins.
      (view.draw === null || session.principal.role === 'viewer'
        ? ''
        : `<p class="noprint"><a href="/desk/draws/${escapeHtml(encodeURIComponent(view.draw.id))}/record" id="record-link">${t(lang, { zh: '抽取记录（打印）', en: 'Draw record (print)' })}</a></p>`) +
      `<section id="board" aria-live="polite" data-events="${escapeHtml(path)}/events" data-fragment="${escapeHtml(path)}/board">${boardFragment(lang, view, c.var.services.now(), { csrf: csrfField(session), canAct })}</section>` +
      `<p class="hint noprint" id="live-state">${t(lang, { zh: '实时更新：连接中…', en: 'Live: connecting…' })}</p>` +
      (canAct
        ? lifecycleForms(lang, csrfField(session), escapeHtml(encodeURIComponent(view.id)))
        : '');
    return renderDesk(c, session, {
      title: { zh: `任务 ${view.id}`, en: `Task ${view.id}` },
      body,
      active: 'tasks',
      scripts: ['/desk/assets/board.js'],
    });
  });
});

deskTaskRoutes.get('/desk/tasks/:id/board', requireDeskSession(...ALL), async (c) => {
  const lang = deskLang(c);
  const session = deskSessionOf(c);
  const id = idSchema.safeParse(c.req.param('id'));
  if (!id.success) return notFound(c, lang);
  return act(c, '/desk/tasks', async () => {
    const view = await visibleTaskView(c, session.principal, id.data);
    const canAct =
      session.principal.role === 'dispatcher' &&
      view.authorityId === session.principal.authorityId &&
      OPEN.has(view.status);
    c.header('Cache-Control', 'no-store');
    return c.html(
      boardFragment(lang, view, c.var.services.now(), { csrf: csrfField(session), canAct }),
    );
  });
});

deskTaskRoutes.get('/desk/tasks/:id/events', requireDeskSession(...ALL), async (c) => {
  const lang = deskLang(c);
  const id = idSchema.safeParse(c.req.param('id'));
  if (!id.success) return notFound(c, lang);
  return act(c, '/desk/tasks', () => streamTaskEvents(c, deskSessionOf(c).principal, id.data));
});

deskTaskRoutes.post('/desk/tasks/:id/cancel', requireDeskSession('dispatcher'), async (c) => {
  const lang = deskLang(c);
  const id = idSchema.safeParse(c.req.param('id'));
  if (!id.success) return notFound(c, lang);
  const back = `/desk/tasks/${encodeURIComponent(id.data)}`;
  const reason = reasonOf((await readForm(c)).reason);
  return act(c, back, async () => {
    if (reason === undefined) {
      throw new ProblemError('validation_failed', {
        zh: '请说明理由（2–500 字）',
        en: 'give a reason (2–500 characters)',
      });
    }
    await cancelTask(c.var.services, deskSessionOf(c).principal, id.data, reason);
    return c.redirect(back, 303);
  });
});

deskTaskRoutes.post('/desk/tasks/:id/redraw', requireDeskSession('dispatcher'), async (c) => {
  const lang = deskLang(c);
  const id = idSchema.safeParse(c.req.param('id'));
  if (!id.success) return notFound(c, lang);
  const back = `/desk/tasks/${encodeURIComponent(id.data)}`;
  const form = await readForm(c);
  const reason = reasonOf(form.reason);
  const drawnBy = signatoryName(form.drawnBy);
  const supervisor = signatoryName(form.supervisor);
  return act(c, back, async () => {
    if (reason === undefined || drawnBy === undefined || supervisor === undefined) {
      throw new ProblemError('validation_failed', {
        zh: '请说明理由（2–500 字）并填写抽取人和监督人',
        en: 'give a reason (2–500 characters) and the names of who draws and supervises',
      });
    }
    const principal = deskSessionOf(c).principal;
    const view = await redrawPanel(c.var.services, principal, id.data, {
      reason,
      policy: 'lottery',
    });
    if (view.draw !== null) {
      await recordSignatories(
        c.var.db,
        principal,
        view.draw.id,
        { drawnBy, supervisor },
        c.var.services.now(),
      );
    }
    return c.redirect(back, 303);
  });
});

deskTaskRoutes.post(
  '/desk/invitations/:id/phone-reply',
  requireDeskSession('dispatcher'),
  async (c) => {
    const seat = c.req.param('id');
    const form = await readForm(c);
    return act(c, '/desk/tasks', async () => {
      if (!/^\d{1,15}$/.test(seat))
        throw new ProblemError('not_found', { zh: '邀请不存在', en: 'no such invitation' });
      const answer = form.answer;
      const reason = declineReasons.schema.safeParse(form.reason);
      const note = typeof form.note === 'string' ? form.note.slice(0, 500) : '';
      if (answer !== 'accept' && !(answer === 'decline' && reason.success)) {
        throw new ProblemError('validation_failed', {
          zh: '请选择接受，或选择谢绝并选择原因',
          en: 'choose accept, or decline with a reason',
        });
      }
      const { taskId } = await recordPhoneAnswer(
        c,
        Number(seat),
        answer === 'accept' || !reason.success
          ? { answer: 'accept' }
          : { answer: 'decline', reason: reason.data, note },
      );
      return c.redirect(`/desk/tasks/${encodeURIComponent(taskId)}`, 303);
    });
  },
);
