import { evaluationGrades, titles } from '@expert-dispatch/rules';
import { type ReportTable, toCsv } from '../reports/report-csv.js';
import { groupLabel, statusLabel } from '../reports/report-labels.js';
import type {
  EvaluationListEntry,
  EvaluationResult,
  YearlyEvaluation,
} from './evaluation-schemas.js';

/** Which table a CSV of the yearly evaluation holds. */
export type EvaluationSection = 'results' | 'commendations' | 'reserve';

const ITEMS = [
  'tasks_served',
  'ratings',
  'quality_notes',
  'refusals_justified',
  'refusals_unjustified',
  'refusals_pending',
  'silences',
  'no_shows',
  'warnings',
] as const;

const ITEM_HEADERS: Readonly<Record<(typeof ITEMS)[number], string>> = {
  tasks_served: '参加任务数',
  ratings: '服务评价数',
  quality_notes: '服务质量意见数',
  refusals_justified: '有正当理由拒绝',
  refusals_unjustified: '无正当理由拒绝',
  refusals_pending: '拒绝理由待认定',
  silences: '送达后超时未响应',
  no_shows: '接受后未到岗',
  warnings: '约谈警告',
};

function countOf(result: EvaluationResult, item: (typeof ITEMS)[number]): number {
  return result.evidence.find((line) => line.item === item)?.count ?? 0;
}

const SOURCE = { audit: '审计记录（年末）', current: '现有档案' } as const;

/**
 * One table of the yearly evaluation as CSV with Chinese headers (UTF-8 with BOM, CRLF): the
 * results with every counted input, or one of the two lists it feeds.
 *
 * @example
 * evaluationCsv(view, 'results');
 */
export function evaluationCsv(view: YearlyEvaluation, section: EvaluationSection): string {
  const table = evaluationTable(view, section);
  return toCsv(table.header, table.rows);
}

/**
 * One table of the yearly evaluation as cells (for CSV and .xlsx alike).
 *
 * @example
 * evaluationTable(view, 'reserve').header[0]; // '条款'
 */
export function evaluationTable(view: YearlyEvaluation, section: EvaluationSection): ReportTable {
  if (section === 'commendations') return listTable(view.commendations);
  if (section === 'reserve') return listTable(view.titleReviewReserve);
  return {
    header: [
      '专家编号',
      '姓名',
      '专家组别',
      '年末职称',
      '年末状态',
      '得分',
      '计算等次',
      '评价等次',
      '调整理由',
      '服务评价平均分',
      ...ITEMS.map((item) => ITEM_HEADERS[item]),
      '档案依据',
      '规则集',
    ],
    rows: view.results.map((result) => [
      result.expertId,
      result.name,
      groupLabel(result.group),
      titles.labels[result.basis.title].zh,
      statusLabel(result.basis.status),
      result.score,
      labelOf(result.computedGrade),
      result.gradeLabel.zh,
      result.adjustment?.reason ?? '',
      result.averageRating,
      ...ITEMS.map((item) => countOf(result, item)),
      SOURCE[result.basis.source],
      `${result.ruleSet.id} ${result.ruleSet.version}`,
    ]),
  };
}

function labelOf(grade: EvaluationResult['grade']): string {
  return evaluationGrades.labels[grade].zh;
}

function listTable(entries: readonly EvaluationListEntry[]): ReportTable {
  return {
    header: ['条款', '专家编号', '姓名', '年末职称', '评价等次', '得分', '服务评价平均分', '说明'],
    rows: entries.map((entry) => [
      entry.article,
      entry.expertId,
      entry.name,
      titles.labels[entry.title].zh,
      labelOf(entry.grade),
      entry.score,
      entry.averageRating,
      entry.message.zh,
    ]),
  };
}
