import {
  type AssignmentModel,
  type BuiltNetwork,
  bigMOf,
  buildNetwork,
  extendNetwork,
  gadgetKey,
  type ModelCandidate,
  slotKey,
  topologicalOrder,
  withLoadCap,
} from './assignment-network.js';
import { minCostSupplyFlow, settleBalances } from './min-cost-flow.js';

/** The optimum of an assignment model. */
export interface AssignmentSolution {
  /** Per task, per candidate position taken, the flow in units of 1/scale. */
  readonly flows: readonly Map<number, number>[];
  /** Seats filled (in units of 1/scale). */
  readonly seats: number;
  /** Total fit (in units of 1/scale times the integer weights). */
  readonly fit: number;
  /** The smallest per-expert load cap under which seats and fit stay optimal. */
  readonly maxLoad: number;
  /** Pricing rounds: how often the candidate lists had to grow for the optimum to be proven. */
  readonly rounds: number;
  /** The solved network, for the rounding of a fractional optimum. */
  readonly built: BuiltNetwork;
}

/**
 * Solves the model exactly, lexicographically: most seats, then most fit, then the lightest
 * heaviest load (binary search on the expert cap: the smallest cap whose optimum equals the
 * optimum under `loadCap`). Each solve starts from each task's best candidates only (sparse)
 * and proves the result optimal for all of them by LP duality: with the final node potentials
 * every left-out pair must have a non-negative reduced cost (an absent node takes the potential
 * of the node its zero-cost arc leads to, which keeps that arc at reduced cost 0); pairs that
 * do not are added and the solve repeated (column generation). `dense` puts every candidate
 * in the network from the start (one round; the reference the sparse solve is tested against).
 *
 * @example
 * const solution = solveAssignment(model); // solution.flows[t] = Map { 0 => 1, 2 => 1 }
 */
export function solveAssignment(
  model: AssignmentModel,
  options: { readonly dense?: boolean } = {},
): AssignmentSolution {
  const bigM = bigMOf(model);
  const dense = options.dense === true;
  const first = model.tasks.map((task) =>
    dense
      ? task.candidates.length
      : Math.min(
          task.candidates.length,
          2 * Math.ceil((task.seats * (model.scale ?? 1)) / (model.pairCap ?? model.scale ?? 1)) +
            8,
        ),
  );
  const top = solveWithCap(model, model.loadCap, bigM, { limit: first });
  let rounds = top.rounds;
  let best = top;
  // The answer is at most the heaviest load of the first optimum; most often exactly it, so
  // that cap minus one is tried first (one more solve), then a binary search below it.
  let high = heaviestLoad(model, top.built);
  let low = 1;
  let probe = high - 1;
  while (low < high) {
    const mid = probe > 0 ? probe : Math.floor((low + high) / 2);
    probe = 0;
    // Warm: the best solution so far with its cap lowered (dense: from scratch, the reference).
    const trial = solveWithCap(model, mid, bigM, dense ? { limit: first } : { from: best });
    rounds += trial.rounds;
    if (trial.cost === top.cost) {
      best = trial;
      high = mid;
    } else {
      low = mid + 1;
    }
  }
  return { ...read(model, best.built), maxLoad: high, rounds, built: best.built };
}

/** The heaviest load (tasks per expert, kept members included) in a solved network, rounded up. */
function heaviestLoad(model: AssignmentModel, built: BuiltNetwork): number {
  const scale = model.scale ?? 1;
  const load = new Map<number, number>();
  model.tasks.forEach((task, t) => {
    for (const f of task.fixed ?? []) load.set(f.expert, (load.get(f.expert) ?? 0) + scale);
    for (const { arc, position } of built.pairArcs[t] ?? []) {
      const flow = built.network.flowOn(arc);
      if (flow <= 0) continue;
      const expert = (task.candidates[position] as ModelCandidate).expert;
      load.set(expert, (load.get(expert) ?? 0) + flow);
    }
  });
  let heaviest = 0;
  for (const units of load.values()) heaviest = Math.max(heaviest, units);
  return Math.max(1, Math.min(model.loadCap, Math.ceil(heaviest / scale)));
}

interface CapSolve {
  readonly built: BuiltNetwork;
  readonly potential: Float64Array;
  readonly cost: number;
  readonly rounds: number;
}

/**
 * The optimum under one load cap, from scratch over each task's first `limit` candidates, or
 * warm from a solved network (its cap changed, see `withLoadCap`). Each pricing round adds the
 * candidates up to the violations to the same network (`extendNetwork`), saturates the new
 * pairs whose reduced cost is negative (their reverse arcs then have a positive one, so the
 * potentials stay valid) and settles the excess and deficit this leaves (`settleBalances`).
 */
