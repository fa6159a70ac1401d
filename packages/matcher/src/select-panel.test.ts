import { type Expert, yunnanGmy2025 } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { makeExpert, makeExperts, makeTask, NOW } from './fixtures.test-helpers.js';
import { expectValidDraw } from './panel-invariants.test-helpers.js';
import { selectPanel } from './select-panel.js';
import type { PanelSelected, SelectPanelInput, SelectPanelResult } from './select-panel-types.js';

function draw(
  input: Partial<SelectPanelInput> & { experts: readonly Expert[] },
): SelectPanelResult {
  return selectPanel({ task: makeTask(), now: NOW, seed: 'seed-1', ...input });
}

function selected(result: SelectPanelResult): PanelSelected {
  if (!result.ok) throw new Error(`expected a panel, got ${JSON.stringify(result)}`);
  return result;
}

describe('selectPanel: the panel', () => {
  it('forms a panel of panelSize with exactly one leader, listed first (第五条)', () => {
    const experts = makeExperts(10);
    for (const policy of ['best', 'lottery', 'capped'] as const) {
      const result = selected(draw({ experts, policy, cap: 0.5 }));
      expect(result.members).toHaveLength(3);
      expectValidDraw(result, experts, makeTask(), yunnanGmy2025, []);
      expect(result.policy).toBe(policy);
      expect(result.ruleSet).toEqual({ id: 'yunnan-gmy-2025', version: '2.0.0' });
    }
  });

  it('covers every industry of the task, a comprehensive-group expert covering any (第五条)', () => {
    const task = makeTask({ industries: ['metallurgy', 'tobacco'], panelSize: 2 });
    const experts = [
      ...makeExperts(6),
      makeExpert('comp', { group: 'comprehensive', industries: [], title: 'intermediate' }),
    ];
    const result = selected(draw({ experts, task, policy: 'best' }));
    expect(result.members.map((m) => m.expertId)).toContain('comp');
  });

  it('takes at most maxMembersPerEmployer members from one employer', () => {
    const shared = { id: 'emp-shared', name: '同一单位', kind: 'enterprise' as const };
    const experts = [...makeExperts(3, { employer: shared }), makeExpert('x1'), makeExpert('x2')];
    const result = selected(draw({ experts, policy: 'best' }));
    const fromShared = result.members.filter((m) => m.expertId.startsWith('e'));
    expect(fromShared).toHaveLength(1);
  });

  it('fills the task specialties where the pool allows and reports the gaps (第十四条)', () => {
    const task = makeTask({ specialties: ['gas', 'fire', 'dust_explosion'], panelSize: 2 });
    const experts = [
      ...makeExperts(6, { specialties: ['electrical'] }),
      makeExpert('fire', { specialties: ['fire'], title: 'intermediate' }),
      makeExpert('gas', { specialties: ['gas'], title: 'intermediate' }),
    ];
    const result = selected(draw({ experts, task, policy: 'lottery' }));
    const ids = result.members.map((m) => m.expertId);
    // One seat goes to a leader title; the other to the first specialty a drawn member lacks.
    expect(ids.some((id) => id === 'gas' || id === 'fire')).toBe(true);
    expect(result.gaps.specialties).toContainEqual({
      specialty: 'dust_explosion',
      reason: 'none-eligible',
    });
  });

  it('ranks the leader by title, then rating, then practice years (第五条)', () => {
    const experts = [
      makeExpert('assoc', { title: 'senior_associate', practiceYears: 30 }),
      makeExpert('full-junior', { title: 'senior_full', practiceYears: 6 }),
      makeExpert('full-senior', { title: 'senior_full', practiceYears: 25 }),
    ];
    const result = selected(draw({ experts }));
    expect(result.leader.basis).toBe('ranking');
    expect(result.leader.ranking.map((c) => c.expertId)).toEqual([
      'full-senior',
      'full-junior',
      'assoc',
    ]);
    expect(result.members[0]?.expertId).toBe('full-senior');
  });

  it('prefers the better-rated of two equal titles (第五条, 第二十条（二）)', () => {
    const experts = [
      makeExpert('a', { title: 'senior_full', practiceYears: 30 }),
      makeExpert('b', { title: 'senior_full', practiceYears: 10 }),
      makeExpert('c', { title: 'intermediate' }),
    ];
    const history = {
      invitations: [],
      ratings: [{ expertId: 'b', taskId: 'old', score: 5, at: '2026-01-05T10:00:00+08:00' }],
      busy: [],
    };
    expect(selected(draw({ experts, history })).leader.expertId).toBe('b');
  });

  it('makes the named leader lead (第五条)', () => {
    const experts = makeExperts(5);
    const result = selected(draw({ experts, task: makeTask({ leaderId: 'e004' }) }));
    expect(result.leader).toMatchObject({ expertId: 'e004', basis: 'named' });
    expect(result.members[0]).toMatchObject({
      expertId: 'e004',
      role: 'leader',
      source: 'named-leader',
    });
  });

  it('keeps fixed members and leaves out excluded ones', () => {
    const experts = makeExperts(8);
    const result = selected(draw({ experts, fixed: ['e007'], exclude: ['e000', 'e001'] }));
    const ids = result.members.map((m) => m.expertId);
    expect(ids).toContain('e007');
    expect(result.members.find((m) => m.expertId === 'e007')?.source).toBe('fixed');
    expect(ids).not.toContain('e000');
    expect(result.excluded).toContainEqual({
      reasons: ['excluded-by-caller'],
      expertIds: ['e000', 'e001'],
    });
    expect(result.exclusionReasons['excluded-by-caller']?.article).toBeNull();
    expect(result.funnel.excludedByCaller).toBe(2);
  });

  it('draws shadows from the requesting authority’s own tier and area, outside the panel (第二十一条（三）)', () => {
    const task = makeTask({
      shadows: 2,
      requestedBy: { authorityId: 'km', tier: 'city', region: '530100' },
    });
    const experts = [
      ...makeExperts(5),
      makeExpert('local-1', { tier: 'city', region: '530111' }),
      makeExpert('local-2', { tier: 'city', region: '530102' }),
      makeExpert('elsewhere', { tier: 'city', region: '532301' }),
      makeExpert('local-recused', {
        tier: 'city',
        region: '530102',
        conflicts: [{ organizationId: 'ent-1', reason: '亲属' }],
      }),
    ];
    const result = selected(draw({ experts, task }));
    const shadows = result.shadows.map((s) => s.expertId).sort();
    const members = result.members.map((m) => m.expertId);
    for (const id of shadows) expect(members).not.toContain(id);
    expect(shadows.every((id) => id.startsWith('local-') && id !== 'local-recused')).toBe(true);
    expect(result.shadows.length + result.gaps.shadows).toBe(2);
  });

  it('orders alternates so that the first can replace the only tobacco member', () => {
    const task = makeTask({ industries: ['metallurgy', 'tobacco'], panelSize: 3, alternates: 3 });
    const tobacco = {
      group: 'building_light_textile_tobacco_commerce' as const,
      industries: ['tobacco' as const],
    };
    const experts = [...makeExperts(8), makeExpert('t1', tobacco), makeExpert('t2', tobacco)];
    const result = selected(draw({ experts, task, policy: 'best' }));
    const tobaccoMember = result.members.find((m) => m.expertId.startsWith('t'))?.expertId;
    expect(result.alternates[0]?.replaces).toContain(tobaccoMember);
    expectValidDraw(result, experts, task, yunnanGmy2025, []);
  });
});

