import { createRoute, z } from '@hono/zod-openapi';
import { isPersonalDataRole, requireRole } from '../../access/authenticate.js';
import { experts } from '../../db/schema.js';
import { ProblemError } from '../../errors.js';
import { createRouter } from '../../http/create-router.js';
import { toFieldErrors } from '../../http/field-errors.js';
import { BEARER_SECURITY, json, problems } from '../../http/openapi-helpers.js';
import { EXPERT_ORDER, expertFilterCondition, expertFiltersSchema } from '../expert-filters.js';
import { expertInputSchema } from '../expert-input.js';
import { lifecycleOf, rowToExpert } from '../expert-row.js';
import { maskPhone, toExpertView } from '../expert-view.js';
import { toCsvLine } from './csv.js';
import { EXPERT_COLUMNS, expertToCells } from './expert-columns.js';
import { importExperts } from './import-experts.js';
import { readCsvRows, readJsonRows } from './read-import-rows.js';

const MAX_ROWS = 20_000;
const tags = ['Pool 专家库'];

const importJsonSchema = z
  .union([
    z.object({ experts: z.array(z.unknown()).max(MAX_ROWS) }).strict(),
    z.array(z.unknown()).max(MAX_ROWS),
  ])
  .openapi('ExpertImportJson', {
    description: '{ "experts": [ExpertInput…] } or a bare array; each item as POST /v1/experts',
  });

const rowReportSchema = z.object({
  row: z.number().int(),
  line: z.number().int().optional(),
  id: z.string().nullable(),
  outcome: z.enum(['created', 'updated', 'unchanged', 'rejected']),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const importReportSchema = z
  .object({
    dryRun: z.boolean(),
    summary: z.object({
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      rejected: z.number().int(),
    }),
    rows: z.array(rowReportSchema),
  })
  .openapi('ExpertImportReport');

const importRoute = createRoute({
  method: 'post',
  path: '/v1/experts/import',
  operationId: 'importExperts',
  tags,
  summary: 'Bulk import JSON or CSV (Chinese headers accepted) / 批量导入专家',
  description:
    'Rows are independent: each is reported created, updated, unchanged or rejected with field ' +
    'paths; the valid rows are committed in one transaction. dryRun=true commits nothing. ' +
    `CSV headers (中文 / English): ${EXPERT_COLUMNS.map((c) => `${c.zh} / ${c.en}`).join(', ')}.`,
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: {
    query: z.object({
      dryRun: z
        .enum(['true', 'false'])
        .default('false')
        .transform((value) => value === 'true'),
    }),
    body: {
      required: false,
      content: {
        'application/json': { schema: importJsonSchema },
        'text/csv': { schema: z.string().openapi({ description: 'UTF-8 CSV, first row headers' }) },
      },
    },
  },
  responses: {
    200: json(importReportSchema, 'What happened to each row'),
    ...problems(400, 401, 403, 413, 415, 422),
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/v1/experts/export',
  operationId: 'exportExperts',
  tags,
  summary: 'Export experts as JSON or CSV (personal data masked unless admin/auditor) / 导出专家',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'dispatcher', 'auditor', 'viewer')] as const,
  request: {
    query: expertFiltersSchema.extend({ format: z.enum(['json', 'csv']).default('json') }),
  },
  responses: {
    200: {
      description: 'The experts',
      content: {
        'application/json': { schema: z.object({ experts: z.array(z.unknown()) }) },
        'text/csv': { schema: z.string() },
      },
    },
    ...problems(401, 422),
  },
});

/** `POST /v1/experts/import` and `GET /v1/experts/export`. */
export const expertImportRoutes = createRouter();

expertImportRoutes.openapi(
  importRoute,
  async (c) => {
    const principal = c.var.principal;
    const { dryRun } = c.req.valid('query');
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    let rows: ReturnType<typeof readJsonRows>;
    if (mediaType === 'text/csv') {
      const read = readCsvRows(await c.req.text());
      if (read.headerErrors.length > 0) {
        throw new ProblemError(
          'validation_failed',
          {
            zh: 'CSV 表头无法识别，未导入任何数据',
            en: 'the CSV header is not understood; nothing was imported',
          },
          { errors: read.headerErrors },
        );
      }
      rows = read.rows;
    } else if (mediaType !== undefined && /^application\/([\w.-]+\+)?json$/.test(mediaType)) {
      rows = readJsonRows(c.req.valid('json'));
    } else {
      throw new ProblemError('unsupported_media_type', {
        zh: '请以 application/json 或 text/csv 提交',
        en: 'send application/json or text/csv',
      });
    }
    if (rows.length > MAX_ROWS) {
      throw new ProblemError(
        'validation_failed',
        { zh: `一次最多导入 ${MAX_ROWS} 行`, en: `at most ${MAX_ROWS} rows per import` },
        { errors: [{ path: '', message: `${rows.length} rows` }] },
      );
    }
    const report = await importExperts(c.var.db, principal, rows, {
      dryRun,
      now: c.var.services.now(),
      ruleSet: c.var.services.ruleSet,
    });
    return c.json(report, 200);
  },
  // Row problems (including unstorable strings) are reported per row, not for the whole body.
  (result) => {
    if (!result.success) {
      throw new ProblemError(
        'validation_failed',
        { zh: '导入数据格式不正确', en: 'the import body is not in the expected shape' },
        { errors: toFieldErrors(result.error, result.target === 'query' ? 'query' : undefined) },
      );
    }
  },
);

expertImportRoutes.openapi(exportRoute, async (c) => {
  const principal = c.var.principal;
  const { format, ...filters } = c.req.valid('query');
  const rows = await c.var.db
    .select()
    .from(experts)
    .where(expertFilterCondition(principal, filters))
    .orderBy(EXPERT_ORDER);
  const personal = isPersonalDataRole(principal.role);
  if (format === 'csv') {
    const lines = [toCsvLine(EXPERT_COLUMNS.map((col) => col.zh))];
    for (const row of rows) {
      const expert = rowToExpert(row);
      lines.push(
        toCsvLine(
          expertToCells(
            personal
              ? expert
              : {
                  ...expert,
                  phone: maskPhone(expert.phone),
                  birthDate: undefined,
                  idNumber: undefined,
                },
          ),
        ),
      );
    }
    // A BOM so that spreadsheet programs read the Chinese headers as UTF-8.
    return c.body(`\uFEFF${lines.join('\r\n')}\r\n`, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="experts.csv"',
    });
  }
  const items = rows.map((row) =>
    personal
      ? rowToExpert(row)
      : toExpertView(rowToExpert(row), row.ownerAuthorityId, false, lifecycleOf(row)),
  );
  return c.json({ experts: items }, 200);
});

/** The per-row schema of imports, for documentation. */
export const importRowSchema = expertInputSchema;
