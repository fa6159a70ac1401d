import {
  expertStates,
  groups,
  industries,
  type Label,
  tiers,
  titles,
} from '@expert-dispatch/rules';
import type { CertificateView } from '../certificates/certificate-record.js';
import type { ExpertView } from '../experts/expert-view.js';
import {
  EXPERT_ACTIONS,
  EXPERT_TRANSITIONS,
  nextExpertState,
} from '../experts/lifecycle/expert-transitions.js';
import { specialtyZh } from '../experts/specialty-label.js';
import { beijingTime } from './desk-board-html.js';
import { type DeskLang, escapeHtml, t } from './desk-layout.js';
import type { ExpertExclusion } from './desk-pool-exclusions.js';

/**
 * A vocabulary label in the page's language; the code itself when the vocabulary lacks it.
 *
 * @example
 * labelOf(industries, 'tobacco', 'zh'); // '烟草'
 */
export function labelOf(
  vocabulary: { readonly labels: Readonly<Record<string, Label>> },
  code: string,
  lang: DeskLang,
): string {
  const label = vocabulary.labels[code];
  return label === undefined ? code : t(lang, label);
}

/** One audit entry of the expert as the page lists it (never the record's personal data). */
export interface HistoryEntry {
  readonly at: string;
  readonly action: string;
  readonly reason: string | null;
  readonly article: string | null;
  readonly evidence: readonly {
    readonly kind: string;
    readonly ref: string;
    readonly note?: string | undefined;
  }[];
}

const row = (label: string, value: string) =>
  `<tr><th scope="row">${label}</th><td>${value}</td></tr>`;

/**
 * The profile table. The ID number is shown to admins only, even though auditors may read it
 * through the API: the desk screen is seen over shoulders.
 *
 * @example
 * profileTable(expert, 'zh', session.principal.role === 'admin');
 */
export function profileTable(expert: ExpertView, lang: DeskLang, isAdmin: boolean): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const list = (values: readonly string[]) => escapeHtml(values.join('、') || '—');
  const term = expert.appointment;
  return `<table id="profile">${[
    row(L('编号', 'ID'), escapeHtml(expert.id)),
    row(L('姓名', 'Name'), escapeHtml(expert.name)),
    row(L('状态', 'State'), escapeHtml(labelOf(expertStates, expert.status, lang))),
    row(L('层级', 'Tier'), escapeHtml(labelOf(tiers, expert.tier, lang))),
    row(L('地区', 'Region'), escapeHtml(expert.region)),
    row(L('专家组别', 'Group'), escapeHtml(labelOf(groups, expert.group, lang))),
    row(L('职称', 'Title'), escapeHtml(labelOf(titles, expert.title, lang))),
    row(L('工作单位', 'Employer'), escapeHtml(expert.employer.name)),
    row(L('行业', 'Industries'), list(expert.industries.map((i) => labelOf(industries, i, lang)))),
    row(
      L('专业', 'Specialties'),
      list(lang === 'en' ? expert.specialties : expert.specialties.map(specialtyZh)),
    ),
    row(L('电话', 'Phone'), escapeHtml(expert.phone)),
    row(L('出生年份', 'Birth year'), String(expert.birthYear)),
    ...(isAdmin && expert.idNumber !== undefined
      ? [
          row(
            L('身份证号', 'ID number'),
            `<span id="id-number">${escapeHtml(expert.idNumber)}</span>`,
          ),
        ]
      : []),
    row(
      L('聘期（第十一条）', 'Term (第十一条)'),
      term === null
        ? '—'
        : `<span id="term">${escapeHtml(term.from)} — ${escapeHtml(term.to)}</span> ${term.sealed ? L('（聘书已盖章）', '(certificate sealed)') : L('（聘书未盖章）', '(certificate not sealed)')}`,
    ),
    row(L('信息更新', 'Profile updated'), beijingTime(expert.profileUpdatedAt)),
  ].join('')}</table>`;
}

