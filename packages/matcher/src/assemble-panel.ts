import type { CandidateOrder } from './candidate-order.js';

/** What assembling a panel needs to know about a candidate (by pool index). */
export interface CandidateTraits {
  /** Number of interned employers: `employerOf` is below it. */
  readonly employerCount: number;
  readonly employerOf: (index: number) => number;
  /** Task-local industry coverage: bit j = the task's j-th industry. */
  readonly coverOf: (index: number) => number;
  readonly isLeaderTitled: (index: number) => boolean;
  /** Task-local specialty bits the candidate holds. */
  readonly specialtiesOf: (index: number) => number;
}

export interface AssemblyRequest {
  readonly order: CandidateOrder;
  /** Every eligible candidate, for the feasibility checks (pool indices). */
  readonly candidates: Int32Array;
  /** Candidates per kind (`coverage × 2 + leader title`), fixed members included. */
  readonly kindCounts: Int32Array;
  readonly traits: CandidateTraits;
  readonly panelSize: number;
  readonly maxPerEmployer: number;
  readonly industryCount: number;
  readonly specialtyCount: number;
  /** Eligible candidates holding each task specialty (task-local bit), fixed ones included. */
  readonly specialtyHolders: Int32Array;
  /** Members kept from the caller (already checked eligible), the named leader among them. */
  readonly fixed: readonly number[];
  /** Positions of the order the specialty stage may reach (the capped sample), or Infinity. */
  readonly specialtyReach: number;
}

/** A constraint the pool cannot meet. */
export type UnmetConstraint =
  | { readonly constraint: 'panel-size'; readonly needed: number; readonly available: number }
  | { readonly constraint: 'industry-coverage'; readonly industries: readonly number[] }
  | { readonly constraint: 'leader' }
  | { readonly constraint: 'composition'; readonly needed: number; readonly available: number }
  | { readonly constraint: 'employer-limit' };

export type Assembly =
  | { readonly ok: true; readonly members: readonly number[]; readonly specialtyGaps: number }
  | { readonly ok: false; readonly unmet: readonly UnmetConstraint[] };

/**
 * Builds a panel from a policy's order under the constraints of 第五条 and 第十四条:
 * 1. the fixed members; 2. the hard requirements — every task industry covered, one member
 * with a leader title — each met by the earliest candidate in the order that meets the first
 * unmet one, backtracking over distinct kinds of candidate when a choice leads nowhere;
 * 3. each uncovered specialty, in the task's order, by the earliest candidate holding it while
 * seats remain; 4. the remaining seats in order. The employer limit holds throughout.
 *
 * @example
 * assemblePanel(request); // { ok: true, members: [12, 40, 7], specialtyGaps: 0 }
 */
export function assemblePanel(request: AssemblyRequest): Assembly {
  const { order, traits, panelSize, maxPerEmployer } = request;
  const full = (1 << request.industryCount) - 1;
  const { unmet, kinds } = checkFeasibility(request, full);
  if (unmet.length > 0) return { ok: false, unmet };

  const chosen = new Set<number>();
  const members: number[] = [];
  const perEmployer = new Map<number, number>();
  let covered = 0;
  let leaders = 0;
  const add = (index: number): void => {
    chosen.add(index);
    members.push(index);
    const employer = traits.employerOf(index);
    perEmployer.set(employer, (perEmployer.get(employer) ?? 0) + 1);
  };
  const remove = (index: number): void => {
    chosen.delete(index);
    members.pop();
    const employer = traits.employerOf(index);
    perEmployer.set(employer, (perEmployer.get(employer) ?? 1) - 1);
  };
  const hasRoom = (index: number): boolean =>
    (perEmployer.get(traits.employerOf(index)) ?? 0) < maxPerEmployer;
  for (const index of request.fixed) {
    add(index);
    covered |= traits.coverOf(index);
    if (traits.isLeaderTitled(index)) leaders++;
  }

  // Stage 2: depth-first over the requirements; at each step one try per kind of candidate.
  const meet = (coveredNow: number, leaderNow: boolean): boolean => {
    if (coveredNow === full && leaderNow) return true;
    const seats = panelSize - members.length;
    if (seats === 0) return false;
    const missing = full & ~coveredNow;
    const need = missing & -missing;
    const tried = new Set<number>();
    let possible = 0;
    for (const kind of kinds.keys()) {
      if (need !== 0 ? ((kind >> 1) & need) !== 0 : (kind & 1) === 1) possible++;
    }
    for (let k = 0; tried.size < possible; k++) {
      const index = order.at(k);
      if (index < 0) return false;
      if (chosen.has(index) || !hasRoom(index)) continue;
      const cover = traits.coverOf(index);
      const leader = traits.isLeaderTitled(index);
      if (need !== 0 ? (cover & need) === 0 : !leader) continue;
      if (seats === 1 && ((coveredNow | cover) !== full || !(leaderNow || leader))) continue;
      const kind = cover * 2 + (leader ? 1 : 0);
      if (tried.has(kind)) continue;
      tried.add(kind);
      add(index);
      if (meet(coveredNow | cover, leaderNow || leader)) return true;
      remove(index);
    }
    return false;
  };
  if (!meet(covered, leaders > 0)) return { ok: false, unmet: [{ constraint: 'employer-limit' }] };
  for (const index of members) covered |= traits.coverOf(index);

  // Stage 3: specialties where the pool allows.
  let specialties = 0;
  for (const index of members) specialties |= traits.specialtiesOf(index);
  for (let j = 0; j < request.specialtyCount && members.length < panelSize; j++) {
    const bit = 1 << j;
    if (specialties & bit) continue;
    // Stop once every holder has been passed: nobody further on has it.
    const holders = request.specialtyHolders[j] ?? 0;
    let passed = 0;
    for (let k = 0; k < request.specialtyReach && passed < holders; k++) {
      const index = order.at(k);
      if (index < 0) break;
      if ((traits.specialtiesOf(index) & bit) === 0) continue;
      passed++;
      if (chosen.has(index) || !hasRoom(index)) continue;
      add(index);
      specialties |= traits.specialtiesOf(index);
      break;
    }
  }

  // Stage 4: the remaining seats.
  for (let k = 0; members.length < panelSize; k++) {
    const index = order.at(k);
    if (index < 0) break;
    if (!chosen.has(index) && hasRoom(index)) add(index);
  }
  if (members.length < panelSize) {
    return {
      ok: false,
      unmet: [{ constraint: 'panel-size', needed: panelSize, available: members.length }],
    };
  }
  const wanted = request.specialtyCount >= 31 ? -1 : (1 << request.specialtyCount) - 1;
  return { ok: true, members, specialtyGaps: wanted & ~specialties };
}

