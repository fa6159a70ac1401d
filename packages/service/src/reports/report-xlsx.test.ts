import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XLSX_MEDIA_TYPE } from '../spreadsheet/xlsx-table.js';
import {
  availableBackends,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { addExpert, addInvitation, addRating } from './report-history.test-helpers.js';

const backends = await availableBackends();

function headerOf(sheet: ExcelJS.Worksheet | undefined): unknown[] {
  return ((sheet?.getRow(1).values ?? []) as unknown[]).slice(1);
}

async function workbookOf(response: Response): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(await response.arrayBuffer()).buffer);
  return workbook;
}

describe.each(backends)('reports as Excel workbooks on %s', (kind) => {
  let t: TestContext;
  const get = (path: string, headers: Record<string, string> = {}) =>
    t.app.request(path, {
      headers: { authorization: `Bearer ${t.keys['yn.auditor']}`, ...headers },
    });

  beforeAll(async () => {
    t = await createTestContext(kind);
    await addExpert(t, { id: 'e-x', name: '=HYPERLINK("http://evil.example","甲")' });
    const seat = await addInvitation(t, {
      taskId: 'T-x',
      day: '2026-05-06',
      expertId: 'e-x',
      state: 'accepted',
      invitedAt: '2026-05-01T09:00:00+08:00',
      repliedAt: '2026-05-01T10:00:00+08:00',
      attendance: 'attended',
    });
    await addRating(t, { seatId: seat, taskId: 'T-x', expertId: 'e-x', score: 4 });
    t.clock.set('2027-01-15T09:00:00+08:00');
  });
  afterAll(() => t.close());

  it('writes the annual report as three sheets with Chinese headers, numbers as numbers and names as text', async () => {
    const response = await get('/v1/reports/annual?year=2026&format=xlsx');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(XLSX_MEDIA_TYPE);
    expect(response.headers.get('content-disposition')).toContain('annual-report-2026.xlsx');
    const workbook = await workbookOf(response);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      '专家年度考评',
      '需处理名单',
      '任务分布',
    ]);
    const experts = workbook.worksheets[0];
    const header = headerOf(experts);
    expect(header.slice(0, 6)).toEqual([
      '专家编号',
      '姓名',
      '专家组别',
      '状态',
      '本库专家',
      '邀请次数',
    ]);
    const row = experts?.getRow(2);
    expect(row?.getCell(1).value).toBe('e-x');
    // A name that looks like a formula is a string cell, never a formula.
    expect(row?.getCell(2).value).toBe('=HYPERLINK("http://evil.example","甲")');
    expect(row?.getCell(4).value).toBe('在库');
    expect(row?.getCell(6).value).toBe(1);
    expect(row?.getCell(header.indexOf('平均评分') + 1).value).toBe(4);
  });

  it('answers an Accept of .xlsx on the lists with a workbook of one sheet', async () => {
    const response = await get('/v1/reports/lists?on=2026-12-31', { accept: XLSX_MEDIA_TYPE });
    expect(response.headers.get('content-type')).toBe(XLSX_MEDIA_TYPE);
    const workbook = await workbookOf(response);
    expect(workbook.worksheets).toHaveLength(1);
    expect(headerOf(workbook.worksheets[0]).slice(0, 3)).toEqual(['清单', '条款', '专家编号']);
  });
});
