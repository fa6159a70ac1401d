import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XLSX_MEDIA_TYPE } from '../../spreadsheet/xlsx-table.js';
import { makeExpert } from '../../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

const CSV_HEADER =
  '编号,姓名,出生日期,手机,职称,从业年限,单位编号,单位名称,单位类型,行政区划,层级,专家组别,行业';
const csvRow = (id: string, name: string, birthDate: string) =>
  `${id},${name},${birthDate},13812345678,senior_associate,20,org-${id},某单位,university,530102,province,metallurgy_nonferrous_machinery,metallurgy`;

describe.each(backends)('import: dryRun and the real run agree, row by row, on %s', (kind) => {
  let t: TestContext;
  const exists = async (id: string) =>
    (await call(t, 'GET', `/v1/experts/${id}`, { key: 'yn.admin' })).status === 200;

  beforeAll(async () => {
    t = await createTestContext(kind);
    // A rule only the database knows, standing for any refusal validation cannot foresee.
    await t.database.db.execute(
      sql`alter table experts add constraint test_refused_name check (name <> '数据库拒绝')`,
    );
  });
  afterAll(() => t.close());

  it('reports a row the database refuses alike in both modes and keeps the valid rows beside it (JSON)', async () => {
    const body = [
      makeExpert({ id: 'c-ok1', idNumber: undefined }),
      makeExpert({ id: 'c-y0', idNumber: undefined, birthDate: '0000-01-01' }),
      makeExpert({ id: 'c-db', idNumber: undefined, name: '数据库拒绝' }),
      makeExpert({
        id: 'c-9999',
        idNumber: undefined,
        appointment: { from: '2025-01-01', to: '9999-12-31', sealed: false },
      }),
      makeExpert({ id: 'c-ok2', idNumber: undefined }),
    ];
    const auditBefore = await countAuditEntries(t);
    const dry = await call(t, 'POST', '/v1/experts/import?dryRun=true', {
      key: 'yn.admin',
      json: body,
    });
    expect(dry.status, dry.text).toBe(200);
    expect(await countAuditEntries(t)).toBe(auditBefore);
    expect(await exists('c-ok1')).toBe(false);

    const real = await call(t, 'POST', '/v1/experts/import', { key: 'yn.admin', json: body });
    expect(real.status, real.text).toBe(200);
    expect(real.body.rows).toEqual(dry.body.rows);
    expect(real.body.summary).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 3 });
    expect(real.body.rows?.map((row) => [row.id, row.outcome])).toEqual([
      ['c-ok1', 'created'],
      ['c-y0', 'rejected'],
      ['c-db', 'rejected'],
      ['c-9999', 'rejected'],
      ['c-ok2', 'created'],
    ]);
    expect(JSON.stringify(real.body.rows?.[2]?.errors)).toContain('SQLSTATE 23514');
    expect(await exists('c-ok1')).toBe(true);
    expect(await exists('c-ok2')).toBe(true);
    expect(await exists('c-db')).toBe(false);
    expect(await countAuditEntries(t)).toBe(auditBefore + 2);
  });

  it('reports an update the database refuses alike in both modes, and commits the others (CSV)', async () => {
    const csv = [
      CSV_HEADER,
      csvRow('c-ok1', '数据库拒绝', '1975-06-15'),
      csvRow('c-ok2', '新名字', '1975-06-15'),
      csvRow('c-new', '新专家', '1800-01-01'),
    ].join('\n');
    const send = (query: string) =>
      call(t, 'POST', `/v1/experts/import${query}`, {
        key: 'yn.admin',
        body: csv,
        headers: { 'content-type': 'text/csv' },
      });
    const dry = await send('?dryRun=true');
    const real = await send('');
    expect(real.status, real.text).toBe(200);
    expect(real.body.rows).toEqual(dry.body.rows);
    expect(real.body.rows?.map((row) => [row.id, row.outcome])).toEqual([
      ['c-ok1', 'rejected'],
      ['c-ok2', 'updated'],
      ['c-new', 'rejected'],
    ]);
    const renamed = await call(t, 'GET', '/v1/experts/c-ok2', { key: 'yn.admin' });
    expect(renamed.body.name).toBe('新名字');
  });

  it('refuses out-of-range birth dates of a workbook per row, typed or written, alike in both modes (.xlsx)', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('专家');
    sheet.addRow(CSV_HEADER.split(','));
    const row = (id: string, birthDate: Date | string) => {
      const cells: (Date | string)[] = csvRow(id, `专家${id}`, 'x').split(',');
      cells[2] = birthDate;
      sheet.addRow(cells);
    };
    row('x-ok', new Date('1975-06-15T00:00:00Z'));
    row('x-future', new Date('2030-01-01T00:00:00Z'));
    row('x-1899', new Date('1899-12-30T00:00:00Z'));
    row('x-y0', '0000-01-01');
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const send = async (query: string) => {
      const response = await t.app.request(`/v1/experts/import${query}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${t.keys['yn.admin']}`,
          'content-type': XLSX_MEDIA_TYPE,
        },
        body: bytes,
      });
      return {
        status: response.status,
        body: (await response.json()) as {
          rows: { id?: string; outcome: string; errors?: { path: string }[] }[];
        },
      };
    };
    const dry = await send('?dryRun=true');
    const real = await send('');
    expect(real.status).toBe(200);
    expect(real.body.rows).toEqual(dry.body.rows);
    expect(real.body.rows.map((entry) => entry.outcome)).toEqual([
      'created',
      'rejected',
      'rejected',
      'rejected',
    ]);
    for (const refused of real.body.rows.slice(1)) {
      expect(refused.errors?.map((error) => error.path)).toContain('birthDate');
    }
    expect(await exists('x-ok')).toBe(true);
    expect(await exists('x-future')).toBe(false);
  });
});
