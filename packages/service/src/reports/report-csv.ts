import {
  COUNT_COLUMNS,
  evidenceText,
  groupLabel,
  LIST_SECTIONS,
  notificationsText,
  statusLabel,
} from './report-labels.js';
import type { ActionLists, ExpertYear, Workload } from './report-schemas.js';

type Cell = string | number | boolean | null;

/** A table of a report: the Chinese header row and the rows, for CSV and .xlsx alike. */
export interface ReportTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

/**
 * One CSV cell that a spreadsheet shows as the text it is. Text starting with `=`, `+`, `-`,
 * `@`, a tab or a carriage return would be read as a formula (CSV injection), so it gets a
 * leading apostrophe — even when a number follows (`-1+cmd|…` is a formula too); real numbers
 * are written from numbers and never touched. Cells with a comma, a quote or a line break are
 * quoted.
 *
 * @example
 * csvCell('=HYPERLINK("x")'); // '"\'=HYPERLINK(""x"")"'
 * csvCell(-2); // '-2'
 */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? '是' : '否';
  const defused = /^[=+\-@\t\r\n]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replaceAll('"', '""')}"` : defused;
}

/**
 * A CSV document that opens in Excel with the Chinese intact: UTF-8 with a byte-order mark,
 * CRLF line ends, the header row first.
 *
 * @example
 * toCsv(['姓名'], [['张三']]); // '\uFEFF姓名\r\n张三\r\n'
 */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The per-expert table of the yearly evaluation. */
export function expertsCsv(rows: readonly ExpertYear[]): string {
  const table = expertsTable(rows);
  return toCsv(table.header, table.rows);
}

/** The per-expert table of the yearly evaluation, as cells. */
export function expertsTable(rows: readonly ExpertYear[]): ReportTable {
  return table(
    [
      '专家编号',
      '姓名',
      '专家组别',
      '状态',
      '本库专家',
      ...COUNT_COLUMNS.map((column) => column.label.zh),
    ],
    rows.map((row) => [
      row.expertId,
      row.name,
      groupLabel(row.group),
      statusLabel(row.status),
      row.ownPool,
      ...COUNT_COLUMNS.map((column) => row[column.key]),
    ]),
  );
}

/** The lists the department acts on, one line per entry, with its evidence. */
export function listsCsv(lists: ActionLists): string {
  const table = listsTable(lists);
  return toCsv(table.header, table.rows);
}

/** The lists the department acts on, as cells. */
export function listsTable(lists: ActionLists): ReportTable {
  const rows: Cell[][] = [];
  for (const section of LIST_SECTIONS) {
    for (const entry of lists[section.key]) {
      rows.push([
        section.heading.zh,
        entry.article,
        entry.expertId,
        entry.name,
        entry.ownPool,
        entry.message.zh,
        'evidence' in entry ? entry.evidence.map(evidenceText).join('；') : '',
        'notifications' in entry ? notificationsText(entry.notifications) : '',
      ]);
    }
  }
  return table(['清单', '条款', '专家编号', '姓名', '本库专家', '说明', '依据', '通报'], rows);
}

/** The workload spread: one line per slice, with its Gini coefficient. */
export function workloadCsv(workload: Workload): string {
  const table = workloadTable(workload);
  return toCsv(table.header, table.rows);
}

/** The workload spread, as cells. */
export function workloadTable(workload: Workload): ReportTable {
  const slices = [workload.overall, ...workload.byGroup, ...workload.byIndustry];
  const dimension = { all: '全部', group: '专家组别', industry: '行业' } as const;
  return table(
    [
      '维度',
      '类别',
      '专家人数',
      '参加任务人次',
      '人均任务数',
      '最多任务数',
      '基尼系数',
      '任务最多的专家',
    ],
    slices.map((slice) => [
      dimension[slice.dimension],
      slice.label.zh,
      slice.experts,
      slice.assignments,
      slice.mean,
      slice.max,
      slice.gini,
      slice.top.map((top) => `${top.name}（${top.expertId}）${top.tasks}`).join('；'),
    ]),
  );
}

function table(header: readonly string[], rows: readonly (readonly Cell[])[]): ReportTable {
  return { header, rows };
}
