import { FlowNetwork } from './min-cost-flow.js';

/** One candidate of one task in the abstract assignment model. */
export interface ModelCandidate {
  readonly expert: number;
  readonly employer: number;
  /** Integer fit (the score scaled), higher is better. */
  readonly weight: number;
}

/** One task: seats to fill, its overlap group, its candidates best first, members already kept. */
export interface ModelTask {
  readonly seats: number;
  /** Tasks of one group overlap: an expert takes at most one task per group. */
  readonly group: number;
  readonly candidates: readonly ModelCandidate[];
  readonly fixed?: readonly { readonly expert: number; readonly employer: number }[];
}

/** A campaign as a capacitated assignment: who may sit on which panel, at what fit. */
export interface AssignmentModel {
  readonly tasks: readonly ModelTask[];
  readonly expertCount: number;
  /** Most tasks per expert. */
  readonly loadCap: number;
  readonly maxPerEmployer: number;
  /** Per pair, the most flow in units of 1/`scale` (the probability cap q = pairCap/scale). */
  readonly pairCap?: number;
  /** Every capacity is multiplied by it; 1 for the integral problem. */
  readonly scale?: number;
}

/** The network built for a model, with the ids needed to read, price, extend and re-cap it. */
export interface BuiltNetwork {
  readonly network: FlowNetwork;
  readonly source: number;
  readonly sink: number;
  readonly taskNode: Int32Array;
  readonly gadget: Map<number, number>;
  readonly slot: Map<number, number>;
  readonly expertNode: Map<number, number>;
  /** Per expert, its arc to the sink (capacity: the load cap less the kept members' load). */
  readonly expertArc: Map<number, number>;
  /** Per task, the pair arcs and their candidate positions. */
  readonly pairArcs: { readonly arc: number; readonly position: number }[][];
  /** The seat premium M of every pair arc's cost −(M + fit). */
  readonly bigM: number;
  /** Per task, how many of its candidates the network holds. */
  readonly limit: number[];
  /** The per-expert load cap the capacities stand for. */
  readonly loadCap: number;
}

/** Fit never outweighs a seat: one more seat is worth more than any total fit of the campaign. */
export function bigMOf(model: AssignmentModel): number {
  let seats = 0;
  let heaviest = 0;
  for (const task of model.tasks) {
    seats += task.seats;
    for (const c of task.candidates) heaviest = Math.max(heaviest, Math.abs(c.weight));
  }
  return (seats + 1) * (heaviest + 1);
}

export const gadgetKey = (task: number, employer: number): number => task * 2 ** 24 + employer;
export const slotKey = (expert: number, group: number): number => expert * 2 ** 20 + group;

/**
 * Builds the network source → task → (task, employer) → (expert, overlap group) → expert → sink
 * over the first `limit[t]` candidates of each task, with an arc task → sink of cost 0 for each
 * seat that may stay empty (so every seat's unit reaches the sink, filled or not). Why it is exact: the task-side sets (a task,
 * and within it one employer's candidates) form a laminar family, and so do the expert-side sets
 * (an expert, and within it one overlap group); the constraint matrix of two laminar families
 * over the pairs is a network matrix, hence totally unimodular, so the integral optimum is the
 * LP optimum. Pair arcs cost −(M + fit): any extra seat beats any gain in fit.
 *
 * @example
 * const built = buildNetwork(model, limits, model.loadCap);
 */
