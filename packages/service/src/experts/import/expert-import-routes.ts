import { createRoute, z } from '@hono/zod-openapi';
import { accepts } from 'hono/accepts';
import { isPersonalDataRole, requireRole } from '../../access/authenticate.js';
import { experts } from '../../db/schema.js';
import { ProblemError } from '../../errors.js';
import { createRouter } from '../../http/create-router.js';
import { toFieldErrors } from '../../http/field-errors.js';
import { BEARER_SECURITY, json, problems } from '../../http/openapi-helpers.js';
import { decodeCsvBytes } from '../../spreadsheet/decode-csv-bytes.js';
import {
  looksLikeZip,
  readXlsx,
  writeXlsx,
  XLSX_MEDIA_TYPE,
} from '../../spreadsheet/xlsx-table.js';
import { EXPERT_ORDER, expertFilterCondition, expertFiltersSchema } from '../expert-filters.js';
import { expertInputSchema } from '../expert-input.js';
import { lifecycleOf, rowToExpert } from '../expert-row.js';
import { maskPhone, toExpertView } from '../expert-view.js';
import { toCsvLine } from './csv.js';
import { EXPERT_COLUMNS, expertToCells } from './expert-columns.js';
import { importExperts } from './import-experts.js';
import { readCsvRows, readJsonRows, readTableRows } from './read-import-rows.js';

