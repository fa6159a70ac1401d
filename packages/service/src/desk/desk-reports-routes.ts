import { toShanghaiDate } from '@expert-dispatch/rules';
import { createRouter } from '../http/create-router.js';
import { reportPeriod } from '../reports/annual-report.js';
import { loadReportRecords } from '../reports/load-report-records.js';
import { COUNT_COLUMNS } from '../reports/report-labels.js';
import type { AnnualReport } from '../reports/report-schemas.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import { giniOfLorenz, lorenzCurve } from './charts/lorenz-curve.js';
import { barChartSvg, lorenzChartSvg } from './charts/svg-chart.js';
import { workloadHistogram } from './charts/workload-histogram.js';
import { type DeskLang, deskLang, escapeHtml, renderDesk, t } from './desk-layout.js';
import { documentDeskPage } from './desk-page-doc.js';
import { evaluationSection } from './desk-reports-evaluation.js';
import { type MonthRefusals, refusalsByMonth } from './desk-reports-refusals.js';
import { deskSessionOf, requireDeskSession } from './desk-session.js';
import { callV1, type DeskProblem, problemText } from './desk-v1-call.js';

/** The yearly evaluation with its charts, drawn here as SVG (no script, no library). */
export const deskReportsRoutes = createRouter();

documentDeskPage(deskReportsRoutes, {
  method: 'get',
  path: '/desk/reports',
  operationId: 'showDeskReports',
  summary: 'The annual report with workload, Lorenz/Gini and refusal charts / 年度考评与图表',
  description: 'As GET /v1/reports/annual (admins, auditors); ?year=YYYY.',
});

const CHART_STYLE =
  '<style>.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem}.charts figure{margin:0;}.charts figcaption{font-weight:600;margin-bottom:.3rem}.charts figure{background:#fff;border:1px solid #d0d4da;padding:.5rem}svg.chart{width:100%;height:auto}details.data{margin:.3rem 0}</style>';

function dataTable(
  caption: string,
  head: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  return `<details class="data"><summary>${escapeHtml(caption)}</summary><div class="scroll"><table><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(String(v))}</td>`).join('')}</tr>`).join('')}</tbody></table></div></details>`;
}

function charts(report: AnnualReport, refusals: readonly MonthRefusals[], lang: DeskLang): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const loads = report.experts.map((row) => row.tasksServed);
  const bars = workloadHistogram(loads);
  const curve = lorenzCurve(loads);
  const gini = report.workload.overall.gini ?? (loads.length === 0 ? null : giniOfLorenz(curve));
  const refusalBars = refusals.map((m) => ({
    label: m.month.slice(5),
    value: m.declined + m.timedOut,
  }));
  const histogram = barChartSvg(
    {
      id: 'chart-workload',
      title: L(
        '工作量分布：参加任务数对应的专家人数',
        'Workload: experts by number of tasks served',
      ),
      desc: L(
        `横轴为参加任务数，纵轴为专家人数；共 ${loads.length} 名专家。`,
        `x: tasks served, y: experts; ${loads.length} experts.`,
      ),
    },
    bars,
  );
  const lorenz = lorenzChartSvg(
    {
      id: 'chart-lorenz',
      title: L('洛伦兹曲线与基尼系数', 'Lorenz curve and Gini coefficient'),
      desc: L(
        `按任务数从少到多排列专家，累计任务占比；基尼系数 ${gini === null ? '—' : gini.toFixed(4)}（0 为完全平均）。`,
        `Experts from least to most loaded, cumulative share of tasks; Gini ${gini === null ? '—' : gini.toFixed(4)} (0 = equal).`,
      ),
    },
    curve,
    gini,
  );
  const refusalChart = barChartSvg(
    {
      id: 'chart-refusals',
      title: L('按月拒绝与超时未响应次数', 'Declines and time-outs by month'),
      desc: L(
        '按答复日（超时按答复截止日）所在月份统计，第二十三条（一）。',
        'By the month of the reply (time-outs: the deadline), 第二十三条（一）.',
      ),
    },
    refusalBars,
  );
  return (
    `<div class="charts"><figure><figcaption>${L('工作量分布（参加任务数 → 专家人数）', 'Workload (tasks served → experts)')}</figcaption>${histogram}${dataTable(
      L('数据表', 'Data table'),
      [L('任务数', 'Tasks'), L('专家人数', 'Experts')],
      bars.map((b) => [b.label, b.value]),
    )}</figure>` +
    `<figure><figcaption>${L('洛伦兹曲线与基尼系数', 'Lorenz curve and Gini')}</figcaption>${lorenz}${dataTable(
      L('数据表', 'Data table'),
      [L('专家累计占比', 'Experts (cum.)'), L('任务累计占比', 'Tasks (cum.)')],
      curve.map((p) => [`${(p.x * 100).toFixed(1)}%`, `${(p.y * 100).toFixed(1)}%`]),
    )}</figure>` +
    `<figure><figcaption>${L('按月拒绝与超时未响应', 'Declines and time-outs by month')}</figcaption>${refusalChart}${dataTable(
      L('数据表', 'Data table'),
      [L('月份', 'Month'), L('拒绝', 'Declined'), L('超时未响应', 'Timed out')],
      refusals.map((m) => [m.month, m.declined, m.timedOut]),
    )}</figure></div>`
  );
}