export function buildNetwork(
  model: AssignmentModel,
  limit: readonly number[],
  loadCap: number,
  bigM = bigMOf(model),
): BuiltNetwork {
  const scale = model.scale ?? 1;
  const pairCap = model.pairCap ?? scale;
  const { fixedLoad, fixedSlots, fixedEmployers } = keptMembers(model);
  // Nodes layer by layer, so that node ids are a topological order.
  const gadgetKeys: number[] = [];
  const gadget = new Map<number, number>();
  const slotKeys: number[] = [];
  const slot = new Map<number, number>();
  const experts: number[] = [];
  const expertNode = new Map<number, number>();
  model.tasks.forEach((task, t) => {
    const end = Math.min(limit[t] ?? 0, task.candidates.length);
    for (let k = 0; k < end; k++) {
      const c = task.candidates[k] as ModelCandidate;
      const g = gadgetKey(t, c.employer);
      if (!gadget.has(g)) gadget.set(g, gadgetKeys.push(g) - 1);
      const s = slotKey(c.expert, task.group);
      if (!slot.has(s)) slot.set(s, slotKeys.push(s) - 1);
      if (!expertNode.has(c.expert)) expertNode.set(c.expert, experts.push(c.expert) - 1);
    }
  });
  const source = 0;
  const taskBase = 1;
  const gadgetBase = taskBase + model.tasks.length;
  const slotBase = gadgetBase + gadgetKeys.length;
  const expertBase = slotBase + slotKeys.length;
  const sink = expertBase + experts.length;
  const network = new FlowNetwork(sink + 1);
  const taskNode = new Int32Array(model.tasks.length);
  model.tasks.forEach((task, t) => {
    taskNode[t] = taskBase + t;
    const seats = Math.max(0, task.seats - (task.fixed?.length ?? 0));
    network.addArc(source, taskBase + t, seats * scale, 0);
    // A seat left empty: cost 0 against −(M + fit) for a filled one, so only when nobody can sit.
    network.addArc(taskBase + t, sink, seats * scale, 0);
  });
  for (const [key, index] of gadget) {
    const t = Math.floor(key / 2 ** 24);
    const employer = key - t * 2 ** 24;
    const room = model.maxPerEmployer - (fixedEmployers[t]?.get(employer) ?? 0);
    network.addArc(taskBase + t, gadgetBase + index, Math.max(0, room) * scale, 0);
    gadget.set(key, gadgetBase + index);
  }
  const pairArcs: { arc: number; position: number }[][] = model.tasks.map(() => []);
  const taken = model.tasks.map((task, t) => Math.min(limit[t] ?? 0, task.candidates.length));
  model.tasks.forEach((task, t) => {
    for (let k = 0; k < (taken[t] as number); k++) {
      const c = task.candidates[k] as ModelCandidate;
      const s = slotKey(c.expert, task.group);
      const capacity = fixedSlots.has(s) ? 0 : pairCap;
      const from = gadget.get(gadgetKey(t, c.employer)) as number;
      const to = slotBase + (slot.get(s) as number);
      const arc = network.addArc(from, to, capacity, -(bigM + c.weight));
      pairArcs[t]?.push({ arc, position: k });
    }
  });
  for (const [key, index] of slot) {
    const expert = Math.floor(key / 2 ** 20);
    const node = expertBase + (expertNode.get(expert) as number);
    network.addArc(slotBase + index, node, scale, 0);
    slot.set(key, slotBase + index);
  }
  const expertArc = new Map<number, number>();
  for (const [expert, index] of expertNode) {
    const room = loadCap - (fixedLoad.get(expert) ?? 0);
    expertArc.set(expert, network.addArc(expertBase + index, sink, Math.max(0, room) * scale, 0));
    expertNode.set(expert, expertBase + index);
  }
  return {
    network,
    source,
    sink,
    taskNode,
    gadget,
    slot,
    expertNode,
    expertArc,
    pairArcs,
    bigM,
    limit: taken,
    loadCap,
  };
}

/** The members kept on panels (a named leader): their load, their slots, their employers. */
function keptMembers(model: AssignmentModel) {
  const fixedLoad = new Map<number, number>();
  const fixedSlots = new Set<number>();
  const fixedEmployers = model.tasks.map((task) => {
    const counts = new Map<number, number>();
    for (const f of task.fixed ?? []) {
      counts.set(f.employer, (counts.get(f.employer) ?? 0) + 1);
      fixedLoad.set(f.expert, (fixedLoad.get(f.expert) ?? 0) + 1);
      fixedSlots.add(slotKey(f.expert, task.group));
    }
    return counts;
  });
  return { fixedLoad, fixedSlots, fixedEmployers };
}

/** Node ids in topological order (source, tasks, gadgets, slots, experts, sink). */
export function topologicalOrder(built: BuiltNetwork): number[] {
  return [
    built.source,
    ...built.taskNode,
    ...built.gadget.values(),
    ...built.slot.values(),
    ...built.expertNode.values(),
    built.sink,
  ];
}

