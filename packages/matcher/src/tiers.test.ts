import { deriveRuleSet, yunnanGmy2025 } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { makeExpert, makeExperts, makeTask } from './fixtures.test-helpers.js';
import { selectPanel } from './select-panel.js';
import { verifyDraw } from './verify-draw.js';

const derived = deriveRuleSet(yunnanGmy2025, {
  id: 'wuhua-gmy',
  version: '1.0.0',
  removeDispatchRules: ['appointment-in-force'],
});
if (!derived.ok) throw new Error('the county set must derive');
const county = derived.ruleSet;
const NOW = '2026-12-02T09:00:00+08:00';
const task = makeTask({
  window: { from: '2026-12-10T09:00:00+08:00', to: '2026-12-11T18:00:00+08:00' },
  requestedBy: { authorityId: 'wh', tier: 'county', region: '530102' },
  specialties: ['dust_explosion'],
  panelSize: 3,
  alternates: 0,
});
const inTerm = { appointment: { from: '2025-01-01', to: '2027-12-31', sealed: true } };
const expired = { appointment: { from: '2023-11-03', to: '2026-11-02', sealed: true } };
// The expired experts have the best title and specialty, so only the rule keeps them out.
const best = { title: 'senior_full' as const, specialties: ['dust_explosion'] };
const provincial = makeExpert('p-expired', { ...expired, ...best, tier: 'province' });
const own = makeExpert('c-expired', { ...expired, ...best, tier: 'county' });
const pool = [provincial, own, ...makeExperts(4, inTerm)];

describe('a county draw under a set that waives 第十一条 for its own pool (第二十六条)', () => {
  it('refuses the provincial expert whose term ended 2026-11-02 as a member', () => {
    const input = {
      task,
      experts: pool,
      now: NOW,
      seed: 's',
      policy: 'best' as const,
      ruleSet: county,
    };
    const result = selectPanel(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const members = result.members.map((m) => m.expertId);
    expect(members).not.toContain('p-expired');
    expect(members).toContain('c-expired');
    expect(result.excluded.flatMap((group) => group.expertIds)).not.toContain('c-expired');
    expect(result.excluded).toContainEqual({
      reasons: ['appointment-in-force'],
      expertIds: ['p-expired'],
    });
    expect(verifyDraw(input, result).ok).toBe(true);
  });

  it('refuses the provincial expert whose term ended as the named leader, citing 第十一条', () => {
    const result = selectPanel({
      task: { ...task, leaderId: 'p-expired' },
      experts: pool,
      now: NOW,
      seed: 's',
      ruleSet: county,
    });
    expect(result.ok).toBe(false);
    if (result.ok || result.code !== 'invalid_input') return;
    expect(result.problems[0]).toMatchObject({
      problem: 'leader-ineligible',
      expertId: 'p-expired',
    });
    expect(result.problems[0]?.reasons?.map((r) => r.article)).toEqual(['第十一条']);
  });

  it('accepts the county’s own expired expert as the named leader under its waiver', () => {
    const result = selectPanel({
      task: { ...task, leaderId: 'c-expired' },
      experts: pool,
      now: NOW,
      seed: 's',
      ruleSet: county,
    });
    expect(result.ok && result.leader.expertId).toBe('c-expired');
  });
});

describe('a widened county draw (异地抽取) under the same waiver', () => {
  // A neighbouring county's expert (530103) whose term ended: the waiver is 五华区's, for its
  // own pool, and widening reads the neighbour's pool without loosening anything for it.
  const neighbour = makeExpert('n-expired', {
    ...expired,
    ...best,
    tier: 'county',
    region: '530103',
  });
  const widened = { ...task, widen: ['same_prefecture_counties' as const] };
  const input = {
    task: widened,
    experts: [provincial, own, neighbour, ...makeExperts(4, inTerm)],
    now: NOW,
    seed: 's',
    policy: 'best' as const,
    ruleSet: county,
  };

  it('refuses the neighbouring county’s expired expert but keeps its own (第二十六条, 第十一条)', () => {
    const result = selectPanel(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.members.map((m) => m.expertId)).toContain('c-expired');
    expect(result.excluded).toContainEqual({
      reasons: ['appointment-in-force'],
      expertIds: ['p-expired', 'n-expired'],
    });
    expect(verifyDraw(input, result).ok).toBe(true);
  });

  it('loosens for the same neighbour when the draw did not widen (draws before the ladder replay)', () => {
    const result = selectPanel({ ...input, task });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.excluded.flatMap((group) => group.expertIds)).not.toContain('n-expired');
  });
});
