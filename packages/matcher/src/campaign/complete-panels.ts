import type { TaskCandidates } from './campaign-candidates.js';
import { personOf } from './campaign-candidates.js';
import { drawTicket, type HeadroomLottery, pickByHeadroom } from './headroom-lottery.js';

/** The campaign's bookings while panels are completed: who sits where, how often. */
export interface CampaignState {
  /** Per task, the members' pool indices. */
  readonly members: number[][];
  /** Persons busy per overlap group: `${person}/${group}`. */
  readonly busy: Set<string>;
  /** Tasks per person. */
  readonly load: Map<number, number>;
}

interface PanelRules {
  readonly maxPerEmployer: number;
  /** Most tasks per person while completing (the solver's min–max load). */
  readonly loadCap: number;
  /**
   * For `randomized`: each swap is drawn among the valid ones within the pairs' probability
   * headroom (see `HeadroomLottery`) instead of taking the best-scored; no draw, no swap.
   */
  readonly lottery?: HeadroomLottery;
}

/**
 * The most steps `completePanel` can take for a task — each industry, the leader title and
 * each named specialty is sought at most once: once met it is kept, once not found it is
 * given up (a hard one ends the completion).
 *
 * @example
 * completionAttempts(candidates); // 2 industries + leader title + 1 specialty = 4
 */
export function completionAttempts(candidates: TaskCandidates): number {
  return (
    candidates.draw.task.industries.length + 1 + Math.min(30, candidates.scoring.specialtyCount)
  );
}

/**
 * The hard requirements one panel still misses — every task industry covered (第十四条), one
 * member with a leader title (local policy; the leader itself is 第五条) — as the first missing
 * industry bit, or −1 for the leader, or 0.
 *
 * @example
 * missingRequirement(candidates, [12, 40]); // 0b10: the task's second industry is uncovered
 */
export function missingRequirement(candidates: TaskCandidates, members: readonly number[]): number {
  const { traits, draw } = candidates;
  const full = (1 << draw.task.industries.length) - 1;
  let cover = 0;
  let leader = false;
  for (const index of members) {
    cover |= traits.coverOf(index);
    leader ||= traits.isLeaderTitled(index);
  }
  const missing = full & ~cover;
  if (missing !== 0) return missing & -missing;
  return leader ? 0 : -1;
}

/** Task specialty bits held by the members. */
export function heldSpecialties(candidates: TaskCandidates, members: readonly number[]): number {
  let held = 0;
  for (const index of members) held |= candidates.traits.specialtiesOf(index);
  return held;
}

/**
 * Completes what the flow cannot express: the industries (第十四条) and the leader title (local policy), both hard,
 * and then each named specialty held by someone eligible (第十四条, before fit). Each step
 * swaps in the best-scored eligible expert who meets the requirement and is free (no
 * overlapping task of the campaign, load below the cap, employer room), for the lowest-scored
 * member whose leaving keeps what is met (under a `lottery`, one drawn among the valid swaps
 * within the probability headroom). Returns the number of swaps; a task whose hard
 * requirements stay unmet is left for the caller to report.
 *
 * @example
 * completePanel(t, candidates, group, state, { maxPerEmployer: 1, loadCap: 2 }); // 1
 */
export function completePanel(
  t: number,
  candidates: TaskCandidates,
  group: number,
  state: CampaignState,
  rules: PanelRules,
): number {
  const members = state.members[t] as number[];
  const { traits, draw } = candidates;
  const pool = draw.pool;
  const wanted = (1 << Math.min(30, candidates.scoring.specialtyCount)) - 1;
  const leaderBit = 1 << draw.task.industries.length;
  let swaps = 0;
  let tried = 0;
  for (let guard = 0; guard < 64; guard++) {
    const need = missingRequirement(candidates, members);
    let specialtyNeed = 0;
    if (need === 0) {
      const missing = wanted & ~heldSpecialties(candidates, members) & ~tried;
      if (missing === 0) return swaps;
      specialtyNeed = missing & -missing;
    }
    const meets = (index: number): boolean =>
      need > 0
        ? (traits.coverOf(index) & need) !== 0
        : need === -1
          ? traits.isLeaderTitled(index)
          : (traits.specialtiesOf(index) & specialtyNeed) !== 0;
    // A swap must keep every requirement met so far and add the one sought.
    const hardBefore =
      satisfied(candidates, members) | (need === -1 ? leaderBit : Math.max(need, 0));
    const softBefore = heldSpecialties(candidates, members) | specialtyNeed;
    const keeps = (after: number[]): boolean =>
      (satisfied(candidates, after) & hardBefore) === hardBefore &&
      (need !== 0 || (heldSpecialties(candidates, after) & softBefore) === softBefore);
    const swap = findSwap(t, candidates, group, state, rules, meets, keeps);
    if (swap === null) {
      if (need !== 0) return swaps;
      tried |= specialtyNeed;
      continue;
    }
    const [incoming, outgoing] = swap;
    const person = personOf(pool, incoming);
    state.busy.add(`${person}/${group}`);
    state.load.set(person, (state.load.get(person) ?? 0) + 1);
    if (outgoing >= 0) {
      const left = personOf(pool, members[outgoing] as number);
      state.busy.delete(`${left}/${group}`);
      state.load.set(left, (state.load.get(left) ?? 1) - 1);
      members[outgoing] = incoming;
    } else {
      members.push(incoming);
    }
    swaps++;
  }
  return swaps;
}