describe('selectPanel: infeasible draws are data', () => {
  it('names the industry no eligible expert serves, with the funnel (第十四条)', () => {
    const task = makeTask({ industries: ['metallurgy', 'tobacco'], panelSize: 3 });
    const experts = [
      ...makeExperts(5),
      makeExpert('old-tobacco', {
        group: 'building_light_textile_tobacco_commerce',
        industries: ['tobacco'],
        birthDate: '1950-01-01',
      }),
    ];
    const result = draw({ experts, task });
    expect(result).toMatchObject({ ok: false, code: 'infeasible' });
    if (result.ok || result.code !== 'infeasible') return;
    expect(result.unmet).toEqual([
      expect.objectContaining({
        constraint: 'industry-coverage',
        industries: ['tobacco'],
        article: '第十四条',
      }),
    ]);
    const age = result.funnel.steps.find((step) => step.ruleId === 'age-limit');
    expect(age?.removed).toBe(1);
    expect(result.excluded).toContainEqual({ reasons: ['age-limit'], expertIds: ['old-tobacco'] });
  });

  it('reports every unmet constraint for an empty pool', () => {
    const result = draw({ experts: [] });
    expect(
      !result.ok && result.code === 'infeasible' && result.unmet.map((u) => u.constraint),
    ).toEqual(['panel-size', 'industry-coverage', 'leader']);
  });

  it('applies a derived rule set’s local avoidance (第二十六条)', () => {
    const ruleSet = {
      ...yunnanGmy2025,
      id: 'kunming-derived',
      dispatchRules: [...yunnanGmy2025.dispatchRules, 'outside-enterprise-city' as const],
    };
    const experts = [
      ...makeExperts(3, { region: '530302' }),
      ...makeExperts(3, { region: '530381' }).map((e) => ({ ...e, id: `q${e.id}` })),
    ];
    const result = draw({ experts, ruleSet });
    expect(result).toMatchObject({ ok: false, code: 'infeasible' });
    if (result.ok) return;
    expect('excluded' in result && result.excluded[0]?.reasons).toEqual([
      'outside-enterprise-city',
    ]);
    expect('funnel' in result && result.funnel.eligible).toBe(0);
  });

  it('reports a missing leader title (第五条)', () => {
    const result = draw({ experts: makeExperts(5, { title: 'intermediate' }) });
    expect(
      !result.ok && result.code === 'infeasible' && result.unmet.map((u) => u.constraint),
    ).toEqual(['leader']);
  });

  it('reports too few experts once the employer limit applies', () => {
    const shared = { id: 'emp-shared', name: '同一单位', kind: 'enterprise' as const };
    const result = draw({ experts: [...makeExperts(4, { employer: shared }), makeExpert('x')] });
    expect(result).toMatchObject({
      ok: false,
      code: 'infeasible',
      unmet: [expect.objectContaining({ constraint: 'panel-size', needed: 3, available: 2 })],
    });
  });

  it('reports a panel too small to cover the industries with a leader (第五条)', () => {
    const task = makeTask({ industries: ['metallurgy', 'tobacco'], panelSize: 2 });
    const experts = [
      ...makeExperts(3, { title: 'intermediate' }),
      makeExpert('t', {
        group: 'building_light_textile_tobacco_commerce',
        industries: ['tobacco'],
        title: 'intermediate',
      }),
      makeExpert('lead', {
        group: 'building_light_textile_tobacco_commerce',
        industries: ['commerce'],
      }),
    ];
    const result = draw({
      experts,
      task,
      ruleSet: { ...yunnanGmy2025, dispatchRules: ['age-limit'] },
    });
    expect(result).toMatchObject({
      ok: false,
      code: 'infeasible',
      unmet: [expect.objectContaining({ constraint: 'composition', needed: 3, available: 2 })],
    });
  });

  it('reports a cap too low for the eligible experts', () => {
    const result = draw({ experts: makeExperts(5), policy: 'capped', cap: 0.5 });
    expect(result).toMatchObject({
      ok: false,
      code: 'infeasible',
      unmet: [expect.objectContaining({ constraint: 'cap', needed: 3, available: 5 })],
    });
  });
});