function totalsTable(report: AnnualReport, lang: DeskLang): string {
  const rows = COUNT_COLUMNS.map(
    (column) =>
      `<tr><th scope="row">${escapeHtml(t(lang, column.label))}</th><td>${report.totals[column.key] ?? '—'}</td></tr>`,
  );
  return `<div class="scroll"><table id="totals">${rows.join('')}</table></div>`;
}

function expertsTable(report: AnnualReport, lang: DeskLang): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const rows = report.experts.map(
    (row) =>
      `<tr><td><a href="/desk/experts/${encodeURIComponent(row.expertId)}">${escapeHtml(row.name)}</a></td><td>${row.invitations}</td><td>${row.accepted}</td><td>${row.declinedUnjustified}</td><td>${row.timedOut}</td><td>${row.tasksServed}</td><td>${row.averageRating ?? '—'}</td></tr>`,
  );
  return `<details><summary>${L('专家年度考评明细', 'Per expert')} (${report.experts.length})</summary><div class="scroll"><table id="report-experts"><thead><tr><th scope="col">${L('姓名', 'Name')}</th><th scope="col">${L('邀请', 'Invited')}</th><th scope="col">${L('接受', 'Accepted')}</th><th scope="col">${L('无正当理由拒绝', 'Unjustified declines')}</th><th scope="col">${L('超时', 'Timed out')}</th><th scope="col">${L('参加任务', 'Served')}</th><th scope="col">${L('平均评分', 'Rating')}</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></details>`;
}

deskReportsRoutes.get('/desk/reports', requireDeskSession(), async (c) => {
  const session = deskSessionOf(c);
  const lang = deskLang(c);
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const title = { zh: '年度考评与工作量', en: 'Annual report and workload' };
  const asked = c.req.query('year');
  const year = asked !== undefined && /^\d{4}$/.test(asked) ? asked : undefined;
  const answer = await callV1<AnnualReport & DeskProblem>(
    c,
    'GET',
    `/v1/reports/annual?format=json${year === undefined ? '' : `&year=${year}`}`,
  );
  const form = `<form method="get" action="/desk/reports" class="noprint"><label for="year">${L('年度', 'Year')}</label><input type="number" id="year" name="year" min="2000" max="2100" style="max-width:10rem" value="${escapeHtml(year ?? '')}"> <button type="submit">${L('查看', 'Show')}</button></form>`;
  if (!answer.ok) {
    const error = `<p class="notice error" role="alert">${escapeHtml(problemText(answer.body))}</p>`;
    return renderDesk(
      c,
      session,
      { title, body: `<h1>${t(lang, title)}</h1>${form}${error}`, active: 'reports' },
      answer.status === 403 ? 403 : 422,
    );
  }
  const report = answer.body;
  // The refusals' dates are not in the report; read them as the report does, from the same records.
  const services = c.var.services;
  const [records, ruleSet, evaluation] = await Promise.all([
    loadReportRecords(c.var.db, c.var.principal, report.period),
    resolveRuleSet(c.var.db, c.var.principal.authorityId, services.ruleSet),
    evaluationSection(c, report.year, lang),
  ]);
  const refusals = refusalsByMonth(
    records.seats,
    reportPeriod(report.year, toShanghaiDate(services.now())),
    ruleSet,
  );
  const body =
    `${CHART_STYLE}<h1>${t(lang, title)}</h1>` +
    `<p>${escapeHtml(report.scope.authorityName)} · ${report.year} · ${escapeHtml(`${report.period.from} — ${report.period.to}`)} · ${L('规则集', 'rule set')} ${escapeHtml(`${report.ruleSet.id} ${report.ruleSet.version}`)}</p>${form}` +
    `<h2>${L('图表', 'Charts')}</h2>${charts(report, refusals, lang)}` +
    `<h2>${L('汇总（第十五条、第二十条）', 'Totals (第十五条, 第二十条)')}</h2>${totalsTable(report, lang)}` +
    `<h2>${L('明细', 'Detail')}</h2>${expertsTable(report, lang)}` +
    evaluation +
    `<p><a href="/desk/lists">${L('需处理名单', 'Lists to act on')}</a></p>`;
  return renderDesk(c, session, { title, body, active: 'reports' });
});
