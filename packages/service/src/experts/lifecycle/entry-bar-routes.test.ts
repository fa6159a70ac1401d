import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeActiveExpert, makeExpert } from '../../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type TestContext,
} from '../../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

/** 李建国 was disqualified on 2021-03-02: the bar of 第十六条（三） ends on 2026-03-02. */
const person = { name: '李建国', birthDate: '1970-05-20', idNumber: '530102197005201234' };
const DAY_BEFORE = '2026-03-01T18:00:00+08:00';
const BAR_ENDS = '2026-03-02T09:00:00+08:00';
/** A sealed term starting on `from`, so that only the date of entry decides. */
const termFrom = (from: string) => ({ from, to: '2029-02-28', sealed: true });

const CSV_HEADER =
  '编号,姓名,出生日期,手机,身份证号,职称,注册安全工程师,从业年限,单位编号,单位名称,单位类型,行政区划,层级,专家组别,行业,专业特长,状态,聘期开始,聘期结束,聘书已盖章';

describe.each(backends)('the five-year bar on every way into the pool on %s', (kind) => {
  let t: TestContext;
  const post = (json: unknown) => call(t, 'POST', '/v1/experts', { key: 'yn.admin', json });
  const importJson = (experts: unknown[], query = '') =>
    call(t, 'POST', `/v1/experts/import${query}`, { key: 'yn.admin', json: { experts } });
  const exists = async (id: string) =>
    (await call(t, 'GET', `/v1/experts/${id}`, { key: 'yn.admin' })).status === 200;

  beforeAll(async () => {
    t = await createTestContext(kind);
    t.clock.set('2021-03-02T09:00:00+08:00');
    await post(makeActiveExpert({ id: 'old', ...person }));
    const disqualified = await call(t, 'POST', '/v1/experts/old/actions/disqualify', {
      key: 'yn.admin',
      json: {
        reason: '借用省级专家名义谋取不正当利益',
        evidence: [{ kind: 'document', ref: '核查通报〔2021〕5号' }],
      },
    });
    expect(disqualified.status).toBe(200);
  });
  afterAll(() => t.close());

  it('refuses an active record of the person the day before the 5-year bar ends (第十六条（三）)', async () => {
    t.clock.set(DAY_BEFORE);
    const before = await countAuditEntries(t);
    const refused = await post(
      makeActiveExpert({ id: 'p-early', ...person, appointment: termFrom('2026-03-01') }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'admission_refused' });
    expect(refused.body.reasons).toMatchObject([
      { ruleId: 'disqualification-bar', article: '第十六条（三）', ok: false },
    ]);
    expect(refused.body.errors?.[0]?.path).toBe('status');
    expect(refused.body.detail).toContain('2026-03-02');
    expect(await countAuditEntries(t)).toBe(before);
    expect(await exists('p-early')).toBe(false);
  });

  it('admits it on the day the bar ends, carrying the disqualification date (第十六条（三）)', async () => {
    t.clock.set(BAR_ENDS);
    const admitted = await post(
      makeActiveExpert({ id: 'p-ontime', ...person, appointment: termFrom('2026-03-02') }),
    );
    expect(admitted.status).toBe(201);
    expect(admitted.body).toMatchObject({ status: 'active', disqualifiedOn: '2021-03-02' });
  });

  it('refuses an active record whose appointment began inside the bar (第十六条（三）: 五年内不再聘用)', async () => {
    t.clock.set('2026-06-01T09:00:00+08:00');
    const refused = await post(
      makeActiveExpert({ id: 'p-backdated', ...person, appointment: termFrom('2026-03-01') }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.reasons).toMatchObject([{ article: '第十六条（三）' }]);
  });

  it.each([
    ['recommended', 422],
    ['under_review', 422],
    ['public_notice', 422],
    ['active', 422],
    ['suspended', 422],
    ['applied', 201],
    ['expired', 201],
  ])(
    'answers a %s record of the person inside the bar with %i (第九条（六）)',
    async (status, code) => {
      t.clock.set(DAY_BEFORE);
      const created = await post(makeActiveExpert({ id: `p-${status}`, ...person, status }));
      expect(created.status).toBe(code);
    },
  );

  it('finds the person without an ID number by name and birth date', async () => {
    t.clock.set(DAY_BEFORE);
    const refused = await post(makeActiveExpert({ id: 'p-noid', ...person, idNumber: undefined }));
    expect(refused.status).toBe(422);
  });

  it('does not confuse a namesake with another ID number', async () => {
    t.clock.set(DAY_BEFORE);
    const other = { ...person, idNumber: '530102197005209999' };
    expect((await post(makeActiveExpert({ id: 'p-namesake', ...other }))).status).toBe(201);
  });

  it('refuses to make an active record the barred person by a profile change (第十六条（三）)', async () => {
    t.clock.set(DAY_BEFORE);
    await post(makeActiveExpert({ id: 'p-other', name: '王五', idNumber: '530102198001011111' }));
    const refused = await call(t, 'PATCH', '/v1/experts/p-other', {
      key: 'yn.admin',
      json: person,
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'admission_refused' });
    const kept = await call(t, 'GET', '/v1/experts/p-other', { key: 'yn.admin' });
    expect(kept.body.name).toBe('王五');
  });

  it('rejects a JSON import row inside the bar with the article and commits the others (第十六条（三）)', async () => {
    t.clock.set(DAY_BEFORE);
    const rows = [
      makeActiveExpert({ id: 'i-barred', ...person, appointment: termFrom('2026-03-01') }),
      makeExpert({ id: 'i-applied', ...person }),
      makeActiveExpert({ id: 'i-other', name: '赵六', idNumber: '530102198001012222' }),
    ];
    for (const dryRun of [true, false]) {
      const before = await countAuditEntries(t);
      const report = await importJson(rows, dryRun ? '?dryRun=true' : '');
      expect(report.status).toBe(200);
      expect(report.body.summary).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 1 });
      const [barred] = report.body.rows ?? [];
      expect(barred).toMatchObject({ row: 1, id: 'i-barred', outcome: 'rejected' });
      expect(barred?.errors).toEqual([
        { path: 'status', message: expect.stringContaining('第十六条（三）') },
      ]);
      expect(await exists('i-barred')).toBe(false);
      expect(await exists('i-applied')).toBe(!dryRun);
      expect(await countAuditEntries(t)).toBe(dryRun ? before : before + 2);
    }
  });

  it('admits a JSON import row on the day the bar ends, carrying the disqualification date', async () => {
    t.clock.set(BAR_ENDS);
    const rows = [
      makeActiveExpert({ id: 'i-ontime', ...person, appointment: termFrom('2026-03-02') }),
    ];
    const report = await importJson(rows);
    expect(report.body.summary).toMatchObject({ created: 1, rejected: 0 });
    const stored = await call(t, 'GET', '/v1/experts/i-ontime', { key: 'yn.admin' });
    expect(stored.body.disqualifiedOn).toBe('2021-03-02');
  });

  it('rejects a CSV import row inside the bar, also on a dry run (第十六条（三）)', async () => {
    t.clock.set(DAY_BEFORE);
    const csv = [
      CSV_HEADER,
      `c-barred,${person.name},${person.birthDate},13911112222,${person.idNumber},正高级,,25,org-ynlv,云南铝业股份有限公司,企业,530181,省,冶金、有色、机械组,冶金,,在库,2026-03-01,2029-02-28,是`,
    ].join('\r\n');
    for (const query of ['?dryRun=true', '']) {
      const report = await call(t, 'POST', `/v1/experts/import${query}`, {
        key: 'yn.admin',
        body: csv,
        headers: { 'content-type': 'text/csv; charset=utf-8' },
      });
      expect(report.body.summary).toMatchObject({ created: 0, rejected: 1 });
      expect(report.body.rows?.[0]?.errors?.[0]?.message).toContain('第十六条（三）');
    }
    expect(await exists('c-barred')).toBe(false);
  });

  it('rejects an import row that makes a stored active record the barred person', async () => {
    t.clock.set(DAY_BEFORE);
    const report = await importJson([{ id: 'p-namesake', idNumber: person.idNumber }]);
    expect(report.body.summary).toMatchObject({ updated: 0, rejected: 1 });
    expect(report.body.rows?.[0]?.errors?.[0]?.path).toBe('status');
  });

  it('rejects an active row of a person the same import records as disqualified', async () => {
    t.clock.set(DAY_BEFORE);
    const someone = { name: '钱七', birthDate: '1972-02-02', idNumber: '530102197202023333' };
    const report = await importJson([
      makeActiveExpert({
        id: 'i-history',
        ...someone,
        status: 'dismissed',
        disqualifiedOn: '2025-01-01',
      }),
      makeActiveExpert({ id: 'i-again', ...someone }),
    ]);
    expect(report.body.rows?.map((row) => row.outcome)).toEqual(['created', 'rejected']);
  });
});
