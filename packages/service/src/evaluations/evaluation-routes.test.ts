import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, ratings } from '../db/schema.js';
import { addExpert, addInvitation, addRating } from '../reports/report-history.test-helpers.js';
import type { JsonSchema } from '../testing/json-schema-arbitrary.test-helpers.js';
import {
  compileResponseValidator,
  type OpenApiDocument,
} from '../testing/openapi-document.test-helpers.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type TestBody,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

type Result = {
  expertId: string;
  score: number;
  grade: string;
  computedGrade: string;
  adjustment: { grade: string; reason: string } | null;
  basis: { title: string; status: string; source: string };
  evidence: { item: string; count: number; points: number; article: string }[];
};

const resultsOf = (body: TestBody) =>
  Object.fromEntries((body.results as Result[]).map((result) => [result.expertId, result]));
const countOf = (result: Result | undefined, item: string) =>
  result?.evidence.find((line) => line.item === item)?.count;

const TERM = { from: '2025-01-01', to: '2027-12-31', sealed: true };

/**
 * 2025, provincial pool (clock 2025-01-10 when the experts are entered):
 *  e-v1 正高级: three tasks served, rated 5 (with a comment) and 4 → 80 + 6 + 7.5 = 93.5 优秀;
 *       suspended in February 2026, after the year
 *  e-v2 副高级: one task served, one decline 无正当理由, one for illness (待认定), one for a
 *       conflict of interest (justified on the word), warned in November → 80 + 2 − 8 − 15 = 59
 *       不称职
 *  e-v3 副高级 in 2025, 正高级 from February 2026: three tasks served, rated 5 and 5 → 96 优秀
 *  e-v4 entered in 2026: not evaluated for 2025
 *  e-v5 a quiet year → 80 称职; term ends 2026-04-30, so on the renewal list of 2026-03-02
 */
async function seedYear(t: TestContext): Promise<void> {
  t.clock.set('2025-01-10T09:00:00+08:00');
  const profile = { profileUpdatedAt: '2025-01-05T09:00:00+08:00', appointment: TERM };
  await addExpert(t, { id: 'e-v1', name: '一号专家', title: 'senior_full', ...profile });
  await addExpert(t, { id: 'e-v2', name: '二号专家', title: 'senior_associate', ...profile });
  await addExpert(t, { id: 'e-v3', name: '三号专家', title: 'senior_associate', ...profile });
  await addExpert(t, {
    id: 'e-v5',
    name: '五号专家',
    profileUpdatedAt: '2025-01-05T09:00:00+08:00',
    appointment: { from: '2023-05-01', to: '2026-04-30', sealed: true },
  });
  const served = { state: 'accepted', attendance: 'attended' } as const;
  const seats: Record<string, number> = {};
  for (const [n, expertId] of [
    [1, 'e-v1'],
    [2, 'e-v1'],
    [3, 'e-v1'],
    [4, 'e-v2'],
    [5, 'e-v3'],
    [6, 'e-v3'],
    [7, 'e-v3'],
  ] as const) {
    const month = String(n + 1).padStart(2, '0');
    const day = `2025-${month}-10`;
    seats[`T${n}`] = await addInvitation(t, {
      taskId: `V${n}`,
      day,
      expertId,
      ...served,
      invitedAt: `2025-${month}-01T09:00:00+08:00`,
      repliedAt: `2025-${month}-01T10:00:00+08:00`,
    });
  }
  for (const [n, reason] of [
    [8, 'unjustified'],
    [9, 'illness'],
    [10, 'conflict_of_interest'],
  ] as const) {
    await addInvitation(t, {
      taskId: `V${n}`,
      day: `2025-${String(n + 1).padStart(2, '0')}-10`,
      expertId: 'e-v2',
      state: 'declined',
      declineReason: reason,
      invitedAt: `2025-${String(n + 1).padStart(2, '0')}-01T09:00:00+08:00`,
      repliedAt: `2025-${String(n + 1).padStart(2, '0')}-01T10:00:00+08:00`,
    });
  }
  const rate = (n: number, expertId: string, score: number) =>
    addRating(t, { seatId: seats[`T${n}`] as number, taskId: `V${n}`, expertId, score });
  await rate(1, 'e-v1', 5);
  await rate(2, 'e-v1', 4);
  await rate(5, 'e-v3', 5);
  await rate(6, 'e-v3', 5);
  await t.database.db
    .update(ratings)
    .set({ comment: '现场检查细致，报告质量高' })
    .where(eq(ratings.seatId, seats.T1 as number));
  // A warning in 2025 (第二十三条（一）) counts against e-v2's year.
  t.clock.set('2025-11-20T09:00:00+08:00');
  const warned = await call(t, 'POST', '/v1/experts/e-v2/actions/warn', {
    key: 'yn.admin',
    json: {
      reason: '一年内两次无正当理由拒绝',
      article: '第二十三条（一）',
      evidence: [{ kind: 'document', ref: '约谈记录〔2025〕1号' }],
    },
  });
  if (warned.status !== 200) throw new Error(`warn: ${warned.text}`);
  // After the year: e-v3 earns the 正高级 title, e-v1 is suspended, e-v4 joins the pool.
  t.clock.set('2026-02-01T09:00:00+08:00');
  const suspended = await call(t, 'POST', '/v1/experts/e-v1/actions/suspend', {
    key: 'yn.admin',
    json: { reason: '本人因病申请暂停' },
  });
  if (suspended.status !== 200) throw new Error(`suspend: ${suspended.text}`);
  const patched = await call(t, 'PATCH', '/v1/experts/e-v3', {
    key: 'yn.admin',
    json: { title: 'senior_full' },
  });
  if (patched.status !== 200) throw new Error(`patch: ${patched.text}`);
  await addExpert(t, {
    id: 'e-v4',
    name: '四号专家',
    profileUpdatedAt: '2026-01-20T09:00:00+08:00',
    appointment: { from: '2026-01-01', to: '2028-12-31', sealed: true },
  });
  t.clock.set('2026-03-02T09:00:00+08:00');
}