/** The hard requirements met: bit j = the task's j-th industry, bit `industries` = a leader title. */
function satisfied(candidates: TaskCandidates, members: readonly number[]): number {
  const { traits, draw } = candidates;
  let bits = 0;
  for (const index of members) {
    bits |= traits.coverOf(index);
    if (traits.isLeaderTitled(index)) bits |= 1 << draw.task.industries.length;
  }
  return bits;
}

function findSwap(
  t: number,
  candidates: TaskCandidates,
  group: number,
  state: CampaignState,
  rules: PanelRules,
  meets: (index: number) => boolean,
  keeps: (after: number[]) => boolean,
): [number, number] | null {
  const lottery = rules.lottery;
  if (lottery === undefined) {
    let first: [number, number] | null = null;
    forEachSwap(t, candidates, group, state, rules, meets, keeps, (swap) => {
      first = swap;
      return false;
    });
    return first;
  }
  // Every valid swap, in the fixed order, then one draw within the headroom.
  const options: [number, number][] = [];
  forEachSwap(t, candidates, group, state, rules, meets, keeps, (swap) => {
    if (lottery.headroom(swap[0]) > 0) options.push(swap);
    return true;
  });
  return pickByHeadroom(options, (swap) => lottery.headroom(swap[0]), drawTicket(lottery));
}

/**
 * The valid swaps bringing in an expert who meets the requirement, best-scored incoming expert
 * first, one per incoming expert (joining an open seat, else replacing the lowest-scored member
 * whose leaving keeps what is met); `visit` returns false to stop.
 */
function forEachSwap(
  t: number,
  candidates: TaskCandidates,
  group: number,
  state: CampaignState,
  rules: PanelRules,
  meets: (index: number) => boolean,
  keeps: (after: number[]) => boolean,
  visit: (swap: [number, number]) => boolean,
): void {
  const members = state.members[t] as number[];
  const { traits, draw, order, leader } = candidates;
  const pool = draw.pool;
  const seats = draw.task.panelSize;
  const onPanel = new Set(members);
  // Members by ascending score: the first that may leave is the cheapest swap.
  const position = new Map<number, number>();
  for (let k = 0; k < order.length; k++) position.set(order[k] as number, k);
  const leaving = members
    .map((index, slot) => ({ slot, rank: position.get(index) ?? -1, index }))
    .filter((m) => m.index !== leader)
    .sort((a, b) => b.rank - a.rank);
  for (let k = 0; k < order.length; k++) {
    const index = order[k] as number;
    if (onPanel.has(index) || !meets(index)) continue;
    const person = personOf(pool, index);
    if (state.busy.has(`${person}/${group}`)) continue;
    if ((state.load.get(person) ?? 0) >= rules.loadCap) continue;
    const employer = traits.employerOf(index);
    const sameEmployer = members.filter((m) => traits.employerOf(m) === employer).length;
    let swap: [number, number] | null = null;
    if (members.length < seats && sameEmployer < rules.maxPerEmployer) {
      if (keeps([...members, index])) swap = [index, -1];
    }
    for (const m of leaving) {
      if (swap !== null) break;
      const freed = traits.employerOf(m.index) === employer ? 1 : 0;
      if (sameEmployer - freed >= rules.maxPerEmployer) continue;
      const after = members.map((x, slot) => (slot === m.slot ? index : x));
      if (keeps(after)) swap = [index, m.slot];
    }
    if (swap !== null && !visit(swap)) return;
  }
}
