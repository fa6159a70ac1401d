import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { loadHistory } from './load-history.js';
import { attendanceOf, panelMembers, serveTask } from './served-task.test-helpers.js';
import { postTaskOnDay, seedPanelPool } from './task-fixtures.test-helpers.js';
import type { TaskView } from './task-view.js';

const backends = await availableBackends();

interface Line {
  readonly component: string;
  readonly value: number;
}
interface Scored {
  readonly expertId: string;
  readonly breakdown: readonly Line[];
}

describe.each(backends)('the history the matcher reads on %s', (kind) => {
  let t: TestContext;
  let leader = '';
  let noShow = '';
  let attended = '';

  beforeAll(async () => {
    t = await createTestContext(kind);
    await seedPanelPool(t, 12);
    const panel = await serveTask(t, 't-h-served', '2026-03-10');
    const members = panelMembers(panel);
    [leader, noShow, attended] = members.map((m) => m.expertId) as [string, string, string];
    const done = await call(t, 'POST', '/v1/tasks/t-h-served/complete', {
      key: 'yn.dispatcher',
      json: { attendance: attendanceOf(members, [noShow]) },
    });
    if (done.status !== 200) throw new Error(done.text);
    const rated = await call(t, 'POST', '/v1/tasks/t-h-served/ratings', {
      key: 'yn.dispatcher',
      json: { ratings: [{ expertId: leader, score: 1, comment: '迟到且结论草率' }] },
    });
    if (rated.status !== 201) throw new Error(rated.text);
  });
  afterAll(() => t.close());

  it('reads attendance after each answer and the served units’ ratings (第十五条, 第二十条)', async () => {
    const history = await loadHistory(
      t.database.db,
      { from: '2026-03-20T00:00:00+08:00', to: '2026-03-21T00:00:00+08:00' },
      new Date('2026-01-01T00:00:00+08:00'),
    );
    const outcomesOf = (expertId: string) =>
      history.invitations
        .filter((r) => r.expertId === expertId && r.taskId === 't-h-served')
        .map((r) => r.outcome);
    expect(outcomesOf(leader)).toEqual(['accepted', 'attended']);
    expect(outcomesOf(noShow)).toEqual(['accepted', 'no_show']);
    expect(outcomesOf(attended)).toEqual(['accepted', 'attended']);
    expect(history.ratings).toEqual([
      { expertId: leader, taskId: 't-h-served', score: 1, at: expect.any(String) },
    ]);
    // Records older than `since` are left out, like the answers.
    const later = await loadHistory(
      t.database.db,
      { from: '2026-03-20T00:00:00+08:00', to: '2026-03-21T00:00:00+08:00' },
      new Date('2026-03-11T00:00:00+08:00'),
    );
    expect(later.ratings).toEqual([]);
    expect(later.invitations).toEqual([]);
  });

  it('lowers a no-show’s reliability and a poorly rated leader’s quality in the next draw’s breakdown (第十五条, 第二十条（二）)', async () => {
    const created = await postTaskOnDay(t, 't-h-next', '2026-03-20', { alternates: 9 });
    const drawId = (created.body as unknown as TaskView).draw?.id;
    const draw = await call(t, 'GET', `/v1/draws/${drawId}`, { key: 'yn.dispatcher' });
    const result = draw.body.result as { members: Scored[]; alternates: Scored[] };
    const scored = [...result.members, ...result.alternates];
    const value = (expertId: string, component: string) => {
      const line = scored
        .find((s) => s.expertId === expertId)
        ?.breakdown.find((l) => l.component === component);
      if (line === undefined) throw new Error(`${expertId} not scored`);
      return line.value;
    };
    const untouched = scored.find((s) => ![leader, noShow, attended].includes(s.expertId));
    if (untouched === undefined) throw new Error('no expert without history');
    const { reliabilityPrior: r, qualityPrior: q } = t.services.ruleSet.scoring;
    // Accepted + attended count good, a no-show bad: (good + rate × weight) / (good + bad + weight).
    expect(value(untouched.expertId, 'reliability')).toBeCloseTo(r.rate, 10);
    expect(value(noShow, 'reliability')).toBeCloseTo((1 + r.rate * r.weight) / (2 + r.weight), 10);
    expect(value(attended, 'reliability')).toBeCloseTo(
      (2 + r.rate * r.weight) / (2 + r.weight),
      10,
    );
    expect(value(noShow, 'reliability')).toBeLessThan(value(untouched.expertId, 'reliability'));
    // One rating of 1, smoothed toward the prior mean, mapped from 1–5 onto 0–1.
    expect(value(untouched.expertId, 'quality')).toBeCloseTo((q.mean - 1) / 4, 10);
    expect(value(leader, 'quality')).toBeCloseTo(
      ((1 + q.mean * q.weight) / (1 + q.weight) - 1) / 4,
      10,
    );
    expect(value(leader, 'quality')).toBeLessThan(value(untouched.expertId, 'quality'));

    // The draw stored that history, so it replays to the same panel.
    const verified = await call(t, 'GET', `/v1/draws/${drawId}/verify`, { key: 'yn.auditor' });
    expect(verified.body).toMatchObject({ ok: true });
  });
});
