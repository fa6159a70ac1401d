import { createRouter } from '../http/create-router.js';
import { evidenceText, LIST_SECTIONS, notificationsText } from '../reports/report-labels.js';
import type { ActionLists, Evidence, ListsReport } from '../reports/report-schemas.js';
import { type DeskLang, deskLang, escapeHtml, renderDesk, t } from './desk-layout.js';
import { documentDeskPage } from './desk-page-doc.js';
import { deskSessionOf, requireDeskSession } from './desk-session.js';
import { callV1, type DeskProblem, problemText } from './desk-v1-call.js';

/** The lists the department acts on (第二十三条（一） first), on a date, as GET /v1/reports/lists. */
export const deskListsRoutes = createRouter();

documentDeskPage(deskListsRoutes, {
  method: 'get',
  path: '/desk/lists',
  operationId: 'showDeskLists',
  summary: 'The lists to act on: 第二十三条（一）, stale profiles, terms, age limits / 需处理名单',
  description: 'As GET /v1/reports/lists (admins, auditors); ?on=YYYY-MM-DD.',
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Entry = ActionLists[(typeof LIST_SECTIONS)[number]['key']][number];

function entryRow(entry: Entry, withEvidence: boolean, withNotices: boolean): string {
  const evidence =
    'evidence' in entry
      ? `<td><ul>${(entry.evidence as Evidence[]).map((e) => `<li>${escapeHtml(evidenceText(e))}</li>`).join('')}</ul></td>`
      : withEvidence
        ? '<td>—</td>'
        : '';
  const notices =
    'notifications' in entry
      ? `<td>${escapeHtml(notificationsText(entry.notifications) || '未通报')}</td>`
      : withNotices
        ? '<td>—</td>'
        : '';
  return `<tr><td><a href="/desk/experts/${encodeURIComponent(entry.expertId)}">${escapeHtml(entry.expertId)}</a></td><td>${escapeHtml(entry.name)}</td><td>${escapeHtml(entry.message.zh)}<br><span lang="en">${escapeHtml(entry.message.en)}</span></td>${evidence}${notices}</tr>`;
}

function sections(lists: ActionLists, lang: DeskLang): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  return LIST_SECTIONS.map((section) => {
    const entries = lists[section.key] as readonly Entry[];
    const withEvidence = entries.some((e) => 'evidence' in e);
    const withNotices = section.key === 'declineWarnings';
    const head = `<th scope="col">${L('编号', 'ID')}</th><th scope="col">${L('姓名', 'Name')}</th><th scope="col">${L('说明', 'Why')}</th>${withEvidence ? `<th scope="col">${L('依据（邀请记录）', 'Evidence (invitations)')}</th>` : ''}${withNotices ? `<th scope="col">${L('通报', 'Notified')}</th>` : ''}`;
    const body =
      entries.length === 0
        ? `<p class="hint">${L('无', 'None')}</p>`
        : `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${entries.map((e) => entryRow(e, withEvidence, withNotices)).join('')}</tbody></table></div>`;
    return `<section id="list-${section.key}" aria-labelledby="list-${section.key}-h"><h2 id="list-${section.key}-h">${escapeHtml(t(lang, section.heading))} <span class="hint">(${entries.length})</span></h2>${body}</section>`;
  }).join('');
}

deskListsRoutes.get('/desk/lists', requireDeskSession(), async (c) => {
  const session = deskSessionOf(c);
  const lang = deskLang(c);
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const title = { zh: '需处理专家名单', en: 'Lists to act on' };
  const on = c.req.query('on');
  const asked = on !== undefined && DATE.test(on) ? on : undefined;
  const answer = await callV1<ListsReport & DeskProblem>(
    c,
    'GET',
    `/v1/reports/lists?format=json${asked === undefined ? '' : `&on=${asked}`}`,
  );
  const form = `<form method="get" action="/desk/lists" class="noprint"><label for="on">${L('截至日期', 'As of')}</label><input type="date" id="on" name="on" style="max-width:12rem" value="${escapeHtml(asked ?? '')}"> <button type="submit">${L('查看', 'Show')}</button></form>`;
  if (!answer.ok) {
    const error = `<p class="notice error" role="alert">${escapeHtml(problemText(answer.body))}</p>`;
    return renderDesk(
      c,
      session,
      { title, body: `<h1>${t(lang, title)}</h1>${form}${error}`, active: 'lists' },
      answer.status === 403 ? 403 : 422,
    );
  }
  const report = answer.body;
  const warnings = report.calendarWarnings
    .map((w) => `<p class="notice error">${escapeHtml(t(lang, w.message))}</p>`)
    .join('');
  const meta = `<p>${escapeHtml(report.scope.authorityName)} · ${L('截至', 'as of')} ${escapeHtml(report.on)} · ${L('规则集', 'rule set')} ${escapeHtml(`${report.ruleSet.id} ${report.ruleSet.version}`)}</p>`;
  return renderDesk(c, session, {
    title,
    body: `<h1>${t(lang, title)}</h1>${meta}${form}${warnings}${sections(report.lists, lang)}`,
    active: 'lists',
  });
});
