import seedrandom from 'seedrandom';
import { chooseLeader, type RankedMember } from '../choose-leader.js';
import { mix32 } from '../policy-order.js';
import { averageRating, totalScore } from '../score-expert.js';
import type { TaskCandidates } from './campaign-candidates.js';
import type { CampaignTaskPlan, CampaignTotals } from './campaign-types.js';
import { type CampaignState, heldSpecialties } from './complete-panels.js';

/**
 * The plans as records: per task the members (leader first, chosen as `selectPanel` chooses,
 * 第五条), the alternates and the specialty gaps; the load per expert id; and the totals
 * (without the Gini, which the caller adds).
 *
 * @example
 * campaignPlans(perTask, state, alternates, 'seed').plans[0].members[0].role; // 'leader'
 */
export function campaignPlans(
  perTask: readonly TaskCandidates[],
  state: CampaignState,
  alternates: readonly { index: number; replaces: number[] }[][],
  seed: string,
): {
  plans: CampaignTaskPlan[];
  load: Record<string, number>;
  totals: Omit<CampaignTotals, 'gini'>;
} {
  const load: Record<string, number> = {};
  let seats = 0;
  let filled = 0;
  let fit = 0;
  let specialtiesCovered = 0;
  let specialtiesNamed = 0;
  const plans = perTask.map((candidates, t): CampaignTaskPlan => {
    const { draw, scoring, traits } = candidates;
    const { pool, task } = draw;
    const members = state.members[t] as number[];
    const idOf = (index: number): string => pool.ids[index] as string;
    const tieSalt = seedrandom(`${seed}#leader#${task.id}`).int32() >>> 0;
    const ranked: RankedMember[] = members
      .filter((index) => traits.isLeaderTitled(index))
      .map((index) => ({
        expertId: idOf(index),
        title: pool.experts[index]?.title ?? 'none',
        rating: averageRating(scoring, index),
        practiceYears: pool.practiceYears[index] as number,
        tieKey: mix32(((pool.idHash[index] as number) ^ tieSalt) >>> 0),
      }));
    const leader = chooseLeader(ranked, task.leaderId)?.expertId;
    seats += task.panelSize;
    filled += members.length;
    const planMembers = members
      .map((index) => {
        const score = totalScore(scoring, index);
        fit += score;
        load[idOf(index)] = (load[idOf(index)] ?? 0) + 1;
        return {
          expertId: idOf(index),
          role: idOf(index) === leader ? ('leader' as const) : ('member' as const),
          score,
        };
      })
      .sort((a, b) => (a.role === b.role ? 0 : a.role === 'leader' ? -1 : 1));
    const named = [...new Set(task.specialties)].slice(0, 30);
    const held = heldSpecialties(candidates, members);
    const gaps = named.filter((_, j) => (held & (1 << j)) === 0);
    specialtiesNamed += named.length;
    specialtiesCovered += named.length - gaps.length;
    return {
      taskId: task.id,
      members: planMembers,
      alternates: (alternates[t] ?? []).map((a) => ({
        expertId: idOf(a.index),
        score: totalScore(scoring, a.index),
        replaces: a.replaces.map(idOf),
      })),
      specialtyGaps: gaps,
    };
  });
  const maxLoad = Math.max(0, ...Object.values(load));
  return {
    plans,
    load,
    totals: { seats, filled, fit, specialtiesCovered, specialtiesNamed, maxLoad },
  };
}
