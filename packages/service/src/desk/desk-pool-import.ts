import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { createRouter } from '../http/create-router.js';
import { type DeskLang, deskLang, escapeHtml, renderDesk, t } from './desk-layout.js';
import { documentDeskPage } from './desk-page-doc.js';
import { deskSessionOf, requireDeskSession } from './desk-session.js';
import { callV1, type DeskProblem, fieldText, problemText } from './desk-v1-call.js';

/** CSV/.xlsx import from the desk: a dry run shown row by row, then the commit of the same file. */
export const deskPoolImportRoutes = createRouter();

documentDeskPage(deskPoolImportRoutes, {
  method: 'get',
  path: '/desk/experts/import',
  operationId: 'showDeskExpertImport',
  summary: 'Import experts from a CSV file / 批量导入专家',
  description: 'The upload form (admins).',
});
documentDeskPage(deskPoolImportRoutes, {
  method: 'post',
  path: '/desk/experts/import',
  operationId: 'submitDeskExpertImport',
  summary: 'Dry-run or commit a CSV import / 试导入或确认导入',
  description:
    'step=dry-run: POST /v1/experts/import?dryRun=true, every row shown; step=commit: the same ' +
    'file for real. Admins only (the API checks).',
});

interface ImportReport {
  readonly dryRun: boolean;
  readonly summary: Readonly<Record<'created' | 'updated' | 'unchanged' | 'rejected', number>>;
  readonly rows: readonly {
    readonly row: number;
    readonly line?: number;
    readonly id: string | null;
    readonly outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
    readonly errors?: readonly { readonly path: string; readonly message: string }[];
  }[];
}

const OUTCOMES = {
  created: { zh: '新增', en: 'created' },
  updated: { zh: '更新', en: 'updated' },
  unchanged: { zh: '无变化', en: 'unchanged' },
  rejected: { zh: '拒绝', en: 'rejected' },
} as const;

/** 20 MB is far beyond any pool; the body limit of the service applies first anyway. */
const MAX_FILE_BYTES = 20_000_000;

function uploadForm(lang: DeskLang, csrf: string): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  return (
    `<form method="post" action="/desk/experts/import" enctype="multipart/form-data" id="import-form">` +
    `<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><input type="hidden" name="step" value="dry-run">` +
    `<label for="file">${L('CSV 或 Excel 文件（.xlsx；CSV 可为 UTF-8 或 GB18030/GBK；首行为表头，中文或英文列名）', 'CSV or Excel file (.xlsx; CSV in UTF-8 or GB18030/GBK; first row headers, Chinese or English)')}</label>` +
    `<input type="file" id="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required>` +
    `<p class="hint">${L('先试导入：逐行显示结果，确认后才写入。', 'A dry run first: every row is shown; nothing is written until you confirm.')}</p>` +
    `<button type="submit">${L('试导入', 'Dry run')}</button></form>`
  );
}

function reportTable(report: ImportReport, lang: DeskLang): string {
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const rows = report.rows.map(
    (r) =>
      `<tr class="${r.outcome}"><td>${r.row}</td><td>${r.line ?? '—'}</td><td>${escapeHtml(r.id ?? '—')}</td><td>${r.outcome === 'rejected' ? '<span class="flag">' : '<span>'}${escapeHtml(t(lang, OUTCOMES[r.outcome]))}</span></td><td>${escapeHtml((r.errors ?? []).map((e) => `${e.path}: ${fieldText(e)}`).join('; ') || '—')}</td></tr>`,
  );
  const s = report.summary;
  return (
    `<p id="import-summary">${L('新增', 'created')} ${s.created} · ${L('更新', 'updated')} ${s.updated} · ${L('无变化', 'unchanged')} ${s.unchanged} · ${L('拒绝', 'rejected')} ${s.rejected}</p>` +
    `<div class="scroll"><table id="import-rows"><caption>${report.dryRun ? L('试导入结果（未写入）', 'Dry run (nothing written)') : L('导入结果', 'Import result')}</caption><thead><tr><th scope="col">${L('行', 'Row')}</th><th scope="col">${L('文件行号', 'Line')}</th><th scope="col">${L('编号', 'ID')}</th><th scope="col">${L('结果', 'Outcome')}</th><th scope="col">${L('问题', 'Problems')}</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
  );
}

/** The uploaded file's bytes, or the same bytes carried from the dry run to the commit. */
async function bytesOf(form: Record<string, unknown>): Promise<Uint8Array> {
  if (form.file instanceof File) return new Uint8Array(await form.file.arrayBuffer());
  return typeof form.file64 === 'string'
    ? new Uint8Array(Buffer.from(form.file64, 'base64'))
    : new Uint8Array();
}

function importPage(c: Context<AppEnv>, body: string, status: 200 | 403 | 422 = 200) {
  const title = { zh: '批量导入专家', en: 'Import experts' };
  return renderDesk(
    c,
    deskSessionOf(c),
    { title, body: `<h1>${t(deskLang(c), title)}</h1>${body}`, active: 'experts' },
    status,
  );
}

deskPoolImportRoutes.get('/desk/experts/import', requireDeskSession('admin'), (c) =>
  importPage(c, uploadForm(deskLang(c), deskSessionOf(c).csrf)),
);

deskPoolImportRoutes.post('/desk/experts/import', requireDeskSession(), async (c) => {
  const lang = deskLang(c);
  const L = (zh: string, en: string) => t(lang, { zh, en });
  const csrf = deskSessionOf(c).csrf;
  const form = await c.req.parseBody();
  const bytes = await bytesOf(form);
  const commit = form.step === 'commit';
  if (bytes.length === 0 || bytes.length > MAX_FILE_BYTES) {
    const error = `<p class="notice error" role="alert">${L('请选择一个非空的 CSV 或 .xlsx 文件', 'Choose a CSV or .xlsx file that is not empty')}</p>`;
    return importPage(c, error + uploadForm(lang, csrf), 422);
  }
  const answer = await callV1<ImportReport & DeskProblem>(
    c,
    'POST',
    `/v1/experts/import?dryRun=${commit ? 'false' : 'true'}`,
    // The API reads a workbook by its magic bytes and a CSV's encoding from its bytes.
    { bytes, type: 'text/csv' },
  );
  if (!answer.ok) {
    const error = `<p class="notice error" role="alert" id="import-refused">${escapeHtml(problemText(answer.body))}</p>`;
    return importPage(c, error + uploadForm(lang, csrf), answer.status === 403 ? 403 : 422);
  }
  if (commit) {
    const done = `<p class="notice" role="status" id="import-done">${L('已导入，并记入审计。', 'Imported and audited.')}</p>`;
    return importPage(
      c,
      `${done}${reportTable(answer.body, lang)}<p><a href="/desk/experts">${L('返回专家库', 'Back to the pool')}</a></p>`,
    );
  }
  const writable = answer.body.summary.created + answer.body.summary.updated;
  const confirm =
    writable === 0
      ? `<p>${L('没有可写入的行。', 'No row to write.')}</p>`
      : `<form method="post" action="/desk/experts/import" id="commit-form"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><input type="hidden" name="step" value="commit"><input type="hidden" name="file64" value="${Buffer.from(bytes).toString('base64')}">` +
        `<p>${L(`确认写入 ${writable} 行（被拒绝的行不写入）？`, `Write ${writable} rows (rejected rows are left out)?`)}</p><button type="submit">${L('确认导入', 'Commit the import')}</button></form>`;
  return importPage(
    c,
    `${reportTable(answer.body, lang)}${confirm}<h2>${L('或换一个文件', 'Or another file')}</h2>${uploadForm(lang, csrf)}`,
  );
});