/**
 * Adds to a solved network the candidates up to `limit[t]` (warm start of a pricing round): new
 * nodes take the potential of the node their cost-0 arc leads to (a gadget its task's, an
 * expert the sink's, a slot its expert's), so every new arc but the pair arcs has reduced cost
 * 0; the new pair arcs are returned for the caller to saturate where theirs is negative.
 * Returns the potentials, grown to the new node count.
 *
 * @example
 * const { potential, added } = extendNetwork(built, model, limit, potential);
 */
export function extendNetwork(
  built: BuiltNetwork,
  model: AssignmentModel,
  limit: readonly number[],
  potential: Float64Array,
): { potential: Float64Array; added: number[] } {
  const scale = model.scale ?? 1;
  const pairCap = model.pairCap ?? scale;
  const { network, gadget, slot, expertNode, expertArc, sink, taskNode } = built;
  const { fixedLoad, fixedSlots, fixedEmployers } = keptMembers(model);
  let values = potential;
  const node = (value: number): number => {
    const id = network.addNode();
    if (id >= values.length) {
      const grown = new Float64Array(Math.max(16, values.length * 2));
      grown.set(values);
      values = grown;
    }
    values[id] = value;
    return id;
  };
  const added: number[] = [];
  model.tasks.forEach((task, t) => {
    const end = Math.min(limit[t] ?? 0, task.candidates.length);
    for (let k = built.limit[t] as number; k < end; k++) {
      const c = task.candidates[k] as ModelCandidate;
      const g = gadgetKey(t, c.employer);
      let from = gadget.get(g);
      if (from === undefined) {
        const tNode = taskNode[t] as number;
        from = node(values[tNode] as number);
        const room = model.maxPerEmployer - (fixedEmployers[t]?.get(c.employer) ?? 0);
        network.addArc(tNode, from, Math.max(0, room) * scale, 0);
        gadget.set(g, from);
      }
      let person = expertNode.get(c.expert);
      if (person === undefined) {
        person = node(values[sink] as number);
        const room = built.loadCap - (fixedLoad.get(c.expert) ?? 0);
        expertArc.set(c.expert, network.addArc(person, sink, Math.max(0, room) * scale, 0));
        expertNode.set(c.expert, person);
      }
      const s = slotKey(c.expert, task.group);
      let to = slot.get(s);
      if (to === undefined) {
        to = node(values[person] as number);
        network.addArc(to, person, scale, 0);
        slot.set(s, to);
      }
      const capacity = fixedSlots.has(s) ? 0 : pairCap;
      const arc = network.addArc(from, to, capacity, -(built.bigM + c.weight));
      built.pairArcs[t]?.push({ arc, position: k });
      added.push(arc);
    }
    built.limit[t] = Math.max(built.limit[t] as number, end);
  });
  return { potential: values.subarray(0, network.nodeCount).slice(), added };
}

/**
 * A copy of a solved network with the per-expert cap changed to `loadCap` (warm start of a
 * min–max trial): an expert above the new cap keeps `loadCap` units to the sink and holds the
 * rest as excess, the sink as much in deficit; no residual arc is created, so the potentials
 * stay valid. Returns the copy and the balances to settle.
 *
 * @example
 * const { built: trial, balance } = withLoadCap(best, model, 2);
 */
export function withLoadCap(
  built: BuiltNetwork,
  model: AssignmentModel,
  loadCap: number,
): { built: BuiltNetwork; balance: Float64Array } {
  const scale = model.scale ?? 1;
  const network = built.network.clone();
  const { fixedLoad } = keptMembers(model);
  const balance = new Float64Array(network.nodeCount);
  for (const [expert, arc] of built.expertArc) {
    const room = Math.max(0, loadCap - (fixedLoad.get(expert) ?? 0)) * scale;
    const flow = network.flowOn(arc);
    const kept = Math.min(flow, room);
    network.residual[arc] = room - kept;
    network.residual[arc ^ 1] = kept;
    if (flow > kept) {
      const node = built.expertNode.get(expert) as number;
      balance[node] = (balance[node] as number) + flow - kept;
      balance[built.sink] = (balance[built.sink] as number) - (flow - kept);
    }
  }
  return {
    built: {
      ...built,
      network,
      gadget: new Map(built.gadget),
      slot: new Map(built.slot),
      expertNode: new Map(built.expertNode),
      expertArc: new Map(built.expertArc),
      pairArcs: built.pairArcs.map((list) => [...list]),
      limit: [...built.limit],
      loadCap,
    },
    balance,
  };
}