function evidenceList(entry: HistoryEntry): string {
  if (entry.evidence.length === 0) return '—';
  return `<ul>${entry.evidence.map((e) => `<li>${escapeHtml(`${e.kind} ${e.ref}${e.note === undefined ? '' : ` — ${e.note}`}`)}</li>`).join('')}</ul>`;
}

/**
 * The warnings (第二十三条) with what each relied on: the record's warnings, matched to the
 * audit entry of the action that gave them for the evidence.
 *
 * @example
 * warningsSection(expert, history, 'zh');
 */
export function warningsSection(
  expert: ExpertView,
  history: readonly HistoryEntry[] | null,
  lang: DeskLang,
): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const warnings = expert.warnings ?? [];
  if (warnings.length === 0) return `<p id="warnings">${L('无警告记录', 'No warnings')}</p>`;
  const rows = warnings.map((warning) => {
    const given = history?.find((h) => h.action === 'expert.warn' && h.reason === warning.reason);
    return `<tr><td>${escapeHtml(warning.on)}</td><td>${escapeHtml(warning.article)}</td><td>${escapeHtml(warning.reason)}</td><td>${given === undefined ? (history === null ? L('（审计记录仅管理员、审计员可见）', '(audit visible to admins and auditors)') : '—') : evidenceList(given)}</td></tr>`;
  });
  return `<div class="scroll"><table id="warnings"><thead><tr><th scope="col">${L('日期', 'Date')}</th><th scope="col">${L('条款', 'Article')}</th><th scope="col">${L('理由', 'Reason')}</th><th scope="col">${L('依据', 'Evidence')}</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** The record's history from the audit log, newest first. *
 * @example
 * historySection(history, 'en');
 */
export function historySection(history: readonly HistoryEntry[] | null, lang: DeskLang): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  if (history === null) {
    return `<p class="hint">${L('变更历史（审计记录）仅管理员、审计员可见。', 'The history (audit log) is visible to admins and auditors.')}</p>`;
  }
  if (history.length === 0) return `<p>${L('无记录', 'None')}</p>`;
  const rows = history.map(
    (h) =>
      `<tr><td>${escapeHtml(beijingTime(h.at))}</td><td>${escapeHtml(h.action)}</td><td>${escapeHtml(h.article ?? '—')}</td><td>${escapeHtml(h.reason ?? '—')}</td><td>${evidenceList(h)}</td></tr>`,
  );
  return `<div class="scroll"><table id="history"><thead><tr><th scope="col">${L('时间', 'Time')}</th><th scope="col">${L('操作', 'Action')}</th><th scope="col">${L('条款', 'Article')}</th><th scope="col">${L('理由', 'Reason')}</th><th scope="col">${L('依据', 'Evidence')}</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

const EVIDENCE_KINDS: readonly [string, Label][] = [
  ['document', { zh: '文书', en: 'document' }],
  ['invitation', { zh: '邀请（席位编号）', en: 'invitation (seat id)' }],
  ['task', { zh: '任务', en: 'task' }],
  ['rating', { zh: '评价', en: 'rating' }],
];

/**
 * One form per action the expert's state allows, each with the articles that action may cite
 * (the transition table's `articles`, its default first), the reason, the date and up to three
 * pieces of evidence. Admins only; the API checks again.
 *
 * @example
 * actionForms(expert, 'zh', session.csrf);
 */
