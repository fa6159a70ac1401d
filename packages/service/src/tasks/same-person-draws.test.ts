import type { DrawExpert } from '@expert-dispatch/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DrawFile, drawFileSchema, verifyDrawFile } from '../draws/draw-file.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { addExpert, makeTaskRequest, postTask } from './task-fixtures.test-helpers.js';
import type { TaskView } from './task-view.js';

const backends = await availableBackends();

const ID_NUMBER = '53010219700101123X';
const seatedIds = (body: TaskView) => body.panel.map((s) => s.expertId);
const holdingIds = (body: TaskView) =>
  body.panel.filter((s) => s.role !== 'alternate').map((s) => s.expertId);
const oneDay = (date: string) => ({
  from: `${date}T08:30:00+08:00`,
  to: `${date}T18:00:00+08:00`,
});

describe.each(backends)('one person with a provincial and a Kunming record on %s', (kind) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(kind);
    // The person: a provincial record and a Kunming record (recommended upward, 第二十一条（一）),
    // with different employers so that the employer limit alone would not keep them apart.
    await addExpert(t, 'yn.admin', {
      id: 'sp-yn',
      name: '王同一',
      idNumber: ID_NUMBER,
      employer: { id: 'org-sp-1', name: '单位甲', kind: 'university' },
    });
    await addExpert(t, 'km.admin', {
      id: 'sp-km',
      name: '王同一',
      idNumber: ID_NUMBER,
      tier: 'city',
      region: '530102',
      employer: { id: 'org-sp-2', name: '单位乙', kind: 'university' },
    });
    for (let i = 1; i <= 4; i++) {
      await addExpert(t, 'yn.admin', {
        id: `sp-o${i}`,
        name: `其他${i}`,
        idNumber: `5301021970010${i}111X`,
        employer: { id: `org-o${i}`, name: `单位${i}`, kind: 'university' },
      });
    }
  });
  afterAll(() => t.close());

  it('never seats the person twice in a Kunming draw, and keeps the Kunming record (第二十一条)', async () => {
    // Six records, five people, six seats: without one seat per person both records are drawn.
    const created = await postTask(
      t,
      makeTaskRequest({
        id: 't-sp-1',
        panelSize: 3,
        alternates: 3,
        window: oneDay('2026-03-16'),
      }),
      'key-t-sp-1',
      'km',
    );
    expect(created.status).toBe(201);
    const body = created.body as unknown as TaskView;
    const seated = seatedIds(body);
    expect(seated).toContain('sp-km');
    expect(seated).not.toContain('sp-yn');
    expect(seated).toHaveLength(5);
    const draw = await call(t, 'GET', `/v1/draws/${body.draw?.id}`, { key: 'km.auditor' });
    expect(draw.status).toBe(200);
    expect(draw.body).toMatchObject({
      result: {
        excluded: [{ reasons: ['same-person'], expertIds: ['sp-yn'] }],
        exclusionReasons: { 'same-person': { article: '第二十一条' } },
        funnel: { pool: 6, samePerson: 1, eligible: 5 },
      },
    });
    // The stored snapshot carries the person ids, and the exported draw replays to the same
    // panel: as exported, after the offline verifier's parse, and through the verify route.
    const exported = await call(t, 'GET', `/v1/draws/${body.draw?.id}/export`, {
      key: 'km.auditor',
    });
    const file = exported.body as unknown as DrawFile;
    const snapshot = file.input.experts as readonly DrawExpert[];
    expect(snapshot.filter((e) => e.personId !== undefined).map((e) => [e.id, e.personId])).toEqual(
      [
        ['sp-km', 'sp-km'],
        ['sp-yn', 'sp-km'],
      ],
    );
    expect(JSON.stringify(snapshot)).not.toContain(ID_NUMBER);
    expect(verifyDrawFile(file)).toMatchObject({ ok: true, resultMatches: true });
    const parsed = drawFileSchema.parse(JSON.parse(JSON.stringify(file)));
    expect(verifyDrawFile(parsed)).toMatchObject({ ok: true, resultMatches: true });
    const verified = await call(t, 'GET', `/v1/draws/${body.draw?.id}/verify`, {
      key: 'km.auditor',
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true });
  });

  it('does not draw the person under the Kunming record while booked under the provincial one (第十五条)', async () => {
    const window = oneDay('2026-03-17');
    const provincial = await postTask(
      t,
      makeTaskRequest({ id: 't-sp-2', leaderId: 'sp-yn', panelSize: 2, alternates: 0, window }),
      'key-t-sp-2',
    );
    expect(provincial.status).toBe(201);
    const booked = holdingIds(provincial.body as unknown as TaskView);
    expect(booked).toHaveLength(2);
    expect(booked).toContain('sp-yn');
    // Four seats for four free records but for the person's booking: without availability by
    // person, the Kunming record would certainly be drawn.
    const local = await postTask(
      t,
      makeTaskRequest({ id: 't-sp-3', panelSize: 2, alternates: 2, window }),
      'key-t-sp-3',
      'km',
    );
    expect(local.status).toBe(201);
    const seated = seatedIds(local.body as unknown as TaskView);
    expect(seated).not.toContain('sp-km');
    expect(seated).not.toContain('sp-yn');
    expect(seated).toHaveLength(3);
  });
});