const MAX_ROWS = 20_000;
const tags = ['Pool 专家库'];
const EXPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
const EXPORT_MEDIA: Readonly<Record<string, (typeof EXPORT_FORMATS)[number]>> = {
  'application/json': 'json',
  'text/csv': 'csv',
  [XLSX_MEDIA_TYPE]: 'xlsx',
};

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
  summary: 'Bulk import JSON, CSV or .xlsx (Chinese headers and labels accepted) / 批量导入专家',
  description:
    'Rows are independent: each is reported created, updated, unchanged or rejected with field ' +
    'paths; the valid rows are committed in one transaction. dryRun=true commits nothing. ' +
    'CSV may be UTF-8 (with or without BOM) or GB18030/GBK as Chinese Excel saves it; an .xlsx ' +
    'workbook is read from its first sheet (also when sent as application/octet-stream). ' +
    'Cells may hold identifiers or the Chinese labels the export writes (副高级, 企业, 烟草). ' +
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
        'text/csv': {
          schema: z.string().openapi({
            description: 'CSV in UTF-8 or GB18030/GBK, first row headers',
          }),
        },
        [XLSX_MEDIA_TYPE]: {
          schema: z.string().openapi({ format: 'binary', description: 'Excel workbook' }),
        },
        'application/octet-stream': {
          schema: z.string().openapi({ format: 'binary', description: 'An .xlsx workbook' }),
        },
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
  summary:
    'Export experts as JSON, CSV or .xlsx (personal data masked unless admin/auditor) / 导出专家',
  description:
    'Without `format` the Accept header decides (JSON by default). CSV and .xlsx have Chinese ' +
    'headers and, unless values=codes, Chinese labels (副高级, 企业, 烟草, 是/否) that re-import ' +
    'unchanged. `limit` caps the number of experts, in id order.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin', 'dispatcher', 'auditor', 'viewer')] as const,
  request: {
    query: expertFiltersSchema.extend({
      format: z.enum(EXPORT_FORMATS).optional(),
      values: z.enum(['labels', 'codes']).default('labels').openapi({
        description: 'What CSV and .xlsx cells hold: Chinese labels or identifiers',
      }),
      limit: z.coerce.number().int().min(1).max(MAX_ROWS).optional(),
    }),
  },
  responses: {
    200: {
      description: 'The experts',
      content: {
        'application/json': { schema: z.object({ experts: z.array(z.unknown()) }) },
        'text/csv': { schema: z.string() },
        [XLSX_MEDIA_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
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
    const spreadsheet =
      mediaType === 'text/csv' ||
      mediaType === XLSX_MEDIA_TYPE ||
      mediaType === 'application/octet-stream';
    if (spreadsheet) {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const read = await readSpreadsheet(bytes, mediaType, charsetOf(c.req.header('content-type')));
      if (read.headerErrors.length > 0) {
        throw new ProblemError('validation_failed', read.title, { errors: read.headerErrors });
      }
      rows = read.rows;
    } else if (mediaType !== undefined && /^application\/([\w.-]+\+)?json$/.test(mediaType)) {
      rows = readJsonRows(c.req.valid('json'));
    } else {
      throw new ProblemError('unsupported_media_type', {
        zh: `请以 application/json、text/csv 或 ${XLSX_MEDIA_TYPE}（.xlsx）提交`,
        en: `send application/json, text/csv or ${XLSX_MEDIA_TYPE} (.xlsx)`,
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
  const { format: asked, values, limit, ...filters } = c.req.valid('query');
  const query = c.var.db
    .select()
    .from(experts)
    .where(expertFilterCondition(principal, filters))
    .orderBy(EXPERT_ORDER);
  const rows = await (limit === undefined ? query : query.limit(limit));
  const personal = isPersonalDataRole(principal.role);
  const format =
    asked ??
    EXPORT_MEDIA[
      accepts(c, {
        header: 'Accept',
        supports: Object.keys(EXPORT_MEDIA),
        default: 'application/json',
      })
    ] ??
    'json';
  c.header('Vary', 'Accept');
  if (format === 'csv' || format === 'xlsx') {
    const header = EXPERT_COLUMNS.map((col) => col.zh);
    const table = rows.map((row) => {
      const expert = rowToExpert(row);
      return expertToCells(
        personal
          ? expert
          : {
              ...expert,
              phone: maskPhone(expert.phone),
              birthDate: undefined,
              idNumber: undefined,
            },
        { labels: values === 'labels' },
      );
    });
    if (format === 'xlsx') {
      const bytes = await writeXlsx([{ name: '专家库', header, rows: table }]);
      return c.body(bytes.slice().buffer, 200, {
        'Content-Type': XLSX_MEDIA_TYPE,
        'Content-Disposition': 'attachment; filename="experts.xlsx"',
      });
    }
    const lines = [header, ...table].map(toCsvLine);
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

const CSV_TITLE = {
  zh: 'CSV 表头无法识别，未导入任何数据',
  en: 'the CSV header is not understood; nothing was imported',
};

function charsetOf(contentType: string | undefined): string | undefined {
  return /;\s*charset="?([\w.:-]+)"?/i.exec(contentType ?? '')?.[1];
}

/**
 * The rows of an uploaded spreadsheet: an .xlsx workbook (by media type or by its ZIP magic
 * bytes, since browsers send .xlsx files under many types) or a CSV file in UTF-8 or GB18030.
 * A file that cannot be read at all comes back as one header error, so nothing is imported.
 */
async function readSpreadsheet(
  bytes: Uint8Array,
  mediaType: string | undefined,
  charset: string | undefined,
): Promise<ReturnType<typeof readCsvRows> & { title: { zh: string; en: string } }> {
  if (mediaType === XLSX_MEDIA_TYPE || looksLikeZip(bytes)) {
    const title = {
      zh: 'Excel 文件无法读取或表头无法识别，未导入任何数据',
      en: 'the .xlsx file cannot be read or its header is not understood; nothing was imported',
    };
    const read = await readXlsx(bytes);
    if (!read.ok)
      return { rows: [], headerErrors: [{ path: 'body', message: read.message }], title };
    return { ...readTableRows(read.records), title };
  }
  if (mediaType === 'application/octet-stream') {
    const title = { zh: '请上传 .xlsx 或 CSV 文件', en: 'upload an .xlsx or a CSV file' };
    return { rows: [], headerErrors: [{ path: 'body', message: 'not an .xlsx workbook' }], title };
  }
  const decoded = decodeCsvBytes(bytes, charset);
  if (!decoded.ok) {
    return {
      rows: [],
      headerErrors: [{ path: 'body', message: decoded.message.en }],
      title: decoded.message,
    };
  }
  return { ...readCsvRows(decoded.text), title: CSV_TITLE };
}
