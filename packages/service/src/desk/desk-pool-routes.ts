import { expertStates, groups, industries } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import type { ExpertView } from '../experts/expert-view.js';
import { EXPERT_ACTIONS, type ExpertAction } from '../experts/lifecycle/expert-transitions.js';
import { specialtyZh } from '../experts/specialty-label.js';
import { createRouter } from '../http/create-router.js';
import { type DeskLang, deskLang, escapeHtml, renderDesk, t } from './desk-layout.js';
import { documentDeskPage } from './desk-page-doc.js';
import { actionBody, expertPage } from './desk-pool-expert.js';
import { labelOf } from './desk-pool-view.js';
import { deskSessionOf, requireDeskSession } from './desk-session.js';
import { callV1, type DeskProblem, problemText } from './desk-v1-call.js';

/** The pool: search and filters, an expert's page, lifecycle actions (all through /v1). */
export const deskPoolRoutes = createRouter();

const FILTERS = ['q', 'specialty', 'industry', 'status', 'region', 'group'] as const;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

documentDeskPage(deskPoolRoutes, {
  method: 'get',
  path: '/desk/experts',
  operationId: 'showDeskPool',
  summary: 'The pool: search and filter experts / 专家库检索',
  description: 'Filters as GET /v1/experts (q, specialty, industry, status, region, group).',
});
documentDeskPage(deskPoolRoutes, {
  method: 'get',
  path: '/desk/experts/{id}',
  operationId: 'showDeskExpert',
  summary: "An expert's page: profile, term, warnings with evidence, history, actions / 专家详情",
  description: 'Profile as GET /v1/experts/{id}; history from the audit log (admins, auditors).',
  params: z.object({ id: z.string() }),
});
documentDeskPage(deskPoolRoutes, {
  method: 'post',
  path: '/desk/experts/{id}/actions/{action}',
  operationId: 'submitDeskExpertAction',
  summary: 'Apply a lifecycle action from the desk / 状态变更',
  description: 'Posts to POST /v1/experts/{id}/actions/{action}: admins only, audited.',
  params: z.object({ id: z.string(), action: z.string() }),
});

function options(
  values: readonly string[],
  label: (value: string) => string,
  chosen: string | undefined,
  any: string,
): string {
  return `<option value="">${escapeHtml(any)}</option>${values
    .map(
      (value) =>
        `<option value="${escapeHtml(value)}"${value === chosen ? ' selected' : ''}>${escapeHtml(label(value))}</option>`,
    )
    .join('')}`;
}

function searchForm(
  lang: DeskLang,
  query: Record<string, string | undefined>,
  isAdmin = false,
): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const text = (name: string, zh: string, en: string) =>
    `<div><label for="f-${name}">${L(zh, en)}</label><input type="text" id="f-${name}" name="${name}" value="${escapeHtml(query[name] ?? '')}" maxlength="100"></div>`;
  const select = (name: string, zh: string, en: string, body: string) =>
    `<div><label for="f-${name}">${L(zh, en)}</label><select id="f-${name}" name="${name}">${body}</select></div>`;
  const any = L('全部', 'any');
  return (
    `<form method="get" action="/desk/experts" role="search" class="noprint"><div class="grid">` +
    text('q', '姓名或单位', 'Name or employer') +
    text('specialty', '专业', 'Specialty') +
    select(
      'industry',
      '行业',
      'Industry',
      options(industries.values, (v) => labelOf(industries, v, lang), query.industry, any),
    ) +
    select(
      'status',
      '状态',
      'State',
      options(expertStates.values, (v) => labelOf(expertStates, v, lang), query.status, any),
    ) +
    select(
      'group',
      '组别',
      'Group',
      options(groups.values, (v) => labelOf(groups, v, lang), query.group, any),
    ) +
    text('region', '地区代码', 'Region code') +
    `</div><p><button type="submit">${L('检索', 'Search')}</button>${isAdmin ? ` <a href="/desk/experts/import">${L('批量导入', 'Import')}</a>` : ''}</p></form>`
  );
}

