import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTaskRequest, postTask } from '../../tasks/task-fixtures.test-helpers.js';
import type { TaskView } from '../../tasks/task-view.js';
import { makeActiveExpert } from '../../testing/expert-fixtures.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestBody,
  type TestContext,
} from '../../testing/test-backends.test-helpers.js';

const backends = await availableBackends();

type Exclusion = { reasons: string[]; expertIds: string[] };
type Reasons = Record<string, { ruleId: string; article: string | null }>;

/** 孙立 is in the provincial pool and in Kunming's own pool (第二十一条, 第二十六条). */
const person = { name: '孙立', birthDate: '1968-08-08', idNumber: '530102196808081234' };

describe.each(backends)('disqualification of the person across pools on %s', (kind) => {
  let t: TestContext;

  /** Kunming draws a task on `date`: who is on the panel, and why `expertId` was left out. */
  async function kunmingDraw(taskId: string, date: string, expertId: string) {
    const created = await postTask(
      t,
      makeTaskRequest({
        id: taskId,
        window: { from: `${date}T08:30:00+08:00`, to: `${date}T18:00:00+08:00` },
        panelSize: 1,
        alternates: 0,
      }),
      `key-${taskId}`,
      'km',
    );
    expect(created.status, created.text).toBe(201);
    const task = created.body as unknown as TaskView;
    const draw = await call(t, 'GET', `/v1/draws/${task.draw?.id}`, { key: 'km.auditor' });
    const result = draw.body.result as { excluded: Exclusion[]; exclusionReasons: Reasons };
    const group = result.excluded.find((g) => g.expertIds.includes(expertId));
    return {
      panel: task.panel.map((seat) => seat.expertId),
      excludedFor: (group?.reasons ?? []).map((key) => {
        const reason = result.exclusionReasons[key];
        return `${reason?.ruleId}@${reason?.article}`;
      }),
    };
  }

  const kunmingExpert = (id: string, overrides: Record<string, unknown>) =>
    call(t, 'POST', '/v1/experts', {
      key: 'km.admin',
      json: makeActiveExpert({
        id,
        tier: 'city',
        industries: ['metallurgy'],
        specialties: ['molten_metal'],
        employer: { id: `org-${id}`, name: `单位 ${id}`, kind: 'university' },
        ...overrides,
      }),
    });

  beforeAll(async () => {
    t = await createTestContext(kind);
    const created = [
      await call(t, 'POST', '/v1/experts', {
        key: 'yn.admin',
        json: makeActiveExpert({ id: 'yn-sun', ...person }),
      }),
      await kunmingExpert('km-sun', person),
      await kunmingExpert('km-sun-expired', { ...person, status: 'expired' }),
      await kunmingExpert('km-namesake', { ...person, idNumber: '530102196808089999' }),
      await kunmingExpert('km-2', { name: '周强', idNumber: '530102197001012222' }),
    ];
    expect(created.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
  });
  afterAll(() => t.close());

  it('stops drawing the person’s record in another pool once one record is disqualified (第十六条（三）, 第九条（六）)', async () => {
    const before = await kunmingDraw('t-km-before', '2026-03-10', 'km-sun');
    expect(before.excludedFor).toEqual([]);

    const disqualified = await call(t, 'POST', '/v1/experts/yn-sun/actions/disqualify', {
      key: 'yn.admin',
      json: {
        reason: '借用省级专家名义谋取不正当利益',
        evidence: [{ kind: 'document', ref: '核查通报〔2026〕3号' }],
      },
    });
    expect(disqualified.status).toBe(200);

    const after = await kunmingDraw('t-km-after', '2026-03-11', 'km-sun');
    expect(after.panel).not.toContain('km-sun');
    expect(after.excludedFor).toEqual(['good-standing@第十六条（三）']);
    const local = await call(t, 'GET', '/v1/experts/km-sun', { key: 'km.admin' });
    expect(local.body).toMatchObject({ status: 'dismissed', disqualifiedOn: '2026-03-02' });
  });

  it('audits the other record’s disqualification with the article and the origin', async () => {
    const audit = await call(t, 'GET', '/v1/audit?entityType=expert&entityId=km-sun', {
      key: 'yn.auditor',
    });
    const entry = audit.body.items?.at(-1) as TestBody;
    expect(entry).toMatchObject({
      action: 'expert.disqualify',
      actorAuthorityId: 'yn-yjt',
      before: { status: 'active' },
      after: {
        status: 'dismissed',
        disqualifiedOn: '2026-03-02',
        lifecycleAction: {
          action: 'disqualify',
          article: '第十六条（三）',
          on: '2026-03-02',
          sameAs: 'yn-sun',
          evidence: [{ kind: 'document', ref: '核查通报〔2026〕3号' }],
        },
      },
    });
    expect(String(entry.reason)).toContain('yn-sun');
  });

  it('leaves a namesake with another ID number and an expired record of the person as they were', async () => {
    const namesake = await call(t, 'GET', '/v1/experts/km-namesake', { key: 'km.admin' });
    expect(namesake.body.status).toBe('active');
    const expired = await call(t, 'GET', '/v1/experts/km-sun-expired', { key: 'km.admin' });
    expect(expired.body).toMatchObject({ status: 'expired' });
    expect(expired.body.disqualifiedOn).toBeUndefined();
    // Renewing it still meets the bar through the person's disqualification (第十六条（三）).
    const renewed = await call(t, 'POST', '/v1/experts/km-sun-expired/actions/renew', {
      key: 'km.admin',
      json: { reason: '续聘', on: '2026-03-02' },
    });
    expect(renewed.status).toBe(422);
  });
});
