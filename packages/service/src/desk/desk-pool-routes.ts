import { expertStates, groups, industries } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { CertificateView } from '../certificates/certificate-record.js';
import type { ExpertView } from '../experts/expert-view.js';
import { EXPERT_ACTIONS, type ExpertAction } from '../experts/lifecycle/expert-transitions.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { type DeskLang, deskLang, escapeHtml, renderDesk, t } from './desk-layout.js';
import { documentDeskPage } from './desk-page-doc.js';
import { loadExpertExclusions } from './desk-pool-exclusions.js';
import {
  actionForms,
  certificateSection,
  exclusionsSection,
  type HistoryEntry,
  historySection,
  labelOf,
  profileTable,
  warningsSection,
} from './desk-pool-view.js';
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
      `<tr><td><a href="/desk/experts/${encodeURIComponent(e.id)}">${escapeHtml(e.name)}</a></td><td>${escapeHtml(e.id)}</td><td>${escapeHtml(labelOf(expertStates, e.status, lang))}</td><td>${escapeHtml(e.employer.name)}</td><td>${escapeHtml(e.industries.map((i) => labelOf(industries, i, lang)).join('、'))}</td><td>${escapeHtml(e.specialties.join('、'))}</td><td>${escapeHtml(e.region)}</td></tr>`,
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

interface AuditPage {
  readonly items: readonly {
    readonly at: string;
    readonly action: string;
    readonly reason: string | null;
    readonly after: unknown;
  }[];
}

/** The expert's audit entries, newest first; null when the role may not read the audit log. */
async function loadHistory(c: Context<AppEnv>, id: string): Promise<HistoryEntry[] | null> {
  const role = c.var.principal.role;
  if (role !== 'admin' && role !== 'auditor') return null;
  const answer = await callV1<AuditPage>(
    c,
    'GET',
    `/v1/audit?${new URLSearchParams({ entityType: 'expert', entityId: id, limit: '500' })}`,
  );
  if (!answer.ok) return null;
  return answer.body.items
    .map((entry): HistoryEntry => {
      const record = lifecycleRecordOf(entry.after);
      return {
        at: entry.at,
        action: entry.action,
        reason: entry.reason,
        article: record?.article ?? null,
        evidence: record?.evidence ?? [],
      };
    })
    .reverse();
}

const lifecycleSchema = z.object({
  lifecycleAction: z.object({
    article: z.string().nullable().optional(),
    evidence: z
      .array(z.object({ kind: z.string(), ref: z.string(), note: z.string().optional() }))
      .optional(),
  }),
});

function lifecycleRecordOf(after: unknown) {
  const parsed = lifecycleSchema.safeParse(after);
  return parsed.success ? parsed.data.lifecycleAction : null;
}

async function expertPage(
  c: Context<AppEnv>,
  id: string,
  notice: string,
  status: 200 | 403 | 404 | 409 | 422,
): Promise<Response> {
  const session = deskSessionOf(c);
  const lang = deskLang(c);
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const answer = await callV1<ExpertView & DeskProblem>(
    c,
    'GET',
    `/v1/experts/${encodeURIComponent(id)}`,
  );
  if (!answer.ok) {
    const title = { zh: '未找到专家', en: 'Expert not found' };
    return renderDesk(
      c,
      session,
      {
        title,
        body: `<h1>${t(lang, title)}</h1><p class="notice error">${escapeHtml(problemText(answer.body))}</p>`,
        active: 'experts',
      },
      404,
    );
  }
  const expert = answer.body;
  const [history, exclusions, certificate] = await Promise.all([
    loadHistory(c, id),
    loadExpertExclusions(c.var.db, c.var.principal, id),
    callV1<{ current: CertificateView | null }>(
      c,
      'GET',
      `/v1/experts/${encodeURIComponent(id)}/certificate?format=json`,
    ),
  ]);
  const isAdmin = session.principal.role === 'admin';
  const body =
    `<h1>${escapeHtml(expert.name)}</h1>${notice}` +
    `<h2>${L('基本信息与聘期', 'Profile and term')}</h2>${profileTable(expert, lang, isAdmin)}` +
    certificateSection(certificate.ok ? certificate.body.current : undefined, lang) +
    `<h2>${L('警告（第二十三条）', 'Warnings (第二十三条)')}</h2>${warningsSection(expert, history, lang)}` +
    `<h2>${L('变更历史', 'History')}</h2>${historySection(history, lang)}` +
    `<h2>${L('抽取中被排除', 'Left out of draws')}</h2>${exclusionsSection(exclusions, lang)}` +
    (isAdmin
      ? `<h2>${L('状态变更', 'Lifecycle actions')}</h2><div id="actions">${actionForms(expert, lang, session.csrf)}</div>`
      : '');
  return renderDesk(
    c,
    session,
    { title: { zh: expert.name, en: expert.name }, body, active: 'experts' },
    status,
  );
}

deskPoolRoutes.get('/desk/experts/:id', requireDeskSession(), async (c) => {
  const id = c.req.param('id');
  if (!ID.test(id)) return expertPage(c, '-', '', 404);
  return expertPage(c, id, '', 200);
});

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The action form as the API's body: empty fields left out, evidence rows with a reference. */
function actionBody(form: Record<string, unknown>) {
  const evidence = [0, 1, 2].flatMap((n) => {
    const ref = text(form[`evidenceRef${n}`]);
    const note = text(form[`evidenceNote${n}`]);
    return ref === ''
      ? []
      : [{ kind: text(form[`evidenceKind${n}`]), ref, ...(note === '' ? {} : { note }) }];
  });
  const on = text(form.on);
  const article = text(form.article);
  return {
    reason: text(form.reason),
    ...(on === '' ? {} : { on }),
    ...(article === '' ? {} : { article }),
    ...(evidence.length === 0 ? {} : { evidence }),
  };
}

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
