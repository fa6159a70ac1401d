import { formatZhDate, formatZhSpan } from '@expert-dispatch/rules';
import { formatShanghai } from '../dispatch/invitation-message.js';
import {
  COUNT_COLUMNS,
  evidenceText,
  groupLabel,
  LIST_SECTIONS,
  notificationsText,
  statusLabel,
} from './report-labels.js';
import type { ActionLists, AnnualReport, Counts, ListsReport, Workload } from './report-schemas.js';

/** The policy the report pages are served with: nothing but their own inline style. */
export const REPORT_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

// A4 landscape, table headers repeated on every page, rows never split; CJK fonts installed on
// the machine (no web fonts: the page loads nothing from anywhere).
const STYLE = `
@page{size:A4 landscape;margin:12mm}
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;font-size:10.5pt;line-height:1.45;margin:0 auto;max-width:287mm;color:#111}
h1{font-size:18pt;text-align:center;margin:.4em 0 .2em}
.subtitle{text-align:center;margin:0 0 1em}
h2{font-size:13pt;margin:1.2em 0 .4em;border-bottom:1px solid #333;break-after:avoid}
h3{font-size:11pt;margin:1em 0 .3em;break-after:avoid}
table{border-collapse:collapse;width:100%;margin:.3em 0 .8em}
th,td{border:1px solid #777;padding:2px 4px;vertical-align:top}
th{background:#eee;font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.k{white-space:nowrap}
ul{margin:0;padding-left:1.2em}
thead{display:table-header-group}
tr{break-inside:avoid}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:0 0 1em}
dl.meta dt{color:#444}
dl.meta dd{margin:0}
.empty{color:#555}
.note{color:#444;font-size:9.5pt}
a{color:inherit}
@media print{a{text-decoration:none}}
`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function cell(value: string | number | boolean | null, keep = false): string {
  if (value === null) return '<td class="n">—</td>';
  if (typeof value === 'number') return `<td class="n">${value}</td>`;
  if (typeof value === 'boolean') return `<td class="k">${value ? '是' : '否'}</td>`;
  // Ids and names stay on one line; longer text wraps.
  return `<td${keep ? ' class="k"' : ''}>${escapeHtml(value)}</td>`;
}

