import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XLSX_MEDIA_TYPE } from '../../spreadsheet/xlsx-table.js';
import { makeActiveExpert, makeExpert } from '../../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

// A file as a bureau keeps it: Chinese headers, Chinese labels, saved by Chinese Excel.
const OFFICE_CSV = [
  '编号,姓名,出生日期,手机,身份证号,职称,注册安全工程师,从业年限,单位编号,单位名称,单位类型,行政区划,层级,专家组别,行业,专业特长',
  'gb-1,王建国,1972-03-08,13900001111,,副高级,中级,18,org-ynty,云南中烟工业有限责任公司,企业,530102,省,"建材、轻工、纺织、烟草、商贸组",烟草、轻工,粉尘涉爆；电气',
  'gb-2,李秀英,1980-11-20,13900002222,,正高级,无,12,org-ynsy,云南省设计院,设计单位,530103,省,工贸行业综合组,商贸,消防',
].join('\r\n');

describe.each(backends)('spreadsheets as offices keep them, on %s', (kind) => {
  let t: TestContext;
  const upload = async (body: Uint8Array | string, contentType: string, query = '') => {
    const response = await t.app.request(`/v1/experts/import${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.keys['yn.admin']}`, 'content-type': contentType },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, never> };
  };
  const download = async (query: string, headers: Record<string, string> = {}) => {
    const response = await t.app.request(`/v1/experts/export${query}`, {
      headers: { authorization: `Bearer ${t.keys['yn.admin']}`, ...headers },
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      bytes: new Uint8Array(await response.arrayBuffer()),
    };
  };

  beforeAll(async () => {
    t = await createTestContext(kind);
    const seeded = await call(t, 'POST', '/v1/experts/import', {
      key: 'yn.admin',
      json: {
        experts: [
          makeActiveExpert({ id: 'x-1' }),
          makeActiveExpert({
            id: 'x-2',
            name: '赵卫东',
            phone: '13800002222',
            idNumber: '530102197506152619',
            employer: { id: 'org-ynty', name: '云南中烟工业有限责任公司', kind: 'enterprise' },
            group: 'building_light_textile_tobacco_commerce',
            industries: ['tobacco'],
            specialties: ['dust_explosion', 'fire'],
            outstanding: true,
          }),
          makeExpert({ id: 'x-3', name: '钱晓红', phone: '13800003333', idNumber: undefined }),
        ],
      },
    });
    expect(seeded.body).toMatchObject({ summary: { created: 3, rejected: 0 } });
  });
  afterAll(() => t.close());

  describe('CSV encodings', () => {
    it('reads a GB18030 CSV without a BOM (Chinese Excel) exactly as the same file in UTF-8', async () => {
      const gb = iconv.encode(OFFICE_CSV, 'gb18030');
      expect(new Uint8Array(gb).slice(0, 2)).not.toEqual(new Uint8Array([0xef, 0xbb]));
      const fromGb = await upload(new Uint8Array(gb), 'text/csv', '?dryRun=true');
      const fromUtf8 = await upload(OFFICE_CSV, 'text/csv; charset=utf-8', '?dryRun=true');
      expect(fromGb.status).toBe(200);
      expect(fromGb.body).toMatchObject({ summary: { created: 2, rejected: 0 } });
      expect(fromGb.body).toEqual(fromUtf8.body);

      // Committed from GB18030, the same rows in UTF-8 with a BOM are unchanged.
      expect((await upload(new Uint8Array(gb), 'text/csv; charset=utf-8')).status).toBe(200);
      const again = await upload(`\uFEFF${OFFICE_CSV}`, 'text/csv');
      expect(again.body).toMatchObject({ summary: { unchanged: 2, created: 0, rejected: 0 } });
      const stored = await call(t, 'GET', '/v1/experts/gb-1', { key: 'yn.admin' });
      expect(stored.body).toMatchObject({
        name: '王建国',
        title: 'senior_associate',
        employer: { name: '云南中烟工业有限责任公司', kind: 'enterprise' },
        industries: ['tobacco', 'light_industry'],
        specialties: ['dust_explosion', 'electrical'],
      });
    });

    it('honours charset=gbk and refuses bytes that are neither UTF-8 nor GB18030, saying in Chinese what to do', async () => {
      const gbk = iconv.encode(OFFICE_CSV, 'gbk');
      const declared = await upload(new Uint8Array(gbk), 'text/csv; charset=GBK', '?dryRun=true');
      expect(declared.body).toMatchObject({ summary: { unchanged: 2 } });

      const broken = new Uint8Array([
        ...iconv.encode('编号,姓名\r\n', 'gb18030'),
        0xff,
        0xfe,
        0x81,
      ]);
      const refused = await upload(broken, 'text/csv');
      expect(refused.status).toBe(422);
      expect(JSON.stringify(refused.body)).toContain('CSV UTF-8（逗号分隔）');
    });
  });

  describe('labels', () => {
    it('exports Chinese labels instead of codes, and they re-import unchanged', async () => {
      const exported = await download('?format=csv');
      const text = new TextDecoder().decode(exported.bytes);
      const lines = text.split('\r\n');
      const x2 = lines.find((line) => line.startsWith('x-2,')) ?? '';
      expect(x2).toContain(',副高级,中级注册安全工程师,');
      expect(x2).toContain(',企业,');
      expect(x2).toContain(',烟草,');
      expect(x2).toContain(',粉尘涉爆、消防,在库,');
      expect(x2).toContain(',建材、轻工、纺织、烟草、商贸组,');
      expect(text).not.toMatch(/senior_associate|enterprise|tobacco|active/);

      const report = await upload(exported.bytes, 'text/csv', '?dryRun=true');
      expect(report.body).toMatchObject({
        dryRun: true,
        summary: { created: 0, updated: 0, unchanged: 5, rejected: 0 },
      });
    });

    it('still exports and accepts codes when asked (values=codes)', async () => {
      const exported = await download('?format=csv&values=codes');
      const text = new TextDecoder().decode(exported.bytes);
      expect(text).toContain(',senior_associate,intermediate,');
      const report = await upload(exported.bytes, 'text/csv', '?dryRun=true');
      expect(report.body).toMatchObject({ summary: { unchanged: 5, rejected: 0 } });
    });
  });

  describe('.xlsx', () => {
    it('exports a workbook with Chinese headers and labels that re-imports unchanged', async () => {
      const exported = await download('?format=xlsx');
      expect(exported.status).toBe(200);
      expect(exported.contentType).toBe(XLSX_MEDIA_TYPE);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(exported.bytes.slice().buffer);
      const sheet = workbook.worksheets[0];
      expect(sheet?.getRow(1).getCell(1).value).toBe('编号');
      expect(sheet?.getRow(1).getCell(6).value).toBe('职称');
      expect(sheet?.rowCount).toBe(6);
      // Phone numbers stay text, so no digit is lost to a number format.
      expect(sheet?.getRow(2).getCell(4).value).toBe('13900001111');

      const report = await upload(exported.bytes, XLSX_MEDIA_TYPE, '?dryRun=true');
      expect(report.body).toMatchObject({
        summary: { created: 0, updated: 0, unchanged: 5, rejected: 0 },
      });
      // Browsers send .xlsx files under other types too: the ZIP signature decides.
      const generic = await upload(exported.bytes, 'application/octet-stream', '?dryRun=true');
      expect(generic.body).toMatchObject({ summary: { unchanged: 5 } });
    });

    it('imports a workbook written by hand, with typed dates, numbers and a trailing blank column', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('专家');
      sheet.addRow(['编号', '姓名', '出生日期', '手机', '职称', '注册安全工程师', '从业年限']);
      sheet.addRow([
        'xl-1',
        '孙立平',
        new Date('1970-05-04T00:00:00Z'),
        13911112222,
        '正高级',
        '高级',
        25,
      ]);
      sheet.addRow([]);
      sheet.addRow(['xl-2', '周', '1979-13-40', '13911113333', '教授', '无', 10]);
      sheet.getCell('H1').value = ' ';
      const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
      const report = await upload(bytes, XLSX_MEDIA_TYPE, '?dryRun=true');
      expect(report.status).toBe(200);
      const rows = report.body.rows as unknown as {
        line: number;
        outcome: string;
        errors?: { path: string }[];
      }[];
      expect(rows.map((row) => [row.line, row.outcome])).toEqual([
        [2, 'rejected'],
        [4, 'rejected'],
      ]);
      // The first row is only missing its required fields; the second also has a bad date and title.
      const paths = (index: number) => (rows[index]?.errors ?? []).map((error) => error.path);
      expect(paths(0)).not.toContain('birthDate');
      expect(paths(0)).not.toContain('title');
      expect(paths(0)).not.toContain('phone');
      expect(paths(1)).toEqual(expect.arrayContaining(['birthDate', 'title']));
    });

    it('refuses a file that is not a workbook with a 422 problem, importing nothing', async () => {
      const refused = await upload(
        new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]),
        XLSX_MEDIA_TYPE,
      );
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'validation_failed' });
      const other = await upload(new Uint8Array([1, 2, 3]), 'application/octet-stream');
      expect(other.status).toBe(422);
    });

    it('answers an Accept of .xlsx with a workbook', async () => {
      const exported = await download('', { accept: XLSX_MEDIA_TYPE });
      expect(exported.contentType).toBe(XLSX_MEDIA_TYPE);
    });
  });

  describe('limit', () => {
    it('honours ?limit= in the CSV, .xlsx and JSON exports, in id order', async () => {
      const csv = new TextDecoder().decode((await download('?format=csv&limit=2')).bytes);
      const lines = csv.split('\r\n').filter((line) => line !== '');
      expect(lines).toHaveLength(3);
      expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['gb-1', 'gb-2']);

      const json = await call(t, 'GET', '/v1/experts/export?limit=1', { key: 'yn.admin' });
      expect((json.body.experts as unknown[]).length).toBe(1);

      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await download('?format=xlsx&limit=4')).bytes.slice().buffer);
      expect(workbook.worksheets[0]?.rowCount).toBe(5);

      expect((await call(t, 'GET', '/v1/experts/export?limit=0', { key: 'yn.admin' })).status).toBe(
        422,
      );
    });
  });
});