describe('selectPanel: impossible inputs are data', () => {
  it('rejects a named leader without a leader title, saying which (第五条)', () => {
    const experts = [...makeExperts(4), makeExpert('mid', { title: 'intermediate' })];
    const result = draw({ experts, task: makeTask({ leaderId: 'mid' }) });
    expect(result).toMatchObject({
      ok: false,
      code: 'invalid_input',
      problems: [expect.objectContaining({ problem: 'leader-title', expertId: 'mid' })],
    });
  });

  it('rejects an ineligible named leader with the rules’ own reasons (第九条（五）)', () => {
    const experts = [...makeExperts(4), makeExpert('old', { birthDate: '1950-01-01' })];
    const result = draw({ experts, task: makeTask({ leaderId: 'old' }) });
    if (result.ok || result.code !== 'invalid_input') throw new Error('expected invalid_input');
    expect(result.problems[0]?.problem).toBe('leader-ineligible');
    expect(result.problems[0]?.reasons?.map((r) => r.article)).toEqual(['第九条（五）']);
  });

  it.each([
    [{ fixed: ['nobody'] }, 'unknown-expert'],
    [{ fixed: ['e001'], exclude: ['e001'] }, 'fixed-excluded'],
    [{ fixed: ['e000', 'e001', 'e002', 'e003'] }, 'too-many-fixed'],
    [{ policy: 'capped' as const }, 'cap-required'],
    [{ now: 'yesterday' }, 'now-invalid'],
  ])('rejects %j as %s', (extra, problem) => {
    const result = draw({ experts: makeExperts(6), ...extra });
    expect(result).toMatchObject({
      ok: false,
      code: 'invalid_input',
      problems: expect.arrayContaining([expect.objectContaining({ problem })]),
    });
  });

  it('rejects fixed members over the employer limit', () => {
    const shared = { id: 'emp-shared', name: '同一单位', kind: 'enterprise' as const };
    const result = draw({ experts: makeExperts(6, { employer: shared }), fixed: ['e000', 'e001'] });
    expect(result).toMatchObject({
      ok: false,
      problems: [expect.objectContaining({ problem: 'fixed-employer-limit' })],
    });
  });

  it('rejects a fixed member a rule excludes (第十二条)', () => {
    const experts = [...makeExperts(4), makeExpert('s', { status: 'suspended' })];
    const result = draw({ experts, fixed: ['s'] });
    expect(result).toMatchObject({
      ok: false,
      problems: [expect.objectContaining({ problem: 'fixed-ineligible', expertId: 's' })],
    });
  });
});

describe('selectPanel: replay', () => {
  it('gives the same result for the same input and a different one for another seed', () => {
    const experts = makeExperts(30);
    const first = draw({ experts });
    expect(draw({ experts })).toEqual(first);
    const seeds = ['a', 'b', 'c', 'd', 'e'].map((seed) => draw({ experts, seed }));
    const panels = new Set(
      seeds.map((r) =>
        r.ok
          ? r.members
              .map((m) => m.expertId)
              .sort()
              .join()
          : '',
      ),
    );
    expect(panels.size).toBeGreaterThan(1);
    expect(new Set(seeds.map((r) => (r.ok ? r.digest : ''))).size).toBe(5);
  });

  it('gives the same digest for a Date and the ISO string of the same instant', () => {
    const experts = makeExperts(6);
    const a = draw({ experts, now: '2026-03-01T09:00:00+08:00' });
    const b = draw({ experts, now: new Date('2026-03-01T01:00:00Z') });
    expect(a.ok && b.ok && a.digest === b.digest).toBe(true);
  });
});