/**
 * Decides from counts alone — seats per employer, candidates per kind of coverage — whether the
 * hard requirements can be met, and names the ones that cannot.
 */
function checkFeasibility(
  request: AssemblyRequest,
  full: number,
): { unmet: UnmetConstraint[]; kinds: ReadonlyMap<number, number> } {
  const { traits, candidates, fixed, panelSize, maxPerEmployer } = request;
  const perEmployer = new Int32Array(traits.employerCount);
  const kindCounts = Int32Array.from(request.kindCounts);
  let covered = 0;
  let leader = false;
  for (const index of fixed) {
    const cover = traits.coverOf(index);
    const isLeader = traits.isLeaderTitled(index);
    covered |= cover;
    leader ||= isLeader;
    const kind = cover * 2 + (isLeader ? 1 : 0);
    kindCounts[kind] = (kindCounts[kind] as number) - 1;
  }
  let seats = 0;
  for (let k = 0; k < candidates.length; k++) {
    const employer = traits.employerOf(candidates[k] as number);
    const count = (perEmployer[employer] as number) + 1;
    perEmployer[employer] = count;
    if (count <= maxPerEmployer) seats++;
  }
  let coverable = covered;
  let leaderAvailable = leader;
  const kinds = new Map<number, number>();
  kindCounts.forEach((count, kind) => {
    if (count <= 0) return;
    kinds.set(kind, count);
    coverable |= kind >> 1;
    leaderAvailable ||= (kind & 1) === 1;
  });
  const unmet: UnmetConstraint[] = [];
  if (seats < panelSize)
    unmet.push({ constraint: 'panel-size', needed: panelSize, available: seats });
  const uncoverable = full & ~coverable;
  if (uncoverable !== 0) {
    const industries: number[] = [];
    for (let j = 0; j < request.industryCount; j++) if (uncoverable & (1 << j)) industries.push(j);
    unmet.push({ constraint: 'industry-coverage', industries });
  }
  if (!leaderAvailable) unmet.push({ constraint: 'leader' });
  if (unmet.length > 0) return { unmet, kinds };
  const needed = fewestSeats(kinds, full, covered, leader);
  if (needed > panelSize - fixed.length) {
    unmet.push({ constraint: 'composition', needed: needed + fixed.length, available: panelSize });
  }
  return { unmet, kinds };
}

/**
 * The fewest extra members whose coverage completes the industries and supplies a leader:
 * a search over kinds of candidate (coverage, leader title), dominated kinds dropped, branching
 * only on kinds that meet the first unmet requirement.
 */
function fewestSeats(
  kinds: ReadonlyMap<number, number>,
  full: number,
  covered: number,
  leader: boolean,
): number {
  const all = [...kinds.keys()];
  const dominates = (a: number, b: number): boolean =>
    a !== b && ((b >> 1) & ~(a >> 1)) === 0 && (b & 1) <= (a & 1);
  const list = all
    .filter((kind) => !all.some((other) => dominates(other, kind)))
    .sort((a, b) => popcountSmall(b) - popcountSmall(a) || a - b);
  let best = Number.POSITIVE_INFINITY;
  const search = (coveredNow: number, leaderNow: boolean, used: number): void => {
    if (coveredNow === full && leaderNow) {
      best = Math.min(best, used);
      return;
    }
    if (used + 1 >= best) return;
    const missing = full & ~coveredNow;
    const need = missing & -missing;
    for (const kind of list) {
      const meets = need !== 0 ? ((kind >> 1) & need) !== 0 : (kind & 1) === 1;
      if (meets) search(coveredNow | (kind >> 1), leaderNow || (kind & 1) === 1, used + 1);
    }
  };
  search(covered, leader, 0);
  return best;
}

function popcountSmall(value: number): number {
  let count = 0;
  for (let v = value; v !== 0; v &= v - 1) count++;
  return count;
}
