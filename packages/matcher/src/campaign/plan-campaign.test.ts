import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { makeExpert, makeTask, NOW } from '../fixtures.test-helpers.js';
import { preparePool } from '../prepare-pool.js';
import { selectPanel } from '../select-panel.js';
import type { CampaignPlanned, PlanCampaignInput } from './campaign-types.js';
import { planCampaign } from './plan-campaign.js';

const WEEK1 = { from: '2026-03-10T09:00:00+08:00', to: '2026-03-11T18:00:00+08:00' };
const WEEK2 = { from: '2026-03-17T09:00:00+08:00', to: '2026-03-18T18:00:00+08:00' };
const WEEK3 = { from: '2026-03-24T09:00:00+08:00', to: '2026-03-25T18:00:00+08:00' };

function planned(input: PlanCampaignInput): CampaignPlanned {
  const result = planCampaign(input);
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result;
}

const membersOf = (plan: CampaignPlanned, taskId: string): string[] =>
  (plan.plans.find((p) => p.taskId === taskId)?.members ?? []).map((m) => m.expertId).sort();

describe('planCampaign', () => {
  it('gives the versatile expert to the task only they can serve, where one-by-one draws leave it empty (第十四条)', () => {
    // `both` scores higher (holds the named specialty) and is the only nonferrous expert.
    const experts = [
      makeExpert('both', { industries: ['metallurgy', 'nonferrous'], specialties: ['gas'] }),
      makeExpert('metal', { industries: ['metallurgy'], specialties: [] }),
    ];
    const tasks = [
      makeTask({ id: 't-metal', panelSize: 1, alternates: 0, specialties: ['gas'] }),
      makeTask({ id: 't-nonferrous', panelSize: 1, alternates: 0, industries: ['nonferrous'] }),
    ];
    const first = selectPanel({
      task: tasks[0] as never,
      experts,
      now: NOW,
      seed: 's',
      policy: 'best',
    });
    expect(first.ok && first.members.map((m) => m.expertId)).toEqual(['both']);
    const plan = planned({ tasks, experts, now: NOW, policy: 'optimal', loadCap: 1, seed: 's' });
    expect(membersOf(plan, 't-metal')).toEqual(['metal']);
    expect(membersOf(plan, 't-nonferrous')).toEqual(['both']);
    expect(plan.totals).toMatchObject({ seats: 2, filled: 2, maxLoad: 1 });
  });

  it('never books one expert on two campaign tasks whose windows overlap (第十五条)', () => {
    const experts = ['a', 'b', 'c', 'd'].map((id) => makeExpert(id));
    const tasks = [
      makeTask({ id: 't1', panelSize: 2, alternates: 1 }),
      makeTask({
        id: 't2',
        panelSize: 2,
        alternates: 1,
        window: { from: '2026-03-11T08:00:00+08:00', to: '2026-03-12T18:00:00+08:00' },
      }),
    ];
    const plan = planned({ tasks, experts, now: NOW, policy: 'optimal', loadCap: 2, seed: 's' });
    const together = [...membersOf(plan, 't1'), ...membersOf(plan, 't2')];
    expect(new Set(together).size).toBe(4);
    expect(plan.solver.overlapModel).toBe('exact');
    // Every expert is busy in that window, so nobody is left as an alternate.
    expect(plan.plans.flatMap((p) => p.alternates)).toEqual([]);
  });

  it('names a leader on every panel (第五条) with a leader title and one member per employer (both local policy)', () => {
    const experts = [
      makeExpert('a1', {
        employer: { id: 'emp-a', name: 'A', kind: 'enterprise' },
        title: 'intermediate',
      }),
      makeExpert('a2', {
        employer: { id: 'emp-a', name: 'A', kind: 'enterprise' },
        title: 'intermediate',
      }),
      makeExpert('b1', {
        employer: { id: 'emp-b', name: 'B', kind: 'enterprise' },
        title: 'intermediate',
      }),
      makeExpert('lead', { employer: { id: 'emp-c', name: 'C', kind: 'enterprise' } }),
    ];
    const tasks = [makeTask({ id: 't1', panelSize: 3, alternates: 0 })];
    const plan = planned({ tasks, experts, now: NOW, policy: 'optimal', loadCap: 1, seed: 's' });
    const members = plan.plans[0]?.members ?? [];
    expect(members[0]).toMatchObject({ expertId: 'lead', role: 'leader' });
    expect(members.map((m) => m.expertId).filter((id) => id.startsWith('a'))).toHaveLength(1);
  });

  it('leaves out an expert employed by the served enterprise (第八条（四）) and one excluded for a task', () => {
    const experts = [
      makeExpert('own', { employer: { id: 'ent-1', name: '示例企业', kind: 'enterprise' } }),
      makeExpert('x'),
      makeExpert('y'),
      makeExpert('z'),
    ];
    const tasks = [makeTask({ id: 't1', panelSize: 2, alternates: 0 })];
    const plan = planned({
      tasks,
      experts,
      now: NOW,
      policy: 'optimal',
      loadCap: 1,
      seed: 's',
      exclude: { t1: ['x'] },
    });
    expect(membersOf(plan, 't1')).toEqual(['y', 'z']);
  });

  it('caps each expert at loadCap tasks and says which task the campaign cannot staff (local policy, no article)', () => {
    const experts = [makeExpert('a'), makeExpert('b')];
    const tasks = [WEEK1, WEEK2, WEEK3].map((window, k) =>
      makeTask({ id: `w${k + 1}`, panelSize: 1, alternates: 0, window }),
    );
    const tight = planCampaign({
      tasks,
      experts,
      now: NOW,
      policy: 'optimal',
      loadCap: 1,
      seed: 's',
    });
    expect(tight.ok).toBe(false);
    if (tight.ok || tight.code !== 'infeasible') throw new Error('expected infeasible');
    expect(tight.unmet).toHaveLength(1);
    expect(tight.unmet[0]?.reasons[0]).toMatchObject({
      constraint: 'campaign-capacity',
      article: null,
    });
    const loose = planned({ tasks, experts, now: NOW, policy: 'optimal', loadCap: 2, seed: 's' });
    expect(loose.totals).toMatchObject({ filled: 3, maxLoad: 2 });
  });

  it('spreads the load when the fit is the same: the heaviest load is the least possible', () => {
    const experts = ['a', 'b', 'c'].map((id) => makeExpert(id));
    const tasks = [WEEK1, WEEK2, WEEK3].map((window, k) =>
      makeTask({ id: `w${k + 1}`, panelSize: 1, alternates: 0, window }),
    );
    const plan = planned({ tasks, experts, now: NOW, policy: 'optimal', loadCap: 3, seed: 's' });
    expect(plan.load).toEqual({ a: 1, b: 1, c: 1 });
    expect(plan.totals.gini).toBe(0);
  });

  it("reports a task the pool cannot staff even alone with selectPanel's own reasons", () => {
    const experts = ['a', 'b'].map((id) => makeExpert(id));
    const tasks = [
      makeTask({ id: 't1', panelSize: 1 }),
      makeTask({ id: 't2', industries: ['building_materials'], panelSize: 1, window: WEEK2 }),
    ];
    const result = planCampaign({
      tasks,
      experts,
      now: NOW,
      policy: 'optimal',
      loadCap: 2,
      seed: 's',
    });
    if (result.ok || result.code !== 'infeasible') throw new Error('expected infeasible');
    expect(result.unmet.map((u) => u.taskId)).toEqual(['t2']);
    expect(result.unmet[0]?.reasons.map((r) => r.constraint)).toContain('panel-size');
  });

  it('replays: the same input gives the same plan and digest; the digest covers the input', () => {
    const experts = preparePool(['a', 'b', 'c', 'd', 'e'].map((id) => makeExpert(id)));
    const input: PlanCampaignInput = {
      tasks: [
        makeTask({ id: 't1', panelSize: 2 }),
        makeTask({ id: 't2', panelSize: 2, window: WEEK2 }),
      ],
      experts,
      now: NOW,
      policy: 'randomized',
      probabilityCap: 0.5,
      loadCap: 1,
      seed: 'replay',
    };
    const once = planned(input);
    expect(planned(input)).toEqual(once);
    expect(planned({ ...input, seed: 'other' }).inputDigest).not.toBe(once.inputDigest);
  });

  it('keeps the leader a task names on its panel, as leader (第五条)', () => {
    const experts = ['a', 'b', 'c', 'named'].map((id) => makeExpert(id));
    const tasks = [makeTask({ id: 't1', panelSize: 2, alternates: 0, leaderId: 'named' })];
    const plan = planned({ tasks, experts, now: NOW, policy: 'optimal', loadCap: 1, seed: 's' });
    expect(plan.plans[0]?.members[0]).toMatchObject({ expertId: 'named', role: 'leader' });
    expect(plan.plans[0]?.members).toHaveLength(2);
  });

  it('treats a chain of overlapping windows conservatively and says so', () => {
    const experts = ['a', 'b', 'c'].map((id) => makeExpert(id));
    const day = (from: string, to: string) => ({ from: `${from}+08:00`, to: `${to}+08:00` });
    const tasks = [
      makeTask({
        id: 'a',
        panelSize: 1,
        alternates: 0,
        window: day('2026-03-10T09:00:00', '2026-03-11T12:00:00'),
      }),
      makeTask({
        id: 'b',
        panelSize: 1,
        alternates: 0,
        window: day('2026-03-11T09:00:00', '2026-03-12T12:00:00'),
      }),
      makeTask({
        id: 'c',
        panelSize: 1,
        alternates: 0,
        window: day('2026-03-12T09:00:00', '2026-03-13T12:00:00'),
      }),
    ];
    const plan = planned({ tasks, experts, now: NOW, policy: 'optimal', loadCap: 3, seed: 's' });
    expect(plan.solver.overlapModel).toBe('conservative');
    expect(Object.values(plan.load)).toEqual([1, 1, 1]);
  });

  it('refuses a load cap below 1, a randomized plan without a cap, and a task given twice', () => {
    const experts = [makeExpert('a')];
    const task = makeTask();
    const result = planCampaign({
      tasks: [task, task],
      experts,
      now: NOW,
      policy: 'randomized',
      loadCap: 0,
      seed: 's',
      ruleSet: yunnanGmy2025,
    });
    if (result.ok || result.code !== 'invalid_input') throw new Error('expected invalid input');
    expect(result.problems.map((p) => p.problem)).toEqual([
      'load-cap',
      'probability-cap',
      'task-repeated',
    ]);
  });
});