export function actionForms(expert: ExpertView, lang: DeskLang, csrf: string): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const allowed = EXPERT_ACTIONS.filter((action) => nextExpertState(action, expert.status).ok);
  if (allowed.length === 0)
    return `<p>${L('当前状态无可执行的操作', 'No action from this state')}</p>`;
  return allowed
    .map((action) => {
      const transition = EXPERT_TRANSITIONS[action];
      const id = `act-${action}`;
      const articles = transition.articles
        .map((a) => `<option value="${escapeHtml(a)}">${escapeHtml(a)}</option>`)
        .join('');
      const evidence = [0, 1, 2]
        .map(
          (n) =>
            `<div class="grid"><div><label for="${id}-kind-${n}">${L('证据类型', 'Evidence kind')} ${n + 1}</label><select id="${id}-kind-${n}" name="evidenceKind${n}">${EVIDENCE_KINDS.map(([v, l]) => `<option value="${v}">${escapeHtml(t(lang, l))}</option>`).join('')}</select></div>` +
            `<div><label for="${id}-ref-${n}">${L('编号', 'Reference')} ${n + 1}</label><input type="text" id="${id}-ref-${n}" name="evidenceRef${n}" maxlength="200"></div>` +
            `<div><label for="${id}-note-${n}">${L('说明', 'Note')} ${n + 1}</label><input type="text" id="${id}-note-${n}" name="evidenceNote${n}" maxlength="500"></div></div>`,
        )
        .join('');
      const needs =
        transition.evidence === 'required'
          ? L('须附证据', 'evidence required')
          : transition.evidence === 'for-misconduct'
            ? L('引用第二十三条时须附证据', 'evidence required when citing 第二十三条')
            : L('证据可选', 'evidence optional');
      return (
        `<details class="action"><summary>${escapeHtml(t(lang, transition.label))} <span class="hint">(${escapeHtml(action)})</span></summary>` +
        `<form method="post" action="/desk/experts/${encodeURIComponent(expert.id)}/actions/${action}" id="${id}">` +
        `<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">` +
        `<label for="${id}-article">${L('依据条款', 'Article')}</label><select id="${id}-article" name="article">${articles}</select>` +
        `<label for="${id}-reason">${L('理由', 'Reason')}</label><textarea id="${id}-reason" name="reason" required maxlength="500" rows="2"></textarea>` +
        `<label for="${id}-on">${L('生效日期（默认今天）', 'Effective date (default today)')}</label><input type="date" id="${id}-on" name="on">` +
        `<fieldset><legend>${L('证据', 'Evidence')} — ${needs}</legend>${evidence}</fieldset>` +
        `<button type="submit">${escapeHtml(t(lang, transition.label))}</button></form></details>`
      );
    })
    .join('');
}

/** The draws of the own tasks that left the expert out, with the reasons each recorded. *
 * @example
 * exclusionsSection(await loadExpertExclusions(db, principal, 'e-1'), 'zh');
 */
export function exclusionsSection(exclusions: readonly ExpertExclusion[], lang: DeskLang): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  if (exclusions.length === 0) {
    return `<p id="exclusions">${L('本部门的抽取中未被排除', 'Not left out of any of your draws')}</p>`;
  }
  const rows = exclusions.map(
    (e) =>
      `<tr><td>${escapeHtml(beijingTime(e.at))}</td><td><a href="/desk/tasks/${encodeURIComponent(e.taskId)}">${escapeHtml(e.taskId)}</a></td><td>${escapeHtml(e.drawId)}</td><td><ul>${e.reasons.map((r) => `<li>${r.article === null ? '' : `${escapeHtml(r.article)} `}${escapeHtml(t(lang, r))}</li>`).join('')}</ul></td></tr>`,
  );
  return `<div class="scroll"><table id="exclusions"><thead><tr><th scope="col">${L('抽取时间', 'Drawn')}</th><th scope="col">${L('任务', 'Task')}</th><th scope="col">${L('抽取编号', 'Draw')}</th><th scope="col">${L('排除理由', 'Why left out')}</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/**
 * The certificate of the current term (聘书, 第十一条) with its public verification page; null
 * when the role may not read certificates.
 *
 * @example
 * certificateSection(certificates.current, 'zh');
 */
export function certificateSection(
  current: CertificateView | null | undefined,
  lang: DeskLang,
): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  if (current === undefined) return '';
  const body =
    current === null
      ? L('尚无聘书（聘任或续聘时签发）', 'No certificate yet (issued on appointment or renewal)')
      : `${escapeHtml(current.number)} · ${escapeHtml(t(lang, current.stateLabel))} · ${escapeHtml(`${current.term.from} — ${current.term.to}`)} · <a href="${escapeHtml(current.verificationUrl)}">${L('公开核验', 'Public verification')}</a>`;
  return `<h2>${L('聘书（第十一条）', 'Certificate (第十一条)')}</h2><p id="certificate">${body}</p>`;
}
