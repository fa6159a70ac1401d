import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpert, addInvitation, addRating } from '../reports/report-history.test-helpers.js';
import { XLSX_MEDIA_TYPE } from '../spreadsheet/xlsx-table.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

describe.each(backends)('the yearly evaluation as an Excel workbook on %s', (kind) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(kind);
    t.clock.set('2025-01-10T09:00:00+08:00');
    await addExpert(t, { id: 'e-x', name: '杨xlsx', title: 'senior_full' });
    const seat = await addInvitation(t, {
      taskId: 'T-x',
      day: '2025-05-06',
      expertId: 'e-x',
      state: 'accepted',
      invitedAt: '2025-05-01T09:00:00+08:00',
      repliedAt: '2025-05-01T10:00:00+08:00',
      attendance: 'attended',
    });
    await addRating(t, { seatId: seat, taskId: 'T-x', expertId: 'e-x', score: 5 });
    t.clock.set('2026-01-15T09:00:00+08:00');
    const computed = await call(t, 'POST', '/v1/evaluations/2025', { key: 'yn.admin' });
    expect(computed.status).toBe(200);
  });
  afterAll(() => t.close());

  it('writes results, commendations and the reserve list as sheets with Chinese headers (第二十条)', async () => {
    const response = await t.app.request('/v1/evaluations/2025?format=xlsx', {
      headers: { authorization: `Bearer ${t.keys['yn.viewer']}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(XLSX_MEDIA_TYPE);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(await response.arrayBuffer()).buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      '年度考评结果',
      '表彰名单',
      '职称评审储备名单',
    ]);
    const results = workbook.worksheets[0];
    expect(results?.getRow(1).getCell(1).value).toBe('专家编号');
    expect(results?.getRow(2).getCell(1).value).toBe('e-x');
    expect(results?.getRow(2).getCell(4).value).toBe('正高级');
    expect(workbook.worksheets[2]?.getRow(1).getCell(1).value).toBe('条款');
  });

  it('answers an Accept of .xlsx with the workbook', async () => {
    const response = await t.app.request('/v1/evaluations/2025', {
      headers: { authorization: `Bearer ${t.keys['yn.auditor']}`, accept: XLSX_MEDIA_TYPE },
    });
    expect(response.headers.get('content-type')).toBe(XLSX_MEDIA_TYPE);
  });
});
