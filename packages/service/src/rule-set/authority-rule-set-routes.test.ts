import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawFileSchema, verifyDrawFile } from '../draws/draw-file.js';
import { makeTaskRequest } from '../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../tasks/task-view.js';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  countAuditEntries,
  createTestContext,
  type KeyName,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

const WUHUA = {
  id: 'wuhua-gmy',
  version: '1.0.0',
  name: { zh: '五华区工贸专家规则', en: 'Wuhua district rules' },
  addDispatchRules: ['outside-enterprise-county'],
  parameters: { replyDeadlineMinutes: { routine: 720 } },
};

type Exclusion = { reasons: string[]; expertIds: string[] };
type Reasons = Record<string, { ruleId: string; article: string | null }>;

describe.each(backends)('local rule sets (第二十六条) on %s', (kind) => {
  let t: TestContext;
  const put = (json: unknown, key: KeyName = 'wh.admin', id = 'wh-yjj') =>
    call(t, 'PUT', `/v1/authorities/${id}/rule-set`, { key, json });

  /** Requests a task for an enterprise in 五华区 (530102) as `as` and returns its draw. */
  async function drawFor(as: 'yn' | 'wh', id: string, date: string) {
    const created = await call(t, 'POST', '/v1/tasks', {
      key: `${as}.dispatcher`,
      headers: { 'idempotency-key': `key-${id}` },
      json: makeTaskRequest({
        id,
        enterprise: { id: 'org-wh', name: '五华某冶金企业', region: '530102' },
        window: { from: `${date}T08:30:00+08:00`, to: `${date}T18:00:00+08:00` },
        panelSize: 2,
        alternates: 0,
        policy: 'best',
      }),
    });
    expect(created.status).toBe(201);
    const task = created.body as unknown as TaskView;
    const draw = await call(t, 'GET', `/v1/draws/${task.draw?.id}`, { key: `${as}.auditor` });
    const result = draw.body.result as { excluded: Exclusion[]; exclusionReasons: Reasons };
    const reasonsOf = (expertId: string) =>
      (result.excluded.find((g) => g.expertIds.includes(expertId))?.reasons ?? []).map((key) => {
        const reason = result.exclusionReasons[key];
        return `${reason?.ruleId}@${reason?.article}`;
      });
    return { task, drawId: task.draw?.id ?? '', reasonsOf };
  }

  beforeAll(async () => {
    t = await createTestContext(kind);
    // One expert based in 五华区 itself, four elsewhere in Kunming, all in the provincial pool.
    const regions = ['530102', '530111', '530111', '530112', '530112'];
    for (const [i, region] of regions.entries()) {
      const created = await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeActiveExpert({
          id: `rs-${i}`,
          name: `专家${i}`,
          idNumber: undefined,
          region,
          employer: { id: `org-rs-${i}`, name: `单位${i}`, kind: 'university' },
          industries: ['metallurgy'],
          specialties: ['molten_metal'],
        }),
      });
      expect(created.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('runs a county on the provincial rule set until it derives its own', async () => {
    const view = await call(t, 'GET', '/v1/authorities/wh-yjj/rule-set', { key: 'wh.viewer' });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      authorityId: 'wh-yjj',
      overrides: null,
      ruleSet: { id: 'yunnan-gmy-2025', version: '2.0.0' },
    });
  });

  it('derives the county set, audited, and answers with the set now in force', async () => {
    const before = await countAuditEntries(t);
    const set = await put({ reason: '本区专家回避本区企业', overrides: WUHUA });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      overrides: WUHUA,
      ruleSet: {
        id: 'wuhua-gmy',
        version: '1.0.0',
        basedOn: { id: 'yunnan-gmy-2025', version: '2.0.0' },
        replyDeadlineMinutes: { urgent: 30, routine: 720 },
      },
    });
    expect((set.body.ruleSet as { dispatchRules: string[] }).dispatchRules).toContain(
      'outside-enterprise-county',
    );
    expect(await countAuditEntries(t)).toBe(before + 1);
    const audit = await call(t, 'GET', '/v1/audit?entityType=authority&entityId=wh-yjj', {
      key: 'wh.auditor',
    });
    expect(audit.body.items?.at(-1)).toMatchObject({
      action: 'authority.rule_set_changed',
      reason: '本区专家回避本区企业',
      before: { overrides: null },
      after: { ruleSet: { id: 'wuhua-gmy', version: '1.0.0' } },
    });
  });

  it('excludes for the county an expert the province would draw (第二十六条)', async () => {
    const province = await drawFor('yn', 't-rs-province', '2026-05-11');
    expect(province.reasonsOf('rs-0')).toEqual([]);
    expect(province.task.draw?.ruleSet).toEqual({ id: 'yunnan-gmy-2025', version: '2.0.0' });

    const county = await drawFor('wh', 't-rs-county', '2026-05-12');
    // Same-region avoidance is local policy (本厅规定): no article.
    expect(county.reasonsOf('rs-0')).toEqual(['outside-enterprise-county@null']);
    expect(county.reasonsOf('rs-1')).toEqual([]);
    expect(county.task.draw?.ruleSet).toEqual({ id: 'wuhua-gmy', version: '1.0.0' });
    // The county's reply deadline is its own: 720 minutes for routine work.
    const invited = county.task.panel.find((s) => s.state === 'invited');
    expect(Date.parse(invited?.replyDeadline ?? '') - Date.parse(invited?.invitedAt ?? '')).toBe(
      720 * 60_000,
    );
  });

  it('replays the county draw with its own rule set, online and offline', async () => {
    const county = (await call(t, 'GET', '/v1/tasks/t-rs-county', { key: 'wh.dispatcher' }))
      .body as unknown as TaskView;
    const drawId = county.draw?.id;
    const verified = await call(t, 'GET', `/v1/draws/${drawId}/verify`, { key: 'wh.auditor' });
    expect(verified.body).toMatchObject({ ok: true, digestMatches: true, resultMatches: true });
    const exported = await call(t, 'GET', `/v1/draws/${drawId}/export`, { key: 'wh.auditor' });
    const file = drawFileSchema.parse(exported.body);
    expect(file.input.ruleSet.id).toBe('wuhua-gmy');
    expect(verifyDrawFile(file).ok).toBe(true);
    // Replayed on the provincial set, the same draw would not be what was recorded.
    const { dispatchRules, ...rest } = file.input.ruleSet;
    const provincial = {
      ...rest,
      dispatchRules: dispatchRules.filter((rule) => rule !== 'outside-enterprise-county'),
    };
    expect(verifyDrawFile({ ...file, input: { ...file.input, ruleSet: provincial } }).ok).toBe(
      false,
    );
  });

  it.each([
    [{ ...WUHUA, version: '1.0.1', parameters: { ageLimt: 60 } }, 'overrides.parameters.ageLimt'],
    [
      { ...WUHUA, version: '1.0.1', removeDispatchRules: ['good-standing'] },
      'overrides.removeDispatchRules.0',
    ],
    [
      { ...WUHUA, version: '1.0.1', addDispatchRules: ['no-such-rule'] },
      'overrides.addDispatchRules.0',
    ],
    [{ ...WUHUA, id: 'yunnan-gmy-2025', version: '2.0.0' }, 'overrides.version'],
    [{ ...WUHUA, id: 'yunnan-gmy-2025', version: '1.0.0' }, 'overrides.id'],
    [{ ...WUHUA, version: 'v2' }, 'overrides.version'],
  ])('refuses the overrides %j with a 422 on %s, keeping the set', async (overrides, path) => {
    const before = await countAuditEntries(t);
    const refused = await put({ reason: '调整', overrides });
    expect(refused.status).toBe(422);
    expect(refused.contentType).toBe('application/problem+json');
    expect(refused.body.errors?.map((e) => e.path)).toContain(path);
    expect(await countAuditEntries(t)).toBe(before);
    const view = await call(t, 'GET', '/v1/authorities/wh-yjj/rule-set', { key: 'wh.admin' });
    expect(view.body.ruleSet).toMatchObject({ id: 'wuhua-gmy', version: '1.0.0' });
  });

  it('refuses other rules under a version draws already ran on (409), and takes a new version', async () => {
    const changed = { ...WUHUA, parameters: { replyDeadlineMinutes: { routine: 600 } } };
    const refused = await put({ reason: '缩短响应时限', overrides: changed });
    expect(refused.status).toBe(409);
    expect(refused.body.errors?.map((e) => e.path)).toEqual(['overrides.version']);
    const bumped = await put({
      reason: '缩短响应时限',
      overrides: { ...changed, version: '1.1.0' },
    });
    expect(bumped.status).toBe(200);
    expect(bumped.body.ruleSet).toMatchObject({ version: '1.1.0' });
    // Going back to 1.0.0 with other rules: the draw of 1.0.0 still says what 1.0.0 was.
    const rewritten = await put({ reason: '改回', overrides: changed });
    expect(rewritten.status).toBe(409);
    expect(rewritten.body.errors?.map((e) => e.path)).toEqual(['overrides.version']);
    expect((await put({ reason: '改回原规则', overrides: WUHUA })).status).toBe(200);
  });

  it.each<[string, KeyName, string, number]>([
    ['the province deriving its own set', 'yn.admin', 'yn-yjt', 403],
    ['a county setting another authority’s set', 'wh.admin', 'km-yjj', 403],
    ['a city setting a county’s set', 'km.admin', 'wh-yjj', 403],
    ['a dispatcher', 'wh.dispatcher', 'wh-yjj', 403],
  ])('refuses %s', async (_name, key, id, status) => {
    const refused = await put({ reason: '调整', overrides: { ...WUHUA, id: 'x-gmy' } }, key, id);
    expect(refused.status).toBe(status);
  });

  it('refuses an id another authority uses', async () => {
    expect(
      (
        await put(
          { reason: '昆明规则', overrides: { ...WUHUA, id: 'km-gmy' } },
          'km.admin',
          'km-yjj',
        )
      ).status,
    ).toBe(200);
    const taken = await put({
      reason: '借用',
      overrides: { ...WUHUA, id: 'km-gmy', version: '2.0.0' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.errors?.map((e) => e.path)).toEqual(['overrides.id']);
  });

  it('returns a county to the provincial set with null, and hides its set from other cities', async () => {
    expect((await put({ reason: '恢复省级规则', overrides: null })).body).toMatchObject({
      overrides: null,
      ruleSet: { id: 'yunnan-gmy-2025' },
    });
    expect(
      (await call(t, 'GET', '/v1/authorities/wh-yjj/rule-set', { key: 'dl.viewer' })).status,
    ).toBe(404);
    expect(
      (await call(t, 'GET', '/v1/authorities/wh-yjj/rule-set', { key: 'yn.auditor' })).status,
    ).toBe(200);
  });
});
