import type { CandidateTraits } from './assemble-panel.js';
import type { CandidateOrder } from './candidate-order.js';

export interface AlternateRequest {
  readonly order: CandidateOrder;
  /** Candidates per kind (`coverage × 2 + leader title`), members included. */
  readonly kindCounts: Int32Array;
  readonly traits: CandidateTraits;
  readonly members: readonly number[];
  readonly count: number;
  readonly maxPerEmployer: number;
  readonly industryCount: number;
}

/** An alternate and the members (by position in `members`) it can replace. */
export interface ChosenAlternate {
  readonly index: number;
  readonly replaces: readonly number[];
}

/**
 * The reserve list (备选专家). Every alternate can replace at least one member without
 * breaking a hard constraint (industries covered, one leader-titled member, the employer
 * limit). First, members in order of fragility — those who alone cover an industry or alone
 * hold a leader title come first — each get the earliest candidate in the policy order that can
 * replace them, where the pool has one; then the list is filled in policy order. So the first
 * alternate replaces the most fragile member, and every member has a replacement when the
 * pool allows and `count` reaches the panel size.
 *
 * @example
 * chooseAlternates(request)[0].replaces; // e.g. [0, 1, 2, 3, 4]
 */
export function chooseAlternates(request: AlternateRequest): ChosenAlternate[] {
  const { order, traits, members, count, maxPerEmployer } = request;
  const full = (1 << request.industryCount) - 1;
  const perEmployer = new Map<number, number>();
  let leaders = 0;
  for (const member of members) {
    const employer = traits.employerOf(member);
    perEmployer.set(employer, (perEmployer.get(employer) ?? 0) + 1);
    if (traits.isLeaderTitled(member)) leaders++;
  }
  // What each member alone brings: the industries nobody else covers, the sole leader title.
  const othersCover = members.map((_, m) =>
    members.reduce((cover, other, o) => (o === m ? cover : cover | traits.coverOf(other)), 0),
  );
  const mustCover = members.map((_, m) => full & ~(othersCover[m] as number));
  const mustLead = members.map((member) => traits.isLeaderTitled(member) && leaders === 1);

  const replaces = (index: number): number[] => {
    const employer = traits.employerOf(index);
    const cover = traits.coverOf(index);
    const leader = traits.isLeaderTitled(index);
    const result: number[] = [];
    members.forEach((member, m) => {
      const room =
        (perEmployer.get(employer) ?? 0) - (traits.employerOf(member) === employer ? 1 : 0);
      if (room >= maxPerEmployer) return;
      if ((cover & (mustCover[m] as number)) !== mustCover[m]) return;
      if (mustLead[m] && !leader) return;
      result.push(m);
    });
    return result;
  };

  // Which members some non-member could replace at all, judged by kinds of candidate.
  const memberSet = new Set(members);
  const kindOf = (index: number): number =>
    traits.coverOf(index) * 2 + (traits.isLeaderTitled(index) ? 1 : 0);
  const kindCounts = Int32Array.from(request.kindCounts);
  for (const index of memberSet)
    kindCounts[kindOf(index)] = (kindCounts[kindOf(index)] as number) - 1;
  const kinds: number[] = [];
  kindCounts.forEach((count, kind) => {
    if (count > 0) kinds.push(kind);
  });
  const replaceable = members.map((_, m) =>
    kinds.some(
      (kind) =>
        ((kind >> 1) & (mustCover[m] as number)) === mustCover[m] &&
        (!(mustLead[m] as boolean) || (kind & 1) === 1),
    ),
  );

  const chosen: ChosenAlternate[] = [];
  const taken = new Set<number>(members);
  const fragility = (m: number): number => popcount(mustCover[m] as number) + (mustLead[m] ? 1 : 0);
  const byFragility = members.map((_, m) => m).sort((a, b) => fragility(b) - fragility(a) || a - b);
  for (const m of byFragility) {
    if (chosen.length >= count) break;
    if (!replaceable[m] || chosen.some((alternate) => alternate.replaces.includes(m))) continue;
    for (let k = 0; ; k++) {
      const index = order.at(k);
      if (index < 0) break;
      if (taken.has(index)) continue;
      const list = replaces(index);
      if (!list.includes(m)) continue;
      chosen.push({ index, replaces: list });
      taken.add(index);
      break;
    }
  }
  for (let k = 0; chosen.length < count; k++) {
    const index = order.at(k);
    if (index < 0) break;
    if (taken.has(index)) continue;
    const list = replaces(index);
    if (list.length === 0) continue;
    chosen.push({ index, replaces: list });
    taken.add(index);
  }
  return chosen;
}

function popcount(value: number): number {
  let count = 0;
  for (let v = value; v !== 0; v &= v - 1) count++;
  return count;
}