describe.each(backends)('yearly evaluation over HTTP on %s (第二十条)', (kind) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedYear(t);
  });
  afterAll(() => t.close());

  it('grades a year with known inputs, on the records as they stood at its end (第二十条)', async () => {
    const before = await countAuditEntries(t);
    const response = await call(t, 'POST', '/v1/evaluations/2025', { key: 'yn.admin' });
    expect(response.status).toBe(200);
    const results = resultsOf(response.body);
    expect(Object.keys(results)).toEqual(['e-v1', 'e-v2', 'e-v3', 'e-v5']);
    expect(results['e-v5']).toMatchObject({ score: 80, grade: 'competent' });
    expect(results['e-v1']).toMatchObject({ score: 93.5, grade: 'excellent' });
    expect(results['e-v2']).toMatchObject({ score: 59, grade: 'incompetent' });
    expect(results['e-v3']).toMatchObject({ score: 96, grade: 'excellent' });
    expect(countOf(results['e-v1'], 'tasks_served')).toBe(3);
    expect(countOf(results['e-v1'], 'quality_notes')).toBe(1);
    expect(countOf(results['e-v2'], 'refusals_unjustified')).toBe(1);
    expect(countOf(results['e-v2'], 'refusals_pending')).toBe(1);
    expect(countOf(results['e-v2'], 'refusals_justified')).toBe(1);
    expect(results['e-v2']?.evidence.find((line) => line.item === 'warnings')).toMatchObject({
      count: 1,
      points: -15,
      article: '第二十三条（一）',
    });
    expect(await countAuditEntries(t)).toBe(before + 1);
  });

  it('reads a past year’s title and state from the audit trail, not today’s record', async () => {
    const response = await call(t, 'GET', '/v1/evaluations/2025', { key: 'yn.auditor' });
    expect(response.status).toBe(200);
    const results = resultsOf(response.body);
    expect(results['e-v3']?.basis).toMatchObject({
      title: 'senior_associate',
      status: 'active',
      source: 'audit',
    });
    expect(results['e-v1']?.basis).toMatchObject({ status: 'active', source: 'audit' });
    // The running year reads today's record: e-v3 is 正高级, e-v1 suspended.
    const running = await call(t, 'POST', '/v1/evaluations/2026', { key: 'yn.admin' });
    expect(resultsOf(running.body)['e-v3']?.basis).toMatchObject({
      title: 'senior_full',
      source: 'current',
    });
    expect(resultsOf(running.body)['e-v1']?.basis).toMatchObject({ status: 'suspended' });
    const ids = (list: unknown) => (list as { expertId: string }[]).map((entry) => entry.expertId);
    // 第二十条（一）: both excellent results; 第二十条（三）: only the one 正高级 at the end of 2025.
    expect(ids(response.body.commendations)).toEqual(['e-v1', 'e-v3']);
    expect(ids(response.body.titleReviewReserve)).toEqual(['e-v1']);
  });

  it('keeps an admin’s adjustment, with its reason, through a recompute', async () => {
    const adjusted = await call(t, 'POST', '/v1/evaluations/2025/e-v2/adjust', {
      key: 'yn.admin',
      json: { grade: 'competent', reason: '两次拒绝均因抢险任务冲突，经核实' },
    });
    expect(adjusted.status).toBe(200);
    expect(adjusted.body).toMatchObject({
      grade: 'competent',
      computedGrade: 'incompetent',
    });
    const recomputed = await call(t, 'POST', '/v1/evaluations/2025', { key: 'yn.admin' });
    expect(resultsOf(recomputed.body)['e-v2']).toMatchObject({
      grade: 'competent',
      computedGrade: 'incompetent',
      adjustment: { grade: 'competent', reason: '两次拒绝均因抢险任务冲突，经核实' },
    });
    const [entry] = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'evaluation.adjusted'));
    expect(entry).toMatchObject({
      entityId: '2025:e-v2',
      reason: '两次拒绝均因抢险任务冲突，经核实',
      after: { grade: 'competent' },
    });
  });

  it('shows the last evaluation on the renewal list (第十一条, 第二十条)', async () => {
    const lists = await call(t, 'GET', '/v1/reports/lists', { key: 'yn.admin' });
    expect(lists.status).toBe(200);
    const terms = (lists.body.lists as { terms: TestBody[] }).terms;
    const entry = terms.find((item) => item.expertId === 'e-v5');
    expect(entry).toMatchObject({
      standing: 'renewal_due',
      lastEvaluation: {
        year: 2025,
        grade: 'competent',
        gradeLabel: { zh: '称职' },
        adjusted: false,
      },
    });
    expect(entry?.message).toMatchObject({ zh: expect.stringContaining('2025年度评价：称职') });
  });

  it('answers JSON that matches its own OpenAPI schemas', async () => {
    const doc = (await call(t, 'GET', '/openapi.json')).body as unknown as OpenApiDocument;
    const validate = compileResponseValidator(doc);
    type Spec = { responses: Record<string, { content: Record<string, { schema: JsonSchema }> }> };
    const schemaOf = (path: string, method: string): JsonSchema => {
      const spec = doc.paths[path]?.[method] as Spec | undefined;
      const schema = spec?.responses['200']?.content['application/json']?.schema;
      if (schema === undefined) throw new Error(`${method} ${path} documents no JSON 200`);
      return schema;
    };
    const view = await call(t, 'GET', '/v1/evaluations/2025', { key: 'yn.viewer' });
    expect(validate(schemaOf('/v1/evaluations/{year}', 'get'), view.body)).toBeNull();
    const adjusted = await call(t, 'POST', '/v1/evaluations/2025/e-v5/adjust', {
      key: 'yn.admin',
      json: { grade: 'competent', reason: '维持原等次' },
    });
    expect(
      validate(schemaOf('/v1/evaluations/{year}/{expertId}/adjust', 'post'), adjusted.body),
    ).toBeNull();
  });

  it('exports CSV with Chinese headers by Accept or ?format, and each list', async () => {
    const csv = await call(t, 'GET', '/v1/evaluations/2025', {
      key: 'yn.viewer',
      headers: { accept: 'text/csv' },
    });
    expect(csv.status).toBe(200);
    expect(csv.contentType).toContain('text/csv');
    const [header, ...rows] = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(
      header?.startsWith('专家编号,姓名,专家组别,年末职称,年末状态,得分,计算等次,评价等次'),
    ).toBe(true);
    expect(rows.find((row) => row.startsWith('e-v3,'))).toContain('副高级');
    const reserve = await call(t, 'GET', '/v1/evaluations/2025?format=csv&section=reserve', {
      key: 'yn.viewer',
    });
    expect(reserve.text).toContain('第二十条（三）,e-v1,一号专家,正高级,优秀');
  });

  it('prints a page with the grades and both lists', async () => {
    const page = await call(t, 'GET', '/v1/evaluations/2025?format=html', { key: 'yn.auditor' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.text).toContain('云南省应急管理厅专家年度评价（2025年度）');
    expect(page.text).toContain('通报表扬名单（第二十条（一））');
    expect(page.text).toContain('职称评审专家库备选人员名单（第二十条（三））');
    expect(page.text).not.toContain('13812345678');
  });

  it.each([
    ['a viewer computing', 'POST', '/v1/evaluations/2025', 'yn.viewer', undefined, 403],
    ['another authority reading', 'GET', '/v1/evaluations/2025', 'km.admin', undefined, 404],
    ['a year not yet begun', 'POST', '/v1/evaluations/2027', 'yn.admin', undefined, 422],
    ['a year out of range', 'GET', '/v1/evaluations/1999', 'yn.admin', undefined, 422],
    [
      'an expert never evaluated',
      'POST',
      '/v1/evaluations/2025/e-v4/adjust',
      'yn.admin',
      { grade: 'excellent', reason: '理由' },
      404,
    ],
    [
      'an unknown grade',
      'POST',
      '/v1/evaluations/2025/e-v1/adjust',
      'yn.admin',
      { grade: 'outstanding', reason: '理由' },
      422,
    ],
    [
      'an adjustment without a reason',
      'POST',
      '/v1/evaluations/2025/e-v1/adjust',
      'yn.admin',
      { grade: 'competent', reason: ' ' },
      422,
    ],
  ] as const)('refuses %s', async (_name, method, path, key, json, status) => {
    const before = await countAuditEntries(t);
    const response = await call(t, method, path, { key, ...(json === undefined ? {} : { json }) });
    expect(response.status).toBe(status);
    expect(await countAuditEntries(t)).toBe(before);
  });
});
