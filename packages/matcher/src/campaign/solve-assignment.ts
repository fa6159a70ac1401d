import {
  type AssignmentModel,
  type BuiltNetwork,
  bigMOf,
  buildNetwork,
  gadgetKey,
  type ModelCandidate,
  slotKey,
} from './assignment-network.js';
import { type FlowNetwork, MinHeap, minCostMaxFlow } from './min-cost-flow.js';

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
 * optimum under `loadCap`). Each solve starts from each task's best candidates only and proves
 * the result optimal for all of them by LP duality: with the final node potentials (made valid
 * also for the circulation arc sink → source), every left-out pair must have a non-negative
 * reduced cost; pairs that do not are added and the solve repeated (column generation).
 *
 * @example
 * const solution = solveAssignment(model); // solution.flows[t] = Map { 0 => 1, 2 => 1 }
 */
export function solveAssignment(model: AssignmentModel): AssignmentSolution {
  const bigM = bigMOf(model);
  const top = solveWithCap(model, model.loadCap, bigM);
  let low = 1;
  let high = model.loadCap;
  let best = top;
  let rounds = top.rounds;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    const trial = solveWithCap(model, mid, bigM);
    rounds += trial.rounds;
    if (trial.cost === top.cost) {
      best = trial;
      high = mid;
    } else {
      low = mid + 1;
    }
  }
  const maxLoad = best === top ? model.loadCap : high;
  return { ...read(model, best.built), maxLoad, rounds, built: best.built };
}

interface CapSolve {
  readonly built: BuiltNetwork;
  readonly cost: number;
  readonly rounds: number;
}

function solveWithCap(model: AssignmentModel, loadCap: number, bigM: number): CapSolve {
  const scale = model.scale ?? 1;
  const pairCap = model.pairCap ?? scale;
  const limit = model.tasks.map((task) =>
    Math.min(task.candidates.length, 2 * Math.ceil((task.seats * scale) / pairCap) + 8),
  );
  for (let rounds = 1; ; rounds++) {
    const built = buildNetwork(model, limit, loadCap, bigM);
    const order = Array.from({ length: built.network.nodeCount }, (_, i) => i);
    const solution = minCostMaxFlow(built.network, built.source, built.sink, order);
    const potential = circulationPotential(built, solution.potential);
    let grown = false;
    model.tasks.forEach((task, t) => {
      const from = limit[t] as number;
      for (let k = from; k < task.candidates.length; k++) {
        const c = task.candidates[k] as ModelCandidate;
        if (reducedCost(built, potential, t, task.group, c, bigM) < 0) {
          // Grow to the violating pair and beyond, so few rounds are needed.
          limit[t] = Math.min(task.candidates.length, Math.max(k + 1, 4 * from));
          grown = true;
          break;
        }
      }
    });
    if (!grown) return { built, cost: solution.cost, rounds };
  }
}

/**
 * Potentials valid for every residual arc and for the arc sink → source of cost 0 (so that
 * also a new source→sink path through left-out pairs would show as a negative reduced cost):
 * lower the source to the sink's potential and carry the decrease along residual arcs.
 */
function circulationPotential(built: BuiltNetwork, potential: Float64Array): Float64Array {
  const { network, source, sink } = built;
  const drop = (potential[source] as number) - (potential[sink] as number);
  const result = Float64Array.from(potential);
  if (drop <= 0) return result;
  const dist = reducedDistances(network, potential, source);
  for (let v = 0; v < network.nodeCount; v++) {
    const d = dist[v] as number;
    if (d < drop) result[v] = (result[v] as number) - (drop - d);
  }
  return result;
}

function reducedDistances(network: FlowNetwork, potential: Float64Array, from: number) {
  // Reduced costs are non-negative on residual arcs: Dijkstra.
  const n = network.nodeCount;
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const done = new Uint8Array(n);
  const heap = new MinHeap();
  dist[from] = 0;
  heap.push(from, 0);
  while (heap.size > 0) {
    const u = heap.pop();
    if (done[u] === 1) continue;
    done[u] = 1;
    for (let a = network.head[u] as number; a !== -1; a = network.next[a] as number) {
      if ((network.residual[a] as number) <= 0) continue;
      const v = network.to[a] as number;
      const dv =
        (dist[u] as number) +
        (network.cost[a] as number) +
        (potential[u] as number) -
        (potential[v] as number);
      if (dv < (dist[v] as number)) {
        dist[v] = dv;
        heap.push(v, dv);
      }
    }
  }
  return dist;
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
