import { toShanghaiDate } from '@expert-dispatch/rules';
import { asc } from 'drizzle-orm';
import type { Context } from 'hono';
import { loadWorkingCalendar } from '../calendar/working-calendar.js';
import { organizations } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { randomHex } from '../random-hex.js';
import { type PanelPreview, previewPanel } from '../tasks/preview-panel.js';
import { replayedProblem, requestPanel } from '../tasks/request-panel.js';
import type { TaskView } from '../tasks/task-view.js';
import { csrfField, type DeskLang, deskLang, escapeHtml, renderDesk, t } from './desk-layout.js';
import {
  type DeskForm,
  type OrganizationChoice,
  requestFields,
  taskRequestOfForm,
  workingDaysHint,
} from './desk-request-form.js';
import { deskSessionOf, requireDeskSession } from './desk-session.js';
import { fieldText } from './desk-v1-call.js';
import { recordSignatories, signatoryName } from './draw-signatories.js';
import { ruleLabel } from './rule-labels.js';

const IDEMPOTENCY_KEY = /^desk-[0-9a-f]{16,64}$/;

async function loadOrganizations(c: Context<AppEnv>): Promise<OrganizationChoice[]> {
  return c.var.db
    .select({
      id: organizations.id,
      name: organizations.name,
      kind: organizations.kind,
      region: organizations.region,
    })
    .from(organizations)
    .orderBy(asc(organizations.name))
    .limit(2000);
}

async function readForm(c: Context<AppEnv>): Promise<DeskForm> {
  try {
    return await c.req.parseBody({ all: true });
  } catch {
    return {};
  }
}

const field = (form: DeskForm, name: string): string => {
  const value = form[name];
  return typeof value === 'string' ? value : '';
};

function problemNotice(lang: DeskLang, error: ProblemError): string {
  const errors = (error.errors ?? [])
    .map((e) => `<li><code>${escapeHtml(e.path)}</code> ${escapeHtml(fieldText(e))}</li>`)
    .join('');
  const unmet = Array.isArray(error.extensions.unmet)
    ? (
        error.extensions.unmet as {
          message?: { zh: string; en: string };
          article?: string | null;
        }[]
      )
        .map(
          (u) =>
            `<li>${escapeHtml(u.message === undefined ? '' : t(lang, u.message))}${u.article ? `（${escapeHtml(u.article)}）` : ''}</li>`,
        )
        .join('')
    : '';
  return `<div class="notice error" role="alert"><p>${escapeHtml(t(lang, error.detail))}</p>${errors || unmet ? `<ul>${errors}${unmet}</ul>` : ''}</div>`;
}

/** The funnel of a preview: each rule, how many it removed, what remained. */
export function funnelTable(lang: DeskLang, preview: PanelPreview): string {
  const rows = preview.steps
    .map(
      (step) =>
        `<tr><td>${escapeHtml(ruleLabel(lang, step.ruleId))}${step.article ? ` <small>（${escapeHtml(step.article)}）</small>` : ''}</td><td>${step.removed}</td><td>${step.remaining}</td></tr>`,
    )
    .join('');
  return `<div class="scroll"><table id="funnel"><caption>${t(lang, { zh: '筛选漏斗', en: 'Funnel' })}</caption><thead><tr><th scope="col">${t(lang, { zh: '规则', en: 'Rule' })}</th><th scope="col">${t(lang, { zh: '排除', en: 'Removed' })}</th><th scope="col">${t(lang, { zh: '剩余', en: 'Remaining' })}</th></tr></thead><tbody><tr><td>${t(lang, { zh: '专家库', en: 'Pool' })}</td><td></td><td>${preview.pool}</td></tr>${rows}${preview.samePerson > 0 ? `<tr><td>${t(lang, { zh: '同一人多条记录', en: 'Same person, other record' })}</td><td>${preview.samePerson}</td><td></td></tr>` : ''}<tr><th scope="row">${t(lang, { zh: '符合条件', en: 'Eligible' })}</th><td></td><td id="eligible">${preview.eligible}</td></tr></tbody></table></div>`;
}

