import { evaluationGrades, formatZhSpan, titles } from '@expert-dispatch/rules';
import { formatShanghai } from '../dispatch/invitation-message.js';
import { groupLabel, statusLabel } from '../reports/report-labels.js';
import type { EvaluationListEntry, YearlyEvaluation } from './evaluation-schemas.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

// A4 landscape in print; on a phone the wide tables scroll sideways inside their box. CJK fonts
// of the machine only: the page loads nothing (served with REPORT_PAGE_CSP).
const STYLE = `
@page{size:A4 landscape;margin:12mm}
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;font-size:10.5pt;line-height:1.45;margin:0 auto;padding:0 8px;max-width:287mm;color:#111}
h1{font-size:18pt;text-align:center;margin:.4em 0 .2em}
.subtitle{text-align:center;margin:0 0 1em}
h2{font-size:13pt;margin:1.2em 0 .4em;border-bottom:1px solid #333;break-after:avoid}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.3em 0 .8em}
th,td{border:1px solid #777;padding:2px 4px;vertical-align:top}
th{background:#eee;font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.k{white-space:nowrap}
thead{display:table-header-group}
tr{break-inside:avoid}
ul{margin:0;padding-left:1.2em}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:0 0 1em}
dl.meta dd{margin:0}
.empty,.note{color:#444}
@media print{.scroll{overflow:visible}}
`;

function cell(value: string | number | null, keep = false): string {
  if (value === null) return '<td class="n">—</td>';
  if (typeof value === 'number') return `<td class="n">${value}</td>`;
  return `<td${keep ? ' class="k"' : ''}>${escapeHtml(value)}</td>`;
}

function table(header: readonly string[], rows: readonly string[]): string {
  if (rows.length === 0) return '<p class="empty">无 / none</p>';
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function listTable(entries: readonly EvaluationListEntry[]): string {
  return table(
    ['专家编号', '姓名', '年末职称', '评价等次', '得分', '服务评价平均分', '说明'],
    entries.map(
      (entry) =>
        `<tr>${cell(entry.expertId, true)}${cell(entry.name, true)}${cell(titles.labels[entry.title].zh, true)}${cell(evaluationGrades.labels[entry.grade].zh, true)}${cell(entry.score)}${cell(entry.averageRating)}${cell(entry.message.zh)}</tr>`,
    ),
  );
}

/**
 * The printable yearly evaluation (年度评价, 第二十条): each expert's score and grade with the
 * inputs counted, adjustments with their reasons, then the commendation list (第二十条（一）)
 * and the 职称评审 reserve (第二十条（三）). No script, no external asset, everything escaped.
 *
 * @example
 * c.html(yearlyEvaluationHtml(view));
 */
export function yearlyEvaluationHtml(view: YearlyEvaluation): string {
  const title = `${view.scope.authorityName}专家年度评价（${view.year}年度）`;
  const rows = view.results.map((result) => {
    const evidence = result.evidence
      .filter((line) => line.count > 0)
      .map(
        (line) =>
          `<li>${escapeHtml(`${line.label.zh} ${line.count}${line.value === null ? '' : `（平均 ${line.value}）`}：${line.points > 0 ? '+' : ''}${line.points} 分（${line.article}）`)}</li>`,
      )
      .join('');
    const adjustment =
      result.adjustment === null
        ? '—'
        : `由“${evaluationGrades.labels[result.computedGrade].zh}”调整：${result.adjustment.reason}`;
    return `<tr>${cell(result.expertId, true)}${cell(result.name, true)}${cell(groupLabel(result.group))}${cell(titles.labels[result.basis.title].zh, true)}${cell(statusLabel(result.basis.status), true)}${cell(result.score)}${cell(result.gradeLabel.zh, true)}<td><ul>${evidence}</ul></td>${cell(adjustment)}</tr>`;
  });
  const [first] = view.results;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="subtitle">评价期间：${formatZhSpan(view.period.from, view.period.to)}</p>`,
    `<dl class="meta"><dt>依据</dt><dd>《云南省级工贸行业安全生产专家管理办法》（云应急办〔2025〕19号）第二十条；计分权重与等次分数线为本厅规定</dd><dt>评价范围</dt><dd>${escapeHtml(view.scope.description.zh)}</dd><dt>规则集</dt><dd>${escapeHtml(first === undefined ? '' : `${first.ruleSet.id} ${first.ruleSet.version}`)}</dd><dt>生成时间</dt><dd>${escapeHtml(formatShanghai(new Date(view.generatedAt)))}</dd></dl>`,
    '<p class="note">职称与状态为评价期间最后一日的档案（过去年度依审计记录还原）。</p>',
    '<h2>一、年度评价结果</h2>',
    table(
      [
        '专家编号',
        '姓名',
        '专家组别',
        '年末职称',
        '年末状态',
        '得分',
        '评价等次',
        '计分依据',
        '调整',
      ],
      rows,
    ),
    '<h2>二、通报表扬名单（第二十条（一））</h2>',
    listTable(view.commendations),
    '<h2>三、职称评审专家库备选人员名单（第二十条（三））</h2>',
    listTable(view.titleReviewReserve),
  ];
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body.join('')}</body></html>`;
}
