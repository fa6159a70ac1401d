import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeActiveExpert, makeExpert } from '../../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

const CSV_HEADER =
  '编号,姓名,出生日期,手机,身份证号,职称,注册安全工程师,从业年限,单位编号,单位名称,单位类型,行政区划,层级,专家组别,行业,专业特长,状态,聘期开始,聘期结束,聘书已盖章';

describe.each(backends)('bulk import and export on %s', (kind) => {
  let t: TestContext;
  const importJson = (json: unknown, query = '', key: 'yn.admin' | 'km.admin' = 'yn.admin') =>
    call(t, 'POST', `/v1/experts/import${query}`, { key, json });
  const importCsv = (body: string, query = '') =>
    call(t, 'POST', `/v1/experts/import${query}`, {
      key: 'yn.admin',
      body,
      headers: { 'content-type': 'text/csv; charset=utf-8' },
    });
  const exists = async (id: string) =>
    (await call(t, 'GET', `/v1/experts/${id}`, { key: 'yn.admin' })).status === 200;

  beforeAll(async () => {
    t = await createTestContext(kind, { IMPORT_LIMIT_BYTES: '200000' });
  });
  afterAll(() => t.close());

  describe('JSON', () => {
    it('commits nothing on a dry run but reports what would happen', async () => {
      const report = await importJson(
        { experts: [makeExpert({ id: 'j-1' }), makeExpert({ id: 'j-2' })] },
        '?dryRun=true',
      );
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({
        dryRun: true,
        summary: { created: 2, updated: 0, unchanged: 0, rejected: 0 },
      });
      expect(await exists('j-1')).toBe(false);
    });

    it('reports each row and commits the valid ones together', async () => {
      const report = await importJson({
        experts: [
          makeExpert({ id: 'j-1' }),
          makeExpert({ id: 'j-2', birthDate: '1975-13-01', industries: ['metallurgy', 'steel'] }),
          makeExpert({ id: 'j-1', name: '重复' }),
          'not an object',
          makeActiveExpert({ id: 'j-3', name: 'Li\u0000' }),
          makeActiveExpert({ id: 'j-4' }),
        ],
      });
      expect(report.status).toBe(200);
      expect(report.body.summary).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 4 });
      expect(report.body.rows).toEqual([
        { row: 1, id: 'j-1', outcome: 'created' },
        {
          row: 2,
          id: 'j-2',
          outcome: 'rejected',
          errors: expect.arrayContaining([
            expect.objectContaining({ path: 'birthDate' }),
            expect.objectContaining({ path: 'industries.1' }),
          ]),
        },
        {
          row: 3,
          id: 'j-1',
          outcome: 'rejected',
          errors: [{ path: 'id', message: 'repeats the id of row 1' }],
        },
        {
          row: 4,
          id: null,
          outcome: 'rejected',
          errors: [{ path: '', message: 'expected an object' }],
        },
        {
          row: 5,
          id: 'j-3',
          outcome: 'rejected',
          errors: [expect.objectContaining({ path: 'name' })],
        },
        { row: 6, id: 'j-4', outcome: 'created' },
      ]);
      expect(await exists('j-1')).toBe(true);
      expect(await exists('j-4')).toBe(true);
      expect(await exists('j-2')).toBe(false);
      const audit = await call(t, 'GET', '/v1/audit?action=expert.imported', { key: 'yn.auditor' });
      expect(audit.body.items?.map((e) => e.entityId)).toEqual(['j-1', 'j-4']);
    });

    it('reports a re-import as unchanged, a change as updated (stamping profileUpdatedAt), and refuses status changes', async () => {
      t.clock.set('2026-05-01T08:00:00+08:00');
      const report = await importJson([
        makeExpert({ id: 'j-1' }),
        makeActiveExpert({ id: 'j-4', practiceYears: 30 }),
        makeExpert({ id: 'j-1b' }),
        { id: 'j-1', status: 'active' },
      ]);
      expect(report.body.rows).toEqual([
        { row: 1, id: 'j-1', outcome: 'unchanged' },
        { row: 2, id: 'j-4', outcome: 'updated' },
        { row: 3, id: 'j-1b', outcome: 'created' },
        {
          row: 4,
          id: 'j-1',
          outcome: 'rejected',
          errors: [expect.objectContaining({ path: 'id' })],
        },
      ]);
      const single = await importJson([{ id: 'j-4', status: 'dismissed' }]);
      expect(single.body.rows?.[0]).toMatchObject({
        outcome: 'rejected',
        errors: [{ path: 'status' }],
      });
      const j4 = await call(t, 'GET', '/v1/experts/j-4', { key: 'yn.admin' });
      expect(j4.body).toMatchObject({
        practiceYears: 30,
        status: 'active',
        profileUpdatedAt: '2026-05-01T00:00:00.000Z',
      });
    });

    it('rejects rows for another authority’s expert without touching it', async () => {
      const report = await importJson([makeExpert({ id: 'j-1', tier: 'city' })], '', 'km.admin');
      expect(report.body.rows?.[0]).toMatchObject({
        outcome: 'rejected',
        errors: [{ path: 'id', message: "belongs to another authority's pool" }],
      });
    });

    it.each([
      ['an object without experts', { people: [] }],
      ['a number', 42],
    ])('refuses %s as a whole with a 422 problem', async (_name, json) => {
      const response = await importJson(json);
      expect(response.status).toBe(422);
      expect(response.contentType).toBe('application/problem+json');
    });

    it('refuses malformed JSON with a 400 problem', async () => {
      const response = await call(t, 'POST', '/v1/experts/import', {
        key: 'yn.admin',
        body: '[{"id":',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(400);
    });
  });

  describe('CSV', () => {
    it('reads Chinese headers and labels and rejects broken rows, committing the rest', async () => {
      const csv = [
        CSV_HEADER,
        'c-1,段志明,1970-01-02,13911112222,,正高级,,25,org-ynlv,云南铝业股份有限公司,企业,530181,省,冶金、有色、机械组,有色；冶金,高温熔融金属；铝加工深井铸造,在库,2025-01-01,2027-12-31,是',
        'c-2,"杨, 丽",1980-02-29,13911113333,,副高级,中级,12,org-hyhh,"红云红河烟草（集团）有限责任公司",enterprise,530102,province,building_light_textile_tobacco_commerce,tobacco,dust_explosion,applied,,,',
        'c-3,缺列,1970-01-02,13911112222',
        'c-4,错日期,1970-02-30,13911112222,,正高级,,25,org-x,某单位,企业,530181,省,冶金、有色、机械组,钢铁,,在库,,,',
        'c-5,"未闭合,1970-01-02,13911112222,,正高级,,25,org-x,某单位,企业,530181,省,冶金、有色、机械组,冶金,,在库,,,',
      ].join('\r\n');
      const report = await importCsv(csv);
      expect(report.status).toBe(200);
      expect(report.body.summary).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 3 });
      const rows = report.body.rows as {
        row: number;
        line: number;
        outcome: string;
        errors?: { path: string; message: string }[];
      }[];
      expect(rows.map((r) => [r.row, r.line, r.outcome])).toEqual([
        [1, 2, 'created'],
        [2, 3, 'created'],
        [3, 4, 'rejected'],
        [4, 5, 'rejected'],
        [5, 6, 'rejected'],
      ]);
      expect(rows[2]?.errors?.[0]?.message).toMatch(/expected 20 cells, found 4/);
      expect(rows[3]?.errors?.map((e) => e.path).sort()).toEqual(['birthDate', 'industries.0']);
      expect(rows[4]?.errors?.[0]?.message).toMatch(/never closes/);
      const c1 = await call(t, 'GET', '/v1/experts/c-1', { key: 'yn.admin' });
      expect(c1.body).toMatchObject({
        title: 'senior_full',
        employer: { kind: 'enterprise' },
        tier: 'province',
        group: 'metallurgy_nonferrous_machinery',
        industries: ['nonferrous', 'metallurgy'],
        specialties: ['molten_metal', 'deep_well_casting'],
        status: 'active',
        appointment: { from: '2025-01-01', to: '2027-12-31', sealed: true },
      });
      expect((await call(t, 'GET', '/v1/experts/c-2', { key: 'yn.admin' })).body.name).toBe(
        '杨, 丽',
      );
    });

    it('refuses a file with an unknown or repeated header, committing nothing', async () => {
      const response = await importCsv(`${CSV_HEADER},爱好,姓名\nc-9,x`);
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([
        { path: 'header.20', message: 'unknown column “爱好”' },
        expect.objectContaining({ path: 'header.21' }),
      ]);
      expect(await exists('c-9')).toBe(false);
    });

    it('keeps unicode names exact and rejects a row with a NUL', async () => {
      const csv = [
        '编号,姓名,出生日期,手机,职称,从业年限,单位编号,单位名称,单位类型,行政区划,层级,专家组别,行业',
        'u-1,𠀀𠀁 é̂ مرحبا 👩‍🔬,1970-01-02,13911112222,正高级,25,org-x,某单位,企业,530181,省,综合组,冶金',
        'u-2,Li\u0000,1970-01-02,13911112222,正高级,25,org-x,某单位,企业,530181,省,综合组,冶金',
      ].join('\n');
      const report = await importCsv(csv);
      expect(report.body.rows?.map((r) => r.outcome)).toEqual(['created', 'rejected']);
      expect((await call(t, 'GET', '/v1/experts/u-1', { key: 'yn.admin' })).body.name).toBe(
        '𠀀𠀁 é̂ مرحبا 👩‍🔬',
      );
    });

    it('refuses an empty file', async () => {
      expect((await importCsv('')).status).toBe(422);
    });
  });

  describe('limits and media types', () => {
    it('refuses other media types with a 415 problem', async () => {
      const response = await call(t, 'POST', '/v1/experts/import', {
        key: 'yn.admin',
        body: '<experts/>',
        headers: { 'content-type': 'application/xml' },
      });
      expect(response.status).toBe(415);
    });

    it('refuses a body over the import limit with a 413 problem', async () => {
      const response = await importCsv(`${CSV_HEADER}\n${'x,'.repeat(120_000)}`);
      expect(response.status).toBe(413);
    });
  });

  describe('export', () => {
    it('exports JSON that re-imports unchanged', async () => {
      const exported = await call(t, 'GET', '/v1/experts/export?format=json', { key: 'yn.admin' });
      expect(exported.status).toBe(200);
      const experts = exported.body.experts as unknown[];
      expect(experts.length).toBeGreaterThanOrEqual(5);
      const report = await importJson(exported.body);
      expect(report.body.summary).toEqual({
        created: 0,
        updated: 0,
        unchanged: experts.length,
        rejected: 0,
      });
    });

    it('exports CSV with Chinese headers that re-imports unchanged', async () => {
      const exported = await call(t, 'GET', '/v1/experts/export?format=csv', { key: 'yn.admin' });
      expect(exported.contentType).toBe('text/csv; charset=utf-8');
      // The BOM (for spreadsheets) is dropped by the UTF-8 decoder of Response.text().
      expect(exported.text.startsWith('编号,姓名,出生日期,手机')).toBe(true);
      const report = await importCsv(exported.text);
      expect(report.body.summary?.rejected).toBe(0);
      expect(report.body.summary?.unchanged).toBe(report.body.rows?.length);
    });

    it('masks personal data in exports for a viewer', async () => {
      const json = await call(t, 'GET', '/v1/experts/export', { key: 'km.viewer' });
      expect(json.text).not.toMatch(/13812345678|1975-06-15|53010219750615123X/);
      expect((json.body.experts as { phone: string }[])[0]?.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      const csv = await call(t, 'GET', '/v1/experts/export?format=csv', { key: 'km.viewer' });
      expect(csv.text).not.toMatch(/13812345678|1975-06-15/);
    });

    it('exports only the pools the caller can see, with filters', async () => {
      await call(t, 'POST', '/v1/experts', {
        key: 'km.admin',
        json: makeActiveExpert({ id: 'km-x', tier: 'city' }),
      });
      const mine = await call(t, 'GET', '/v1/experts/export?status=active', { key: 'km.viewer' });
      const ids = (mine.body.experts as { id: string; status: string }[]).map((e) => e.id);
      expect(ids).toContain('km-x');
      const theirs = await call(t, 'GET', '/v1/experts/export', { key: 'dl.viewer' });
      expect((theirs.body.experts as { id: string }[]).map((e) => e.id)).not.toContain('km-x');
    });
  });
});
