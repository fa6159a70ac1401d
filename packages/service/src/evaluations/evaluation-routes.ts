import { evaluationGrades, formatZhDate, toShanghaiDate } from '@expert-dispatch/rules';
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';
import { requireRole } from '../access/authenticate.js';
import { appendAudit } from '../audit/append-audit.js';
import { yearlyEvaluations } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { BEARER_SECURITY, json, jsonBody, problems } from '../http/openapi-helpers.js';
import { reportPeriod } from '../reports/annual-report.js';
import { loadReportRecords, reportScope } from '../reports/load-report-records.js';
import { REPORT_PAGE_CSP } from '../reports/report-html.js';
import { resolveRuleSet } from '../rule-set/resolve-rule-set.js';
import { writeXlsx, XLSX_MEDIA_TYPE } from '../spreadsheet/xlsx-table.js';
import { actorOf } from '../tasks/draw-task.js';
import { computeYear } from './compute-year.js';
import { evaluationCsv, evaluationTable } from './evaluation-csv.js';
import { yearlyEvaluationHtml } from './evaluation-html.js';
import {
  adjustmentBodySchema,
  evaluationResultSchema,
  type YearlyEvaluation,
  yearlyEvaluationViewSchema,
} from './evaluation-schemas.js';
import { loadYearlyEvaluation } from './load-yearly-evaluation.js';
import { loadQualityNotes } from './quality-notes.js';
import { storeEvaluations } from './store-evaluations.js';
import { loadYearEndRecords } from './year-end-records.js';

const TAGS = ['Evaluations 年度评价'];
const yearParam = z
  .string()
  .regex(/^(20\d\d|2100)$/, 'a year from 2000 to 2100')
  .openapi({ example: '2025' });
const expertIdParam = z.string().min(1).max(64).openapi({ example: 'e-0001' });

const computeRoute = createRoute({
  method: 'post',
  path: '/v1/evaluations/{year}',
  operationId: 'computeYearlyEvaluation',
  tags: TAGS,
  summary: 'Evaluate every expert of the pool for a year / 计算专家年度评价',
  description:
    'Per expert of the caller’s own pool who was in it during the year (第二十条): tasks served, ' +
    'no-shows, refusals as the department decided them (justified ones do not count, those ' +
    'awaiting a decision neither), silence after delivery (as the rule set counts it), the ' +
    'served units’ ratings and quality notes, warnings — weighed and graded by the rule set’s ' +
    '`yearlyEvaluation` (本厅规定 / local policy). A past year reads each expert’s title, state ' +
    'and term as they stood at 24:00 of 31 December, from the audit trail. Recomputing replaces ' +
    'computed results and keeps adjustments. Audited.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: z.object({ year: yearParam }) },
  responses: {
    200: json(yearlyEvaluationViewSchema, 'The evaluation of the year, with its lists'),
    ...problems(401, 403, 422),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/evaluations/{year}',
  operationId: 'getYearlyEvaluation',
  tags: TAGS,
  summary:
    'The stored yearly evaluation, with commendation and 职称评审 reserve lists / 年度评价结果',
  description:
    'JSON, CSV (`section`: results, commendations or reserve; Chinese headers), .xlsx (all three ' +
    'as sheets) or a printable ' +
    'page, by `?format=` or the Accept header. The commendation list holds the excellent ' +
    'results (第二十条（一）); the reserve list the 正高级 experts (title at the year’s end) with ' +
    'good results and ratings (第二十条（三）). 404 until the year is evaluated.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'auditor', 'viewer')] as const,
  request: {
    params: z.object({ year: yearParam }),
    query: z.object({
      format: z.enum(['json', 'csv', 'html', 'xlsx']).optional(),
      section: z.enum(['results', 'commendations', 'reserve']).default('results'),
    }),
  },
  responses: {
    200: {
      description: 'The evaluation',
      content: {
        'application/json': { schema: yearlyEvaluationViewSchema },
        'text/csv': {
          schema: z.string().openapi({ description: 'UTF-8 with BOM, CRLF, 中文表头' }),
        },
        'text/html': { schema: z.string().openapi({ description: 'A printable page (中文)' }) },
        [XLSX_MEDIA_TYPE]: {
          schema: z.string().openapi({
            format: 'binary',
            description: 'Excel workbook: results, commendations and reserve, one sheet each',
          }),
        },
      },
    },
    ...problems(401, 403, 404, 422),
  },
});

const adjustRoute = createRoute({
  method: 'post',
  path: '/v1/evaluations/{year}/{expertId}/adjust',
  operationId: 'adjustYearlyEvaluation',
  tags: TAGS,
  summary: 'Set an expert’s yearly grade with a reason / 调整年度评价等次',
  description:
    'The department’s own judgement over the computed grade, with its reason; the computed ' +
    'grade and evidence stay, and a recompute keeps the adjustment. Audited.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: {
    params: z.object({ year: yearParam, expertId: expertIdParam }),
    body: jsonBody(adjustmentBodySchema),
  },
  responses: {
    200: json(evaluationResultSchema, 'The result with its adjustment'),
    ...problems(400, 401, 403, 404, 413, 415, 422),
  },
});

function futureYear(year: number, today: string): ProblemError {
  return new ProblemError(
    'validation_failed',
    {
      zh: `${year}年尚未开始（今天是${formatZhDate(today)}）`,
      en: `${year} has not begun (today is ${today})`,
    },
    { errors: [{ path: 'params.year', message: `must not be after ${today.slice(0, 4)}` }] },
  );
}

function notEvaluated(year: number): ProblemError {
  return new ProblemError('not_found', {
    zh: `${year} 年度尚未评价`,
    en: `the year ${year} has not been evaluated`,
  });
}