deskPoolRoutes.get('/desk/experts', requireDeskSession(), async (c) => {
  const session = deskSessionOf(c);
  const lang = deskLang(c);
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const query: Record<string, string | undefined> = {};
  const params = new URLSearchParams();
  for (const name of [...FILTERS, 'cursor'] as const) {
    const value = c.req.query(name)?.trim();
    if (value) {
      query[name] = value;
      params.set(name, value);
    }
  }
  params.set('limit', '50');
  const answer = await callV1<{ items: ExpertView[]; nextCursor: string | null } & DeskProblem>(
    c,
    'GET',
    `/v1/experts?${params}`,
  );
  const title = { zh: '专家库', en: 'Pool' };
  if (!answer.ok) {
    const body = `<h1>${t(lang, title)}</h1>${searchForm(lang, query)}<p class="notice error" role="alert">${escapeHtml(problemText(answer.body))}</p>`;
    return renderDesk(c, session, { title, body, active: 'experts' }, 422);
  }
  const rows = answer.body.items.map(
    (e) =>
      `<tr><td><a href="/desk/experts/${encodeURIComponent(e.id)}">${escapeHtml(e.name)}</a></td><td>${escapeHtml(e.id)}</td><td>${escapeHtml(labelOf(expertStates, e.status, lang))}</td><td>${escapeHtml(e.employer.name)}</td><td>${escapeHtml(e.industries.map((i) => labelOf(industries, i, lang)).join('、'))}</td><td>${escapeHtml((lang === 'en' ? e.specialties : e.specialties.map(specialtyZh)).join('、'))}</td><td>${escapeHtml(e.region)}</td></tr>`,
  );
  const next =
    answer.body.nextCursor === null
      ? ''
      : `<p><a href="/desk/experts?${new URLSearchParams({ ...Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)), cursor: answer.body.nextCursor })}">${L('下一页', 'Next page')}</a></p>`;
  const table =
    rows.length === 0
      ? `<p id="no-experts">${L('没有符合条件的专家', 'No expert matches')}</p>`
      : `<div class="scroll"><table id="experts"><caption>${L('检索结果', 'Results')}</caption><thead><tr><th scope="col">${L('姓名', 'Name')}</th><th scope="col">${L('编号', 'ID')}</th><th scope="col">${L('状态', 'State')}</th><th scope="col">${L('工作单位', 'Employer')}</th><th scope="col">${L('行业', 'Industries')}</th><th scope="col">${L('专业', 'Specialties')}</th><th scope="col">${L('地区', 'Region')}</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
  return renderDesk(c, session, {
    title,
    body: `<h1>${t(lang, title)}</h1>${searchForm(lang, query, session.principal.role === 'admin')}${table}${next}`,
    active: 'experts',
  });
});

deskPoolRoutes.get('/desk/experts/:id', requireDeskSession(), async (c) => {
  const id = c.req.param('id');
  if (!ID.test(id)) return expertPage(c, '-', '', 404);
  return expertPage(c, id, '', 200);
});

// Any signed-in role may post: the API's own requireRole('admin') refuses the others, so a
// viewer's forged form meets the same check as a viewer's API call.
deskPoolRoutes.post('/desk/experts/:id/actions/:action', requireDeskSession(), async (c) => {
  const id = c.req.param('id');
  const action = c.req.param('action');
  if (!ID.test(id) || !EXPERT_ACTIONS.includes(action as ExpertAction)) {
    return expertPage(c, ID.test(id) ? id : '-', '', 404);
  }
  const lang = deskLang(c);
  const form = await c.req.parseBody();
  const answer = await callV1<DeskProblem>(
    c,
    'POST',
    `/v1/experts/${encodeURIComponent(id)}/actions/${action}`,
    { json: actionBody(form) },
  );
  if (answer.ok) {
    const done = `<p class="notice" role="status" id="action-done">${t(lang, { zh: '已执行并记入审计：', en: 'Done and audited: ' })}${escapeHtml(action)}</p>`;
    return expertPage(c, id, done, 200);
  }
  const status =
    answer.status === 403 || answer.status === 404 || answer.status === 409 ? answer.status : 422;
  const refused = `<p class="notice error" role="alert" id="action-refused">${escapeHtml(problemText(answer.body))}</p>`;
  return expertPage(c, id, refused, status);
});