function table(header: readonly string[], rows: readonly string[]): string {
  if (rows.length === 0) return '<p class="empty">无 / none</p>';
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function meta(items: readonly [string, string][]): string {
  return `<dl class="meta">${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

function countsCells(counts: Counts): string {
  return COUNT_COLUMNS.map((column) => cell(counts[column.key])).join('');
}

function expertLink(entry: { readonly expertId: string; readonly expertUrl: string }): string {
  return `<td class="k"><a href="${escapeHtml(entry.expertUrl)}">${escapeHtml(entry.expertId)}</a></td>`;
}

function evidenceCell(entry: object): string {
  if (!('evidence' in entry) || !Array.isArray(entry.evidence)) return '';
  const items = (entry.evidence as Parameters<typeof evidenceText>[0][]).map((evidence) => {
    const text = escapeHtml(evidenceText(evidence));
    return evidence.taskUrl === null
      ? `<li>${text}</li>`
      : `<li><a href="${escapeHtml(evidence.taskUrl)}">${text}</a></li>`;
  });
  return `<td><ul>${items.join('')}</ul></td>`;
}

const INVITATION_LISTS: ReadonlySet<string> = new Set([
  'declineWarnings',
  'pendingDeclines',
  'noShows',
]);

function listsSection(lists: ActionLists, number: string): string {
  const sections = LIST_SECTIONS.map((section, index) => {
    const rows = lists[section.key].map(
      (entry) =>
        `<tr>${expertLink(entry)}${cell(entry.name, true)}${cell(entry.ownPool)}${cell(entry.message.zh)}${evidenceCell(entry)}${'notifications' in entry ? cell(notificationsText(entry.notifications) || '未通报') : ''}</tr>`,
    );
    // The refusal, 待认定 and no-show lists rest on invitations; the others on the record.
    const header = ['专家编号', '姓名', '本库专家', '说明'];
    if (INVITATION_LISTS.has(section.key)) header.push('依据（邀请记录）');
    if (section.key === 'declineWarnings') header.push('通报');
    return `<h3>（${'一二三四五六七八九'[index]}）${escapeHtml(section.heading.zh)}</h3>${table(header, rows)}`;
  });
  return `<h2>${number}、需处理名单</h2><p class="note">统计期间${formatZhSpan(lists.period.from, lists.period.to)}，截至${formatZhDate(lists.asOf)}。年龄上限只列月份，不列出生日期。</p>${sections.join('')}`;
}

function workloadSection(workload: Workload, number: string): string {
  const dimension = { all: '全部', group: '专家组别', industry: '行业' } as const;
  const rows = [workload.overall, ...workload.byGroup, ...workload.byIndustry].map(
    (slice) =>
      `<tr>${cell(dimension[slice.dimension])}${cell(slice.label.zh)}${cell(slice.experts)}${cell(slice.assignments)}${cell(slice.mean)}${cell(slice.max)}${cell(slice.gini)}${cell(slice.top.map((t) => `${t.name}（${t.tasks}）`).join('、'))}</tr>`,
  );
  return `<h2>${number}、工作量分布</h2><p class="note">基尼系数：0 表示任务在专家之间平均分配，越接近 1 表示越集中于少数专家；从未参加任务的专家按 0 计入。</p>${table(['维度', '类别', '专家人数', '参加任务人次', '人均任务数', '最多任务数', '基尼系数', '任务最多的专家'], rows)}`;
}

/**
 * The printable yearly evaluation: Chinese headings, A4 landscape print CSS, no script and no
 * external asset. Names and messages are escaped; no personal data is in the report to print.
 *
 * @example
 * c.html(annualReportHtml(report));
 */
export function annualReportHtml(report: AnnualReport): string {
  const title = `${report.scope.authorityName}专家年度考评报告（${report.year}年度）`;
  const rows = report.experts.map(
    (row) =>
      `<tr>${cell(row.expertId, true)}${cell(row.name, true)}${cell(groupLabel(row.group))}${cell(statusLabel(row.status), true)}${countsCells(row)}</tr>`,
  );
  const countHeaders = COUNT_COLUMNS.map((column) => column.label.zh);
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="subtitle">统计期间：${formatZhSpan(report.period.from, report.period.to)}</p>`,
    meta([
      [
        '依据',
        '《云南省级工贸行业安全生产专家管理办法》（云应急办〔2025〕19号）第十五条、第二十条',
      ],
      ['统计范围', report.scope.description.zh],
      ['规则集', `${report.ruleSet.id} ${report.ruleSet.version}`],
      ['生成时间', formatShanghai(new Date(report.generatedAt))],
    ]),
    '<h2>一、年度考评汇总</h2>',
    table(
      ['专家人数', ...countHeaders],
      [`<tr>${cell(report.experts.length)}${countsCells(report.totals)}</tr>`],
    ),
    '<h2>二、专家年度考评明细</h2>',
    table(['专家编号', '姓名', '专家组别', '状态', ...countHeaders], rows),
    listsSection(report.lists, '三'),
    workloadSection(report.workload, '四'),
  ];
  return page(title, body.join(''));
}

/**
 * The printable lists the department acts on, on one date.
 *
 * @example
 * c.html(listsReportHtml(report));
 */
export function listsReportHtml(report: ListsReport): string {
  const title = `${report.scope.authorityName}需处理专家名单（截至${formatZhDate(report.on)}）`;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    meta([
      ['依据', '《云南省级工贸行业安全生产专家管理办法》（云应急办〔2025〕19号）'],
      ['统计范围', report.scope.description.zh],
      ['规则集', `${report.ruleSet.id} ${report.ruleSet.version}`],
      ['生成时间', formatShanghai(new Date(report.generatedAt))],
    ]),
    listsSection(report.lists, '一'),
  ];
  return page(title, body.join(''));
}
