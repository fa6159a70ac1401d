import { CandidateOrder, concatOrders } from './candidate-order.js';

/**
 * 第十四条 (应优先选用更具相应专业特长的专家) under every policy: the order with, first, for each
 * task specialty (in the task's order) the earliest holder in the policy's order that no earlier
 * pick already stands for, then everyone else in the policy's order. So the panel holds the
 * holders before any lottery among the rest; among several holders of one specialty the policy
 * still decides which (best score, weighted lottery, capped sample order). Holders beyond a
 * capped sample are reached too. Cost: a scan of the order until each specialty's first holder.
 *
 * @example
 * specialtyFirstOrder(order, (i) => masks[i], 2, Int32Array.of(1, 0)).at(0); // the only holder of specialty 0
 */
export function specialtyFirstOrder(
  order: CandidateOrder,
  specialtiesOf: (index: number) => number,
  specialtyCount: number,
  holders: Int32Array,
  /** Specialties the fixed members hold already. */
  alreadyHeld = 0,
): CandidateOrder {
  const picks: number[] = [];
  let held = alreadyHeld;
  for (let j = 0; j < specialtyCount; j++) {
    const bit = 1 << j;
    if ((held & bit) !== 0 || (holders[j] ?? 0) === 0) continue;
    for (let k = 0; ; k++) {
      const index = order.at(k);
      if (index < 0) break;
      if ((specialtiesOf(index) & bit) === 0) continue;
      picks.push(index);
      held |= specialtiesOf(index);
      break;
    }
  }
  if (picks.length === 0) return order;
  let next = 0;
  const first = new CandidateOrder(() => (next < picks.length ? (picks[next++] as number) : -1));
  return concatOrders(first, order);
}
