import {
  type Busy,
  type Expert,
  evaluateExpert,
  type RuleSet,
  type Task,
} from '@expert-dispatch/rules';
import { expect } from 'vitest';
import type { PanelSelected } from './select-panel-types.js';

/** The hard constraints of a panel, checked from the outside against plain expert objects. */
export function expectPanelConstraints(
  memberIds: readonly string[],
  experts: readonly Expert[],
  task: Task,
  ruleSet: RuleSet,
): void {
  const byId = new Map(experts.map((expert) => [expert.id, expert]));
  const members = memberIds.map((id) => byId.get(id) as Expert);
  expect(new Set(memberIds).size).toBe(task.panelSize);
  for (const industry of task.industries) {
    expect(
      members.some((m) => m.group === 'comprehensive' || m.industries.includes(industry)),
    ).toBe(true);
  }
  const perEmployer = new Map<string, number>();
  for (const member of members) {
    perEmployer.set(member.employer.id, (perEmployer.get(member.employer.id) ?? 0) + 1);
  }
  for (const count of perEmployer.values()) {
    expect(count).toBeLessThanOrEqual(ruleSet.panel.maxMembersPerEmployer);
  }
  expect(members.some((m) => ruleSet.panel.leaderTitles.includes(m.title))).toBe(true);
}

/** Everything a successful draw promises, checked with the rules package's own evaluation. */
export function expectValidDraw(
  result: PanelSelected,
  experts: readonly Expert[],
  task: Task,
  ruleSet: RuleSet,
  busy: readonly Busy[],
  exclude: readonly string[] = [],
): void {
  const byId = new Map(experts.map((expert) => [expert.id, expert]));
  const memberIds = result.members.map((m) => m.expertId);
  expectPanelConstraints(memberIds, experts, task, ruleSet);
  expect(result.members.filter((m) => m.role === 'leader')).toHaveLength(1);
  const leader = result.members[0];
  expect(leader?.role).toBe('leader');
  expect(ruleSet.panel.leaderTitles).toContain(byId.get(leader?.expertId ?? '')?.title);
  const everyone = [
    ...memberIds,
    ...result.alternates.map((a) => a.expertId),
    ...result.shadows.map((s) => s.expertId),
  ];
  expect(new Set(everyone).size).toBe(everyone.length);
  for (const id of everyone) {
    expect(exclude).not.toContain(id);
    const evaluation = evaluateExpert(byId.get(id) as Expert, task, { busy }, ruleSet);
    expect(evaluation.reasons).toEqual([]);
  }
  for (const shadow of result.shadows) {
    expect(byId.get(shadow.expertId)?.tier).toBe(task.requestedBy.tier);
  }
  expect(result.alternates.length).toBeLessThanOrEqual(task.alternates);
  for (const alternate of result.alternates) {
    expect(alternate.replaces.length).toBeGreaterThan(0);
    for (const replaced of alternate.replaces) {
      const swapped = memberIds.map((id) => (id === replaced ? alternate.expertId : id));
      expectPanelConstraints(swapped, experts, task, ruleSet);
    }
  }
}
