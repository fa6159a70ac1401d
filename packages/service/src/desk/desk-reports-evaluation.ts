import { evaluationGrades } from '@expert-dispatch/rules';
import type { Context } from 'hono';
import type { YearlyEvaluation } from '../evaluations/evaluation-schemas.js';
import type { AppEnv } from '../http/app-env.js';
import { barChartSvg } from './charts/svg-chart.js';
import { type DeskLang, escapeHtml, t } from './desk-layout.js';
import { callV1 } from './desk-v1-call.js';

/**
 * The yearly evaluation (年度评价, 第二十条) of `year` as the reports page shows it: the grades
 * as a bar chart with its table, and the commendation (第二十条（一）) and 职称评审 reserve
 * (第二十条（三）) lists. Read through GET /v1/evaluations/{year}; a year not evaluated yet, or a
 * role that may not read it, gets a line saying so.
 *
 * @example
 * body += await evaluationSection(c, 2025, 'zh');
 */
export async function evaluationSection(
  c: Context<AppEnv>,
  year: number,
  lang: DeskLang,
): Promise<string> {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const heading = `<h2>${L(`${year} 年度评价（第二十条）`, `Yearly evaluation ${year} (第二十条)`)}</h2>`;
  const answer = await callV1<YearlyEvaluation>(c, 'GET', `/v1/evaluations/${year}?format=json`);
  if (answer.status === 404) {
    return `${heading}<p id="evaluation">${L('该年度尚未评价（管理员：POST /v1/evaluations/{year}）。', 'Not evaluated yet (admins: POST /v1/evaluations/{year}).')}</p>`;
  }
  if (!answer.ok)
    return `${heading}<p id="evaluation" class="hint">${L('无权查看', 'Not visible to your role')}</p>`;
  const evaluation = answer.body;
  const bars = evaluationGrades.values.map((grade) => ({
    label: t(lang, evaluationGrades.labels[grade]),
    value: evaluation.results.filter((result) => result.grade === grade).length,
  }));
  const chart = barChartSvg(
    {
      id: 'chart-grades',
      title: L('年度评价等次分布', 'Grades of the yearly evaluation'),
      desc: L(
        `${evaluation.results.length} 名专家的评价等次人数。`,
        `Experts per grade, of ${evaluation.results.length}.`,
      ),
    },
    bars,
  );
  const table = `<table><thead><tr><th scope="col">${L('等次', 'Grade')}</th><th scope="col">${L('人数', 'Experts')}</th></tr></thead><tbody>${bars.map((b) => `<tr><td>${escapeHtml(b.label)}</td><td>${b.value}</td></tr>`).join('')}</tbody></table>`;
  const list = (entries: YearlyEvaluation['commendations']) =>
    entries.length === 0
      ? L('无', 'none')
      : entries
          .map(
            (e) =>
              `<a href="/desk/experts/${encodeURIComponent(e.expertId)}">${escapeHtml(e.name)}</a>`,
          )
          .join('、');
  return (
    `${heading}<div class="charts" id="evaluation"><figure><figcaption>${L('评价等次', 'Grades')}</figcaption>${chart}<details class="data"><summary>${L('数据表', 'Data table')}</summary>${table}</details></figure>` +
    `<div><p><strong>${L('表扬名单（第二十条（一））', 'Commendations (第二十条（一）)')}</strong>：${list(evaluation.commendations)}</p>` +
    `<p><strong>${L('职称评审储备（第二十条（三））', 'Title review reserve (第二十条（三）)')}</strong>：${list(evaluation.titleReviewReserve)}</p></div></div>`
  );
}
