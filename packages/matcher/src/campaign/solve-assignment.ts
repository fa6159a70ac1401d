import {
  type AssignmentModel,
  type BuiltNetwork,
  bigMOf,
  buildNetwork,
  gadgetKey,
  type ModelCandidate,
  slotKey,
} from './assignment-network.js';
import { minCostSupplyFlow } from './min-cost-flow.js';

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
  const all = options.dense === true ? model.tasks.map((task) => task.candidates.length) : null;
  const top = solveWithCap(model, model.loadCap, bigM, all);
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
    // Start from the lists the first solve needed: fewer pricing rounds.
    const trial = solveWithCap(model, mid, bigM, top.limit);
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
  readonly limit: readonly number[];
  readonly cost: number;
  readonly rounds: number;
}

function solveWithCap(
  model: AssignmentModel,
  loadCap: number,
  bigM: number,
  start: readonly number[] | null,
): CapSolve {
  const scale = model.scale ?? 1;
  const pairCap = model.pairCap ?? scale;
  // Start from each task's best few; pricing grows the lists where the optimum needs more.
  const limit =
    start !== null
      ? [...start]
      : model.tasks.map((task) =>
          Math.min(task.candidates.length, 2 * Math.ceil((task.seats * scale) / pairCap) + 8),
        );
  const bestFirst = Uint8Array.from(model.tasks, (task) => {
    for (let k = 1; k < task.candidates.length; k++) {
      if (
        (task.candidates[k] as ModelCandidate).weight >
        (task.candidates[k - 1] as ModelCandidate).weight
      )
        return 0;
    }
    return 1;
  });
  for (let rounds = 1; ; rounds++) {
    const built = buildNetwork(model, limit, loadCap, bigM);
    const order = Array.from({ length: built.network.nodeCount }, (_, i) => i);
    const solution = minCostSupplyFlow(built.network, built.source, built.sink, order);
    let grown = false;
    const { potential } = solution;
    // A left-out pair's reduced cost is at least −(M + w) + (lowest potential on its task's
    // side) − (highest potential on the experts' side): once a task's candidates (best first)
    // fall below that, none of the rest can violate.
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
    model.tasks.forEach((task, t) => {
      const from = limit[t] as number;
      const sorted = bestFirst[t] === 1;
      for (let k = from; k < task.candidates.length; k++) {
        const c = task.candidates[k] as ModelCandidate;
        if (sorted && -(bigM + c.weight) + (lowest[t] as number) - highest >= 0) break;
        if (reducedCost(built, potential, t, task.group, c, bigM) < 0) {
          // Grow to the violating pair and beyond, so few rounds are needed.
          limit[t] = Math.min(task.candidates.length, Math.max(k + 1, 4 * from));
          grown = true;
          break;
        }
      }
    });
    if (!grown) return { built, limit, cost: solution.cost, rounds };
  }
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
