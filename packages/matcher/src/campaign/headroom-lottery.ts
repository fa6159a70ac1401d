/**
 * How a `randomized` campaign completes a panel without breaking the probability cap q. Each
 * task's pair (task, expert) is on the rounded panel with probability exactly its fractional
 * flow x (dependent rounding keeps marginals), so it has a headroom h = q − x. A panel is
 * completed in at most `attempts` steps (each hard requirement and each named specialty is
 * sought at most once, see `completePanel`); at each step the options — the valid swaps, one per
 * incoming expert, in a fixed order — get consecutive intervals of h/attempts on [0, 1), and
 * one fresh uniform draw picks the option whose interval holds it, or none. Whatever the
 * state, an expert is then swapped in at one step with probability at most h/attempts, so over
 * all steps with probability at most h, and the pair's final probability is at most x + h = q.
 *
 * Everything is in integer units of 1/scale (x and q are multiples of it), so the bound holds
 * exactly: the draw is an integer in [0, attempts·scale) and an option takes as many integers
 * as its headroom units.
 */
export interface HeadroomLottery {
  /** Headroom of a pool index for this task: pairCap − its fractional flow, in units of 1/scale. */
  readonly headroom: (index: number) => number;
  /** The most steps that can draw for this task. */
  readonly attempts: number;
  readonly scale: number;
  /** Uniform on [0, 1), a stream of this task only, independent of the rounding. */
  readonly random: () => number;
}

/**
 * The option a draw `ticket` in [0, attempts·scale) falls on: options take consecutive runs of
 * integers, each as many as its headroom units; a ticket past the last run picks none.
 *
 * @example
 * pickByHeadroom([3, 9], (o) => (o === 3 ? 2 : 1), 1); // 3 (tickets 0 and 1 are option 3's)
 * pickByHeadroom([3, 9], (o) => (o === 3 ? 2 : 1), 3); // null (ticket 2 is 9's, 3 nobody's)
 */
export function pickByHeadroom<T>(
  options: readonly T[],
  units: (option: T) => number,
  ticket: number,
): T | null {
  let edge = 0;
  for (const option of options) {
    edge += Math.max(0, Math.floor(units(option)));
    if (ticket < edge) return option;
  }
  return null;
}

/** One step's ticket: an integer uniform on [0, attempts·scale). */
export function drawTicket(lottery: HeadroomLottery): number {
  const total = lottery.attempts * lottery.scale;
  return Math.min(total - 1, Math.floor(lottery.random() * total));
}
