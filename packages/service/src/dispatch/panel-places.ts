/**
 * An invitation as the panel's places see it: the seat and what the panel constraints read of
 * its expert (employer, industries, whether their title lets them lead, 第五条).
 */
export interface PlaceSeat {
  readonly seatId: number;
  readonly role: 'leader' | 'member';
  readonly employerId: string;
  readonly industries: readonly string[];
  readonly leaderTitled: boolean;
}

/** What a full panel must be: its size, the industries it covers, the employer limit. */
export interface PanelNeeds {
  readonly panelSize: number;
  readonly industries: readonly string[];
  readonly maxMembersPerEmployer: number;
}

/**
 * Whether an expert who accepts may take one of the panel's places beside those already
 * `placed` (first come, first served), keeping the hard constraints of the draw: no more than
 * the panel size, no more than the employer limit from one employer (第五条), the leader's
 * place kept for the leader (组长), and enough places left to cover the industries nobody
 * placed covers yet.
 *
 * @example
 * hasPlaceFor(needs, [leader], member); // true while a place is free and the rest still fits
 */
export function hasPlaceFor(
  needs: PanelNeeds,
  placed: readonly PlaceSeat[],
  candidate: PlaceSeat,
): boolean {
  const after = [...placed, candidate];
  if (after.length > needs.panelSize) return false;
  const sameEmployer = after.filter((seat) => seat.employerId === candidate.employerId).length;
  if (sameEmployer > needs.maxMembersPerEmployer) return false;
  if (!after.some((seat) => seat.role === 'leader') && after.length >= needs.panelSize) {
    return false;
  }
  const uncovered = needs.industries.filter(
    (industry) => !after.some((seat) => seat.industries.includes(industry)),
  );
  return uncovered.length <= needs.panelSize - after.length;
}

/**
 * Whether the accepted seats and the invitations still open can fill the panel without a new
 * invitation: the open ones are tried in order (rank), each taking a place when it fits. Greedy
 * on purpose — it is the order in which a backfill would be needed, and it never says "fills"
 * for a panel that cannot.
 *
 * @example
 * canFill(needs, accepted, stillInvited); // false: invite someone else now
 */
export function canFill(
  needs: PanelNeeds,
  accepted: readonly PlaceSeat[],
  open: readonly PlaceSeat[],
): boolean {
  const placed = [...accepted];
  for (const seat of open) if (hasPlaceFor(needs, placed, seat)) placed.push(seat);
  return placed.length === needs.panelSize;
}

/**
 * Who takes the leader's place when the leader's invitation ends without acceptance and other
 * invitations can still fill the panel: a leader-titled expert, those who accepted first (in
 * the order given), then those still invited (by rank). Null when nobody may lead.
 *
 * @example
 * leaderSuccessor([...accepted, ...invited]); // the first leader-titled seat
 */
export function leaderSuccessor<T extends PlaceSeat>(seats: readonly T[]): T | null {
  return seats.find((seat) => seat.role === 'member' && seat.leaderTitled) ?? null;
}