/** The year, its period and what every view of it needs. */
async function yearContext(c: Context<AppEnv>, yearText: string) {
  const year = Number(yearText);
  const now = c.var.services.now();
  const today = toShanghaiDate(now);
  if (`${year}-01-01` > today) throw futureYear(year, today);
  const [scope, ruleSet] = await Promise.all([
    reportScope(c.var.db, c.var.principal),
    resolveRuleSet(c.var.db, c.var.principal.authorityId, c.var.services.ruleSet),
  ]);
  return { year, now, today, period: reportPeriod(year, today), scope, ruleSet };
}

/** `/v1/evaluations/{year}`: the yearly evaluation (第二十条). */
export const evaluationRoutes = createRouter();

evaluationRoutes.openapi(computeRoute, async (c) => {
  const { year, now, today, period, scope, ruleSet } = await yearContext(
    c,
    c.req.valid('param').year,
  );
  const principal = c.var.principal;
  const [records, yearEnd] = await Promise.all([
    loadReportRecords(c.var.db, principal, period),
    loadYearEndRecords(c.var.db, principal, period, today),
  ]);
  const notes = await loadQualityNotes(
    c.var.db,
    yearEnd.map((record) => record.expertId),
    period,
  );
  const computed = computeYear(records, yearEnd, notes, period, ruleSet);
  await c.var.db.transaction((tx) => storeEvaluations(tx, principal, year, computed, ruleSet, now));
  const args = { period, scope, ruleSet, generatedAt: now };
  const view: YearlyEvaluation = (await loadYearlyEvaluation(
    c.var.db,
    principal.authorityId,
    year,
    args,
  )) ?? {
    year,
    period,
    scope,
    generatedAt: now.toISOString(),
    policy: { article: '第二十条', source: { zh: '本厅规定', en: 'local policy' } },
    results: [],
    commendations: [],
    titleReviewReserve: [],
  };
  return c.json(view, 200);
});

evaluationRoutes.openapi(getRoute, async (c) => {
  const query = c.req.valid('query');
  const { year, now, period, scope, ruleSet } = await yearContext(c, c.req.valid('param').year);
  const view = await loadYearlyEvaluation(c.var.db, c.var.principal.authorityId, year, {
    period,
    scope,
    ruleSet,
    generatedAt: now,
  });
  if (view === null) throw notEvaluated(year);
  const format =
    query.format ??
    (
      {
        'text/csv': 'csv',
        'text/html': 'html',
        'application/json': 'json',
        [XLSX_MEDIA_TYPE]: 'xlsx',
      } as const
    )[
      accepts(c, {
        header: 'Accept',
        supports: ['application/json', 'text/csv', 'text/html', XLSX_MEDIA_TYPE],
        default: 'application/json',
      }) as 'application/json' | 'text/csv' | 'text/html' | typeof XLSX_MEDIA_TYPE
    ] ??
    'json';
  c.header('Vary', 'Accept');
  if (format === 'csv') {
    return c.body(evaluationCsv(view, query.section), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="evaluation-${year}-${query.section}.csv"`,
    });
  }
  if (format === 'xlsx') {
    const bytes = await writeXlsx([
      { name: '年度考评结果', ...evaluationTable(view, 'results') },
      { name: '表彰名单', ...evaluationTable(view, 'commendations') },
      { name: '职称评审储备名单', ...evaluationTable(view, 'reserve') },
    ]);
    return c.body(bytes.slice().buffer, 200, {
      'Content-Type': XLSX_MEDIA_TYPE,
      'Content-Disposition': `attachment; filename="evaluation-${year}.xlsx"`,
    });
  }
  if (format === 'html') {
    c.header('Content-Security-Policy', REPORT_PAGE_CSP);
    return c.html(yearlyEvaluationHtml(view), 200);
  }
  return c.json(view, 200);
});

evaluationRoutes.openapi(adjustRoute, async (c) => {
  const params = c.req.valid('param');
  const { grade, reason } = c.req.valid('json');
  const { year, now, period, scope, ruleSet } = await yearContext(c, params.year);
  const principal = c.var.principal;
  const where = and(
    eq(yearlyEvaluations.year, year),
    eq(yearlyEvaluations.expertId, params.expertId),
    eq(yearlyEvaluations.authorityId, principal.authorityId),
  );
  await c.var.db.transaction(async (tx) => {
    const [row] = await tx.select().from(yearlyEvaluations).where(where).for('update');
    if (row === undefined) {
      throw new ProblemError('not_found', {
        zh: `专家 ${params.expertId} 无 ${year} 年度评价结果`,
        en: `no ${year} evaluation of expert ${params.expertId}`,
      });
    }
    await tx
      .update(yearlyEvaluations)
      .set({
        adjustedGrade: grade,
        adjustmentReason: reason,
        adjustedBy: principal.keyId,
        adjustedAt: now,
      })
      .where(where);
    const standing = evaluationGrades.is(row.adjustedGrade) ? row.adjustedGrade : row.computedGrade;
    await appendAudit(
      tx,
      {
        actor: actorOf(principal),
        action: 'evaluation.adjusted',
        entityType: 'yearly_evaluation',
        entityId: `${year}:${params.expertId}`,
        reason,
        before: {
          grade: standing,
          computedGrade: row.computedGrade,
          adjustmentReason: row.adjustmentReason,
        },
        after: { grade, computedGrade: row.computedGrade, adjustmentReason: reason },
      },
      now,
    );
  });
  const view = await loadYearlyEvaluation(c.var.db, principal.authorityId, year, {
    period,
    scope,
    ruleSet,
    generatedAt: now,
  });
  const result = view?.results.find((item) => item.expertId === params.expertId);
  if (result === undefined) throw notEvaluated(year);
  return c.json(result, 200);
});