async function requestPage(
  c: Context<AppEnv>,
  form: DeskForm,
  extra: { notice?: string; preview?: PanelPreview; status?: 200 | 422 },
) {
  const session = deskSessionOf(c);
  const lang = deskLang(c);
  const orgs = await loadOrganizations(c);
  const calendar = await loadWorkingCalendar(c.var.db);
  // The calendar's days are Asia/Shanghai dates: before 08:00 there the UTC date is yesterday.
  const today = toShanghaiDate(c.var.services.now());
  const key = IDEMPOTENCY_KEY.test(field(form, 'idempotencyKey'))
    ? field(form, 'idempotencyKey')
    : `desk-${randomHex(16)}`;
  const preview = extra.preview;
  const drawPart =
    preview === undefined
      ? ''
      : `<section aria-labelledby="preview-h"><h2 id="preview-h">${t(lang, { zh: '抽取前预览', en: 'Preview' })}</h2>` +
        `<p>${t(lang, { zh: `规则集 ${preview.ruleSet.id} ${preview.ruleSet.version}`, en: `Rule set ${preview.ruleSet.id} ${preview.ruleSet.version}` })} · ${
          preview.feasible
            ? `<strong class="ok" id="feasible">${t(lang, { zh: '可以组成专家组', en: 'a panel can be formed' })}</strong>`
            : `<strong class="flag" id="feasible">${t(lang, { zh: '无法组成专家组', en: 'no panel can be formed' })}</strong>`
        }</p>${funnelTable(lang, preview)}${
          preview.unmet.length > 0
            ? `<ul>${preview.unmet.map((u) => `<li>${escapeHtml(t(lang, u.message))}${u.article ? `（${escapeHtml(u.article)}）` : ''}</li>`).join('')}</ul>`
            : ''
        }` +
        (preview.feasible
          ? `<fieldset><legend>${t(lang, { zh: '抽取人与监督人（打印在抽取记录上）', en: 'Drawn by and supervisor (printed on the draw record)' })}</legend><div class="grid"><div><label for="drawnBy">${t(lang, { zh: '抽取人', en: 'Drawn by' })}</label><input type="text" id="drawnBy" name="drawnBy" maxlength="50" required value="${escapeHtml(field(form, 'drawnBy'))}"></div><div><label for="supervisor">${t(lang, { zh: '监督人', en: 'Supervisor' })}</label><input type="text" id="supervisor" name="supervisor" maxlength="50" required value="${escapeHtml(field(form, 'supervisor'))}"></div></div></fieldset>` +
            `<p><button type="submit" id="draw" formaction="/desk/request">${t(lang, { zh: '确认抽取', en: 'Draw now' })}</button></p>`
          : '') +
        '</section>';
  const body =
    `<h1>${t(lang, { zh: '申请抽取专家', en: 'Request a panel' })}</h1>${extra.notice ?? ''}` +
    `<form method="post" action="/desk/request/preview">${csrfField(session)}<input type="hidden" name="idempotencyKey" value="${escapeHtml(key)}">` +
    requestFields(lang, form, orgs) +
    workingDaysHint(lang, calendar, today, 35) +
    `<p><button type="submit" class="secondary" id="preview">${t(lang, { zh: '预览筛选结果', en: 'Preview the funnel' })}</button></p>` +
    drawPart +
    '</form>';
  return renderDesk(
    c,
    session,
    { title: { zh: '申请抽取', en: 'Request a panel' }, body, active: 'request' },
    extra.status ?? 200,
  );
}

/** Request a panel from the desk: the form, the preview of its funnel, then the draw. */
export const deskRequestRoutes = createRouter();

deskRequestRoutes.get('/desk/request', requireDeskSession('dispatcher'), (c) =>
  requestPage(c, {}, {}),
);

deskRequestRoutes.post('/desk/request/preview', requireDeskSession('dispatcher'), async (c) => {
  const lang = deskLang(c);
  const form = await readForm(c);
  const { principal } = deskSessionOf(c);
  const parsed = taskRequestOfForm(form, await loadOrganizations(c), principal.region);
  if (!parsed.ok) {
    const error = new ProblemError('validation_failed', undefined, { errors: parsed.errors });
    return requestPage(c, form, { notice: problemNotice(lang, error), status: 422 });
  }
  try {
    const preview = await previewPanel(c.var.services, principal, parsed.request);
    return requestPage(c, form, { preview });
  } catch (error) {
    if (error instanceof ProblemError && error.status === 422) {
      return requestPage(c, form, { notice: problemNotice(lang, error), status: 422 });
    }
    throw error;
  }
});

deskRequestRoutes.post('/desk/request', requireDeskSession('dispatcher'), async (c) => {
  const lang = deskLang(c);
  const form = await readForm(c);
  const { principal } = deskSessionOf(c);
  const parsed = taskRequestOfForm(form, await loadOrganizations(c), principal.region);
  const drawnBy = signatoryName(form.drawnBy);
  const supervisor = signatoryName(form.supervisor);
  const key = field(form, 'idempotencyKey');
  if (
    !parsed.ok ||
    drawnBy === undefined ||
    supervisor === undefined ||
    !IDEMPOTENCY_KEY.test(key)
  ) {
    const errors = [
      ...(parsed.ok ? [] : parsed.errors),
      ...(drawnBy === undefined
        ? [{ path: 'drawnBy', message: '请填写抽取人 / name who draws' }]
        : []),
      ...(supervisor === undefined
        ? [{ path: 'supervisor', message: '请填写监督人 / name the supervisor' }]
        : []),
      ...(IDEMPOTENCY_KEY.test(key) ? [] : [{ path: 'idempotencyKey', message: 'invalid' }]),
    ];
    const error = new ProblemError('validation_failed', undefined, { errors });
    return requestPage(c, form, { notice: problemNotice(lang, error), status: 422 });
  }
  let view: TaskView;
  try {
    const response = await requestPanel(c.var.services, principal, parsed.request, key);
    if (response.status !== 201) throw replayedProblem(response.body);
    view = response.body as TaskView;
  } catch (error) {
    if (error instanceof ProblemError && (error.status === 422 || error.status === 409)) {
      return requestPage(c, form, { notice: problemNotice(lang, error), status: 422 });
    }
    throw error;
  }
  if (view.draw !== null) {
    await recordSignatories(
      c.var.db,
      principal,
      view.draw.id,
      { drawnBy, supervisor },
      c.var.services.now(),
    );
  }
  return c.redirect(`/desk/tasks/${encodeURIComponent(view.id)}`, 303);
});
