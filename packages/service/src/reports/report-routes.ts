import { formatZhDate, toShanghaiDate, workDateSchema } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';
import { requireRole } from '../access/authenticate.js';
import { missingNextYear } from '../calendar/calendar-warning.js';
import { loadWorkingCalendar } from '../calendar/working-calendar.js';
import { readFromReplica } from '../db/read-replica.js';
import { ProblemError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, problems } from '../http/openapi-helpers.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import { writeXlsx, XLSX_MEDIA_TYPE, type XlsxSheet } from '../spreadsheet/xlsx-table.js';
import { buildAnnualReport, reportPeriod } from './annual-report.js';
import { loadListsOn } from './lists-on.js';
import { loadReportRecords, reportScope } from './load-report-records.js';
import {
  expertsCsv,
  expertsTable,
  listsCsv,
  listsTable,
  workloadCsv,
  workloadTable,
} from './report-csv.js';
import { annualReportHtml, listsReportHtml, REPORT_PAGE_CSP } from './report-html.js';
import { annualReportSchema, type ListsReport, listsReportSchema } from './report-schemas.js';

const TAGS = ['Reports 年度考评与名单'];
const FORMATS = ['json', 'csv', 'html', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];
const MEDIA: Readonly<Record<string, Format>> = {
  'application/json': 'json',
  'text/csv': 'csv',
  'text/html': 'html',
  [XLSX_MEDIA_TYPE]: 'xlsx',
};

const formatQuery = z.enum(FORMATS).optional().openapi({
  description: 'json, csv, html or xlsx; without it the Accept header decides (default JSON)',
});

function content<T extends z.ZodType>(schema: T, description: string) {
  return {
    description,
    content: {
      'application/json': { schema },
      'text/csv': {
        schema: z.string().openapi({ description: 'UTF-8 with BOM, CRLF, Chinese headers' }),
      },
      'text/html': { schema: z.string().openapi({ description: 'A printable page (中文)' }) },
      [XLSX_MEDIA_TYPE]: {
        schema: z.string().openapi({
          format: 'binary',
          description: 'Excel workbook, Chinese headers, one sheet per table',
        }),
      },
    },
  };
}

const annualRoute = createRoute({
  method: 'get',
  path: '/v1/reports/annual',
  operationId: 'getAnnualReport',
  tags: TAGS,
  summary: 'Yearly evaluation per expert, the lists to act on, the workload spread / 专家年度考评',
  description:
    'Per expert: invitations of the year (Asia/Shanghai dates) and their outcomes, attendance, ' +
    'average rating, tasks led and served (第十五条, 第二十条); the lists of 第二十三条（一）, ' +
    '第八条（一）, 第十一条, 第九条（五） and the never-invited, each with its evidence; tasks per ' +
    'expert by group and industry with a Gini coefficient. The province sees its pool and every ' +
    'invitation of it; a city or county its own pool and the invitations of its own tasks. ' +
    'CSV: one table per `section`. A year still running is reported up to today. The lists ' +
    'follow the caller’s own rule set (第二十六条).',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'auditor')] as const,
  request: {
    query: z.object({
      year: z.coerce.number().int().min(2000).max(2100).optional().openapi({ example: 2026 }),
      format: formatQuery,
      section: z.enum(['experts', 'lists', 'workload']).default('experts').openapi({
        description: 'Which table the CSV holds (JSON, HTML and .xlsx hold all three)',
      }),
    }),
  },
  responses: { 200: content(annualReportSchema, 'The report'), ...problems(401, 403, 422) },
});

const listsRoute = createRoute({
  method: 'get',
  path: '/v1/reports/lists',
  operationId: 'getActionLists',
  tags: TAGS,
  summary: 'The lists the department acts on, on a date / 需处理专家名单',
  description:
    'On `on` (default today): experts with 2 or more unjustified declines or time-outs within ' +
    'one year (1年内: 12 months back to the same calendar date) whose last one falls in the ' +
    'year up to `on` (the warning in force, 第二十三条（一）), stale profiles (第八条（一）), terms ' +
    'ending within 90 days or lapsed (第十一条), experts reaching the age limit within the next ' +
    'term (第九条（五）, month only) and active experts not invited in the year up to `on`. The ' +
    'numbers are those of the ' +
    'caller’s own rule set: a city or county with a derived set (第二十六条) gets its own.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'auditor')] as const,
  request: {
    query: z.object({
      on: workDateSchema.optional().openapi({ example: '2026-11-29' }),
      format: formatQuery,
    }),
  },
  responses: { 200: content(listsReportSchema, 'The lists'), ...problems(401, 403, 422) },
});

