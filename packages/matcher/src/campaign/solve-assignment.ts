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
  const top = solveWithCap(model, model.loadCap, bigM, null);
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
    if (!grown) return { built, limit, cost: solution.cost, rounds };
  }
}

/**
 * Potentials valid for every residual arc and for the arc sink → source of cost 0 (so that a new
 * source→sink path through left-out pairs would show as a negative reduced cost too), and as
 * low as possible near the sink, so that a left-out pair prices out as soon as its task can
 * already reach the sink as cheaply: π' = π − min(R, π(source) − π(sink)), R the reduced
 * distance to the sink. Each residual arc keeps a non-negative reduced cost because R obeys
 * the triangle inequality; the circulation arc gets exactly 0.
 */
function circulationPotential(built: BuiltNetwork, potential: Float64Array): Float64Array {
  const { network, source, sink } = built;
  const drop = (potential[source] as number) - (potential[sink] as number);
  const result = Float64Array.from(potential);
  const toSink = distancesToSink(network, potential, sink);
  for (let v = 0; v < network.nodeCount; v++) {
    result[v] = (result[v] as number) - Math.min(toSink[v] as number, Math.max(drop, 0));
  }
  return result;
}

/** Reduced distances to `sink` along residual arcs (non-negative costs: Dijkstra, backwards). */
function distancesToSink(network: FlowNetwork, potential: Float64Array, sink: number) {
  const n = network.nodeCount;
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const done = new Uint8Array(n);
  const heap = new MinHeap();
  dist[sink] = 0;
  heap.push(sink, 0);
  while (heap.size > 0) {
    const v = heap.pop();
    if (done[v] === 1) continue;
    done[v] = 1;
    for (let b = network.head[v] as number; b !== -1; b = network.next[b] as number) {
      const a = b ^ 1; // the arc u → v
      if ((network.residual[a] as number) <= 0) continue;
      const u = network.to[b] as number;
      const du =
        (dist[v] as number) +
        (network.cost[a] as number) +
        (potential[u] as number) -
        (potential[v] as number);
      if (du < (dist[u] as number)) {
        dist[u] = du;
        heap.push(u, du);
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
