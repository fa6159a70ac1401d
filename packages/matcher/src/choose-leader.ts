import { type Title, titles } from '@expert-dispatch/rules';

/** One leader-titled member as the ranking of 第五条 saw them. */
export interface LeaderCandidate {
  readonly expertId: string;
  readonly title: Title;
  /** Smoothed average rating on the 1–5 scale (第二十条（二）). */
  readonly rating: number;
  readonly practiceYears: number;
}

/** How the leader (组长) was chosen, so the choice can be explained (第五条). */
export interface LeaderChoice {
  readonly expertId: string;
  readonly article: '第五条';
  /** `named` when the task named its leader; `ranking` otherwise. */
  readonly basis: 'named' | 'ranking';
  /** The leader-titled members in ranking order, the leader first unless named. */
  readonly ranking: readonly LeaderCandidate[];
}

/** A leader-titled member with the seeded key that breaks full ties. */
export interface RankedMember extends LeaderCandidate {
  readonly tieKey: number;
}

/**
 * Ranks leader-titled members: higher title, then higher rating, then more years of practice,
 * then the seeded key, then the id. The task's named leader, when given, leads regardless.
 *
 * @example
 * chooseLeader(members, undefined).ranking[0].expertId; // the best-ranked senior member
 */
export function chooseLeader(
  members: readonly RankedMember[],
  namedLeaderId: string | undefined,
): LeaderChoice | null {
  const ranked = [...members].sort(compareLeaders);
  const ranking = ranked.map(({ tieKey: _tieKey, ...candidate }) => candidate);
  if (namedLeaderId !== undefined && ranking.some((m) => m.expertId === namedLeaderId)) {
    return { expertId: namedLeaderId, article: '第五条', basis: 'named', ranking };
  }
  const first = ranking[0];
  if (first === undefined) return null;
  return { expertId: first.expertId, article: '第五条', basis: 'ranking', ranking };
}

function compareLeaders(a: RankedMember, b: RankedMember): number {
  return (
    titles.values.indexOf(a.title) - titles.values.indexOf(b.title) ||
    b.rating - a.rating ||
    b.practiceYears - a.practiceYears ||
    a.tieKey - b.tieKey ||
    (a.expertId < b.expertId ? -1 : a.expertId > b.expertId ? 1 : 0)
  );
}