/** The format asked for: `?format=` first, then the Accept header, JSON by default. */
function chooseFormat(c: Context<AppEnv>, format: Format | undefined): Format {
  if (format !== undefined) return format;
  const media = accepts(c, {
    header: 'Accept',
    supports: Object.keys(MEDIA),
    default: 'application/json',
  });
  return MEDIA[media] ?? 'json';
}

function futureDate(path: string, value: string, today: string): ProblemError {
  return new ProblemError(
    'validation_failed',
    {
      zh: `${formatZhDate(value)}尚未到来（今天是${formatZhDate(today)}）`,
      en: `${value} lies in the future (today is ${today})`,
    },
    { errors: [{ path, message: `must not be after ${today}` }] },
  );
}

function csvResponse(c: Context<AppEnv>, body: string, filename: string): Response {
  c.header('Vary', 'Accept');
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
  });
}

async function xlsxResponse(
  c: Context<AppEnv>,
  sheets: readonly XlsxSheet[],
  filename: string,
): Promise<Response> {
  c.header('Vary', 'Accept');
  const bytes = await writeXlsx(sheets);
  return c.body(bytes.slice().buffer, 200, {
    'Content-Type': XLSX_MEDIA_TYPE,
    'Content-Disposition': `attachment; filename="${filename}"`,
  });
}

function htmlResponse(c: Context<AppEnv>, body: string): Response {
  c.header('Vary', 'Accept');
  c.header('Content-Security-Policy', REPORT_PAGE_CSP);
  return c.html(body, 200);
}

/** `GET /v1/reports/annual` and `GET /v1/reports/lists`. */
export const reportRoutes = createRouter();

// Read-only: on the replica once it has replayed every write made before the request (#17).
reportRoutes.use('/v1/reports/*', readFromReplica);

reportRoutes.openapi(annualRoute, async (c) => {
  const query = c.req.valid('query');
  const services = c.var.services;
  const now = services.now();
  const today = toShanghaiDate(now);
  const year = query.year ?? Number(today.slice(0, 4));
  if (`${year}-01-01` > today) throw futureDate('query.year', String(year), today);
  const period = reportPeriod(year, today);
  // The caller's own rule set: a local pool is judged on its derived thresholds (第二十六条).
  const [records, scope, ruleSet] = await Promise.all([
    loadReportRecords(c.var.db, c.var.principal, period, { base: services.ruleSet, now }),
    reportScope(c.var.db, c.var.principal),
    resolveRuleSet(c.var.db, c.var.principal.authorityId, services.ruleSet),
  ]);
  const report = buildAnnualReport(records, { year, period, scope, ruleSet, generatedAt: now });
  const format = chooseFormat(c, query.format);
  if (format === 'csv') {
    const csv =
      query.section === 'lists'
        ? listsCsv(report.lists)
        : query.section === 'workload'
          ? workloadCsv(report.workload)
          : expertsCsv(report.experts);
    return csvResponse(c, csv, `annual-report-${year}-${query.section}.csv`);
  }
  if (format === 'xlsx') {
    const sheets = [
      { name: '专家年度考评', ...expertsTable(report.experts) },
      { name: '需处理名单', ...listsTable(report.lists) },
      { name: '任务分布', ...workloadTable(report.workload) },
    ];
    return xlsxResponse(c, sheets, `annual-report-${year}.xlsx`);
  }
  if (format === 'html') return htmlResponse(c, annualReportHtml(report));
  c.header('Vary', 'Accept');
  return c.json(report, 200);
});

reportRoutes.openapi(listsRoute, async (c) => {
  const query = c.req.valid('query');
  const services = c.var.services;
  const now = services.now();
  const today = toShanghaiDate(now);
  const on = query.on ?? today;
  if (on > today) throw futureDate('query.on', on, today);
  const [computed, scope, calendar] = await Promise.all([
    loadListsOn(c.var.db, c.var.principal, on, services.ruleSet, now),
    reportScope(c.var.db, c.var.principal),
    loadWorkingCalendar(services.db),
  ]);
  const calendarWarning = missingNextYear(on, calendar.years);
  const report: ListsReport = {
    on,
    generatedAt: now.toISOString(),
    scope,
    ruleSet: { id: computed.ruleSet.id, version: computed.ruleSet.version },
    lists: computed.lists,
    calendarWarnings: calendarWarning === null ? [] : [calendarWarning],
  };
  const format = chooseFormat(c, query.format);
  if (format === 'csv') return csvResponse(c, listsCsv(report.lists), `lists-${on}.csv`);
  if (format === 'xlsx') {
    return xlsxResponse(
      c,
      [{ name: '需处理名单', ...listsTable(report.lists) }],
      `lists-${on}.xlsx`,
    );
  }
  if (format === 'html') return htmlResponse(c, listsReportHtml(report));
  c.header('Vary', 'Accept');
  return c.json(report, 200);
});