function solveWithCap(
  model: AssignmentModel,
  loadCap: number,
  bigM: number,
  start: { readonly limit: readonly number[] } | { readonly from: CapSolve },
): CapSolve {
  let built: BuiltNetwork;
  let potential: Float64Array;
  if ('from' in start) {
    const capped = withLoadCap(start.from.built, model, loadCap);
    built = capped.built;
    potential = Float64Array.from(start.from.potential);
    settleBalances(built.network, potential, capped.balance, built.source);
  } else {
    built = buildNetwork(model, start.limit, loadCap, bigM);
    const order = topologicalOrder(built);
    potential = minCostSupplyFlow(built.network, built.source, built.sink, order).potential;
  }
  const bestFirst = sortedTasks(model);
  for (let rounds = 1; ; rounds++) {
    const limit = grownLimits(model, built, potential, bigM, bestFirst);
    if (limit === null) return { built, potential, cost: built.network.totalCost(), rounds };
    const extended = extendNetwork(built, model, limit, potential);
    potential = extended.potential;
    const { network } = built;
    const balance = new Float64Array(network.nodeCount);
    for (const arc of extended.added) {
      const from = network.to[arc ^ 1] as number;
      const to = network.to[arc] as number;
      const reduced =
        (network.cost[arc] as number) + (potential[from] as number) - (potential[to] as number);
      const room = network.residual[arc] as number;
      if (reduced >= 0 || room <= 0) continue;
      network.residual[arc] = 0;
      network.residual[arc ^ 1] = (network.residual[arc ^ 1] as number) + room;
      balance[to] = (balance[to] as number) + room;
      balance[from] = (balance[from] as number) - room;
    }
    settleBalances(network, potential, balance, built.source);
  }
}

/** Per task, 1 when its candidates are best first (non-increasing weight). */
function sortedTasks(model: AssignmentModel): Uint8Array {
  return Uint8Array.from(model.tasks, (task) => {
    for (let k = 1; k < task.candidates.length; k++) {
      const before = task.candidates[k - 1] as ModelCandidate;
      if ((task.candidates[k] as ModelCandidate).weight > before.weight) return 0;
    }
    return 1;
  });
}

/**
 * Pricing: the candidate lists grown where a left-out pair has a negative reduced cost (to the
 * violation and at least ×4), or null when none has — the flow is then optimal over every pair.
 * A left-out pair's reduced cost is at least −(M + w) + (lowest potential on its task's side) −
 * (highest potential on the experts' side): once a task's candidates (best first) fall below
 * that, none of the rest can violate.
 */
function grownLimits(
  model: AssignmentModel,
  built: BuiltNetwork,
  potential: Float64Array,
  bigM: number,
  bestFirst: Uint8Array,
): number[] | null {
  let highest = potential[built.sink] as number;
  for (const node of built.slot.values()) highest = Math.max(highest, potential[node] as number);
  for (const node of built.expertNode.values()) {
    highest = Math.max(highest, potential[node] as number);
  }
  const lowest = Float64Array.from(built.taskNode, (node) => potential[node] as number);
  for (const [key, node] of built.gadget) {
    const t = Math.floor(key / 2 ** 24);
    lowest[t] = Math.min(lowest[t] as number, potential[node] as number);
  }
  const limit = [...built.limit];
  let grown = false;
  model.tasks.forEach((task, t) => {
    const from = limit[t] as number;
    const sorted = bestFirst[t] === 1;
    for (let k = from; k < task.candidates.length; k++) {
      const c = task.candidates[k] as ModelCandidate;
      if (sorted && -(bigM + c.weight) + (lowest[t] as number) - highest >= 0) break;
      if (reducedCost(built, potential, t, task.group, c, bigM) < 0) {
        limit[t] = Math.min(task.candidates.length, Math.max(k + 1, 4 * from));
        grown = true;
        break;
      }
    }
  });
  return grown ? limit : null;
}

/** Reduced cost of a left-out pair; absent nodes take the potential of their neighbour. */
function reducedCost(
  built: BuiltNetwork,
  potential: Float64Array,
  t: number,
  group: number,
  c: ModelCandidate,
  bigM: number,
): number {
  const upstream = built.gadget.get(gadgetKey(t, c.employer)) ?? (built.taskNode[t] as number);
  const downstream =
    built.slot.get(slotKey(c.expert, group)) ?? built.expertNode.get(c.expert) ?? built.sink;
  return -(bigM + c.weight) + (potential[upstream] as number) - (potential[downstream] as number);
}

function read(model: AssignmentModel, built: BuiltNetwork) {
  let seats = 0;
  let fit = 0;
  const flows = model.tasks.map((task, t) => {
    const taken = new Map<number, number>();
    for (const { arc, position } of built.pairArcs[t] ?? []) {
      const flow = built.network.flowOn(arc);
      if (flow <= 0) continue;
      taken.set(position, flow);
      seats += flow;
      fit += flow * (task.candidates[position] as ModelCandidate).weight;
    }
    return taken;
  });
  return { flows, seats, fit };
}
