import { personOf, type TaskCandidates } from './campaign-candidates.js';
import type { CampaignState } from './complete-panels.js';
import { missingRequirement } from './complete-panels.js';

/**
 * The reserve of one campaign task (备选专家): the best-scored eligible experts not on its panel
 * who would still be free if called — no overlapping task of the campaign, load below the
 * campaign's cap — each with the members they can replace without breaking the employer limit,
 * the industries or the leader title.
 *
 * @example
 * campaignAlternates(candidates, members, group, state, 2, 1); // [{ index: 7, replaces: [12] }]
 */
export function campaignAlternates(
  candidates: TaskCandidates,
  members: readonly number[],
  group: number,
  state: CampaignState,
  loadCap: number,
  maxPerEmployer: number,
): { index: number; replaces: number[] }[] {
  const { order, traits, draw, leader } = candidates;
  const count = draw.task.alternates;
  const onPanel = new Set(members);
  const result: { index: number; replaces: number[] }[] = [];
  for (let k = 0; k < order.length && result.length < count; k++) {
    const index = order[k] as number;
    if (onPanel.has(index)) continue;
    const person = personOf(draw.pool, index);
    if (state.busy.has(`${person}/${group}`)) continue;
    if ((state.load.get(person) ?? 0) >= loadCap) continue;
    const employer = traits.employerOf(index);
    const replaces = members.filter((member) => {
      if (member === leader) return false;
      const after = members.map((x) => (x === member ? index : x));
      const sameEmployer = after.filter((x) => traits.employerOf(x) === employer).length;
      return sameEmployer <= maxPerEmployer && missingRequirement(candidates, after) === 0;
    });
    if (replaces.length > 0) result.push({ index, replaces });
  }
  return result;
}
