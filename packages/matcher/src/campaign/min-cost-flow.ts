/**
 * A residual network for min-cost flow: arcs in pairs (arc `a` and its reverse `a ^ 1`), integer
 * capacities and integer costs (doubles holding integers, exact below 2^53), so that optimality
 * is decided without rounding error.
 *
 * @example
 * const g = new FlowNetwork(2);
 * g.addArc(0, 1, 3, -5);
 * const { flow, cost } = minCostMaxFlow(g, 0, 1); // { flow: 3, cost: -15 }
 */
export class FlowNetwork {
  nodeCount: number;
  arcCount = 0;
  to: Int32Array;
  residual: Int32Array;
  cost: Float64Array;
  next: Int32Array;
  head: Int32Array;

  constructor(nodeCount: number, arcCapacity = 1024) {
    this.nodeCount = nodeCount;
    this.head = new Int32Array(Math.max(nodeCount, 16)).fill(-1);
    this.to = new Int32Array(arcCapacity);
    this.residual = new Int32Array(arcCapacity);
    this.cost = new Float64Array(arcCapacity);
    this.next = new Int32Array(arcCapacity);
  }

  addNode(): number {
    if (this.nodeCount === this.head.length) {
      const head = new Int32Array(this.head.length * 2).fill(-1);
      head.set(this.head);
      this.head = head;
    }
    return this.nodeCount++;
  }

  /** Adds arc u→v and its reverse; returns the forward arc's id. */
  addArc(from: number, to: number, capacity: number, cost: number): number {
    const arc = this.arcCount;
    if (arc + 2 > this.to.length) this.grow();
    this.push(arc, from, to, capacity, cost);
    this.push(arc + 1, to, from, 0, -cost);
    this.arcCount += 2;
    return arc;
  }

  /** The flow on a forward arc. */
  flowOn(arc: number): number {
    return this.residual[arc ^ 1] as number;
  }

  /** An independent copy (arcs, residuals, costs). */
  clone(): FlowNetwork {
    const copy = new FlowNetwork(this.nodeCount, this.to.length);
    copy.arcCount = this.arcCount;
    copy.head = this.head.slice();
    copy.to = this.to.slice();
    copy.residual = this.residual.slice();
    copy.cost = this.cost.slice();
    copy.next = this.next.slice();
    return copy;
  }

  /** Σ flow × cost over the forward arcs. */
  totalCost(): number {
    let total = 0;
    for (let a = 0; a < this.arcCount; a += 2) {
      const flow = this.residual[a + 1] as number;
      if (flow !== 0) total += flow * (this.cost[a] as number);
    }
    return total;
  }

  private push(arc: number, from: number, to: number, capacity: number, cost: number): void {
    this.to[arc] = to;
    this.residual[arc] = capacity;
    this.cost[arc] = cost;
    this.next[arc] = this.head[from] as number;
    this.head[from] = arc;
  }

  private grow(): void {
    const size = this.to.length * 2;
    const to = new Int32Array(size);
    to.set(this.to);
    this.to = to;
    const residual = new Int32Array(size);
    residual.set(this.residual);
    this.residual = residual;
    const cost = new Float64Array(size);
    cost.set(this.cost);
    this.cost = cost;
    const next = new Int32Array(size);
    next.set(this.next);
    this.next = next;
  }
}

export interface FlowSolution {
  readonly flow: number;
  readonly cost: number;
  /** Node potentials: every residual arc has reduced cost `cost + π(u) − π(v) ≥ 0`. */
  readonly potential: Float64Array;
}

/**
 * Successive shortest paths with Johnson potentials and Dijkstra: augments along a cheapest
 * source→sink path until none is left, so the result is a maximum flow of least cost (each
 * augmentation is a cheapest one, the classical optimality argument). Costs may be negative on
 * forward arcs of an acyclic network: the first potentials come from one pass in topological
 * order (Bellman–Ford on a DAG), which `order` lists. One Dijkstra over the whole network per
 * path: the planner uses `minCostSupplyFlow`; this one is the reference the property test
 * (`sparse-pricing.property.test.ts`) checks it against.
 *
 * @example
 * minCostMaxFlow(network, source, sink, topologicalOrder).cost;
 */
export function minCostMaxFlow(
  network: FlowNetwork,
  source: number,
  sink: number,
  order?: readonly number[],
): FlowSolution {
  const n = network.nodeCount;
  const potential = initialPotential(network, source, order);
  const dist = new Float64Array(n);
  const parentArc = new Int32Array(n);
  const done = new Uint8Array(n);
  const heap = new MinHeap();
  let flow = 0;
  let cost = 0;
  for (;;) {
    dist.fill(Number.POSITIVE_INFINITY);
    done.fill(0);
    dist[source] = 0;
    heap.push(source, 0);
    let settledMax = 0;
    while (heap.size > 0) {
      const u = heap.pop();
      if (done[u] === 1) continue;
      done[u] = 1;
      const du = dist[u] as number;
      settledMax = du;
      if (u === sink) break;
      for (let a = network.head[u] as number; a !== -1; a = network.next[a] as number) {
        if ((network.residual[a] as number) <= 0) continue;
        const v = network.to[a] as number;
        const reduced =
          (network.cost[a] as number) + (potential[u] as number) - (potential[v] as number);
        const dv = du + reduced;
        if (dv < (dist[v] as number)) {
          dist[v] = dv;
          parentArc[v] = a;
          heap.push(v, dv);
        }
      }
    }
    heap.clear();
    // Distances capped at the last settled label keep every residual reduced cost ≥ 0, also
    // for the nodes the search did not settle.
    for (let v = 0; v < n; v++) {
      const d = done[v] === 1 ? (dist[v] as number) : settledMax;
      potential[v] = (potential[v] as number) + d;
    }
    if (done[sink] !== 1) break;
    let push = Number.POSITIVE_INFINITY;
    for (let v = sink; v !== source; v = network.to[(parentArc[v] as number) ^ 1] as number) {
      push = Math.min(push, network.residual[parentArc[v] as number] as number);
    }
    for (let v = sink; v !== source; v = network.to[(parentArc[v] as number) ^ 1] as number) {
      const a = parentArc[v] as number;
      network.residual[a] = (network.residual[a] as number) - push;
      network.residual[a ^ 1] = (network.residual[a ^ 1] as number) + push;
      cost += push * (network.cost[a] as number);
    }
    flow += push;
  }
  return { flow, cost, potential };
}

/**
 * Min-cost flow for fixed supplies, by successive shortest paths searched locally: every unit
 * the source would send is first placed on the node it feeds (the source's arcs saturated, each
 * task node holding its seats as excess), then each excess node in turn sends along a cheapest
 * path to the sink (Dijkstra from that node only, reduced costs, stopped at the sink). With
 * reduced costs kept non-negative this is the classical pseudoflow SSP (Ahuja, Magnanti and
 * Orlin, §9.7): any excess node may augment along its own shortest path, so the result is a
 * flow of least cost for the supplies. Each search only visits the nodes nearer than the sink,
 * and only those get a new potential (π += d − D, the usual update shifted by the constant D),
 * so a seat costs what its neighbourhood costs, not the whole network. The first potentials are
 * minus each node's cheapest cost to the sink (so every node that can still take a unit straight
 * to the sink, a free expert, sits at 0, as the free columns of the Hungarian method: a search
 * stops at the first free expert it reaches at no regret). The network must let
 * every unit reach the sink (an arc task → sink of cost 0 for a seat left empty); the potentials
 * returned keep every residual arc's reduced cost `cost + π(u) − π(v)` non-negative, which
 * proves the flow optimal and lets left-out arcs be priced.
 *
 * @example
 * minCostSupplyFlow(network, source, sink, topologicalOrder).cost;
 */
export function minCostSupplyFlow(
  network: FlowNetwork,
  source: number,
  sink: number,
  order?: readonly number[],
): FlowSolution {
  const potential = potentialToSink(network, source, sink, order);
  const balance = new Float64Array(network.nodeCount);
  for (let a = network.head[source] as number; a !== -1; a = network.next[a] as number) {
    const units = network.residual[a] as number;
    if (units <= 0) continue;
    const v = network.to[a] as number;
    balance[v] = (balance[v] as number) + units;
    balance[sink] = (balance[sink] as number) - units;
    network.residual[a] = 0;
    network.residual[a ^ 1] = (network.residual[a ^ 1] as number) + units;
  }
  const flow = settleBalances(network, potential, balance, source);
  return { flow, cost: network.totalCost(), potential };
}

/**
 * Sends every node's excess (`balance > 0`) to nodes in deficit (`balance < 0`) along cheapest
 * paths, one excess node at a time in id order: Dijkstra on reduced costs from that node,
 * stopped at the first node in deficit it settles; the settled nodes' potentials move by
 * d − D. Requires and keeps every residual arc's reduced cost non-negative, so the result is
 * optimal for the balances (pseudoflow SSP). Arcs into `source` are not used (its supplies are
 * fixed). Updates `potential` and `balance` in place; returns the units moved.
 *
 * @example
 * settleBalances(network, potential, balance, source); // after saturating a priced-in arc
 */
export function settleBalances(
  network: FlowNetwork,
  potential: Float64Array,
  balance: Float64Array,
  source: number,
): number {
  const n = network.nodeCount;
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const parentArc = new Int32Array(n);
  const done = new Uint8Array(n);
  const touched: number[] = [];
  const heap = new MinHeap();
  let moved = 0;
  for (let start = 0; start < n; start++) {
    while ((balance[start] as number) > 0) {
      dist[start] = 0;
      touched.push(start);
      heap.push(start, 0);
      let target = -1;
      while (heap.size > 0) {
        const u = heap.pop();
        if (done[u] === 1) continue;
        done[u] = 1;
        if ((balance[u] as number) < 0) {
          target = u;
          break;
        }
        const du = dist[u] as number;
        for (let a = network.head[u] as number; a !== -1; a = network.next[a] as number) {
          if ((network.residual[a] as number) <= 0) continue;
          const v = network.to[a] as number;
          if (v === source || done[v] === 1) continue;
          const dv =
            du + (network.cost[a] as number) + (potential[u] as number) - (potential[v] as number);
          if (dv < (dist[v] as number)) {
            if (dist[v] === Number.POSITIVE_INFINITY) touched.push(v);
            dist[v] = dv;
            parentArc[v] = a;
            heap.push(v, dv);
          }
        }
      }
      heap.clear();
      const far = target >= 0 ? (dist[target] as number) : 0;
      for (const v of touched) {
        if (target >= 0 && done[v] === 1) {
          potential[v] = (potential[v] as number) + (dist[v] as number) - far;
        }
        dist[v] = Number.POSITIVE_INFINITY;
        done[v] = 0;
      }
      touched.length = 0;
      if (target < 0) break;
      let push = Math.min(balance[start] as number, -(balance[target] as number));
      for (let v = target; v !== start; v = network.to[(parentArc[v] as number) ^ 1] as number) {
        push = Math.min(push, network.residual[parentArc[v] as number] as number);
      }
      for (let v = target; v !== start; v = network.to[(parentArc[v] as number) ^ 1] as number) {
        const a = parentArc[v] as number;
        network.residual[a] = (network.residual[a] as number) - push;
        network.residual[a ^ 1] = (network.residual[a ^ 1] as number) + push;
      }
      balance[start] = (balance[start] as number) - push;
      balance[target] = (balance[target] as number) + push;
      moved += push;
    }
  }
  return moved;
}

/**
 * π(v) = −(cheapest cost from v to the sink) over the arcs with room, the source's arcs left
 * out; computed backwards in topological `order` (the nodes in id order without it). A node
 * that cannot reach the sink (an expert already at the cap, and what leads only there) counts
 * as reaching it at a cost above any path's, so every arc with room has `cost + π(u) − π(v) ≥ 0`,
 * arcs into such nodes by a wide margin; π(sink) = 0.
 */
function potentialToSink(
  network: FlowNetwork,
  source: number,
  sink: number,
  order: readonly number[] | undefined,
): Float64Array {
  const n = network.nodeCount;
  let heaviest = 0;
  for (let a = 0; a < network.arcCount; a++) {
    heaviest = Math.max(heaviest, Math.abs(network.cost[a] as number));
  }
  const unreachable = -4 * (heaviest + 1);
  const potential = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const u = order === undefined ? k : (order[k] as number);
    if (u === sink || u === source) continue;
    let best = unreachable;
    for (let a = network.head[u] as number; a !== -1; a = network.next[a] as number) {
      if ((network.residual[a] as number) <= 0) continue;
      const value = (potential[network.to[a] as number] as number) - (network.cost[a] as number);
      if (value > best) best = value;
    }
    potential[u] = best;
  }
  return potential;
}

function initialPotential(
  network: FlowNetwork,
  source: number,
  order: readonly number[] | undefined,
): Float64Array {
  const n = network.nodeCount;
  const potential = new Float64Array(n);
  if (order === undefined) return potential;
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  dist[source] = 0;
  for (const u of order) {
    const du = dist[u] as number;
    if (!Number.isFinite(du)) continue;
    for (let a = network.head[u] as number; a !== -1; a = network.next[a] as number) {
      if ((network.residual[a] as number) <= 0) continue;
      const v = network.to[a] as number;
      const dv = du + (network.cost[a] as number);
      if (dv < (dist[v] as number)) dist[v] = dv;
    }
  }
  let worst = 0;
  for (let v = 0; v < n; v++)
    if (Number.isFinite(dist[v])) worst = Math.max(worst, dist[v] as number);
  for (let v = 0; v < n; v++) potential[v] = Number.isFinite(dist[v]) ? (dist[v] as number) : worst;
  return potential;
}

/** A binary heap of (node, key) with lazy deletion: a node may be pushed again with a lower key. */
export class MinHeap {
  private nodes: number[] = [];
  private keys: number[] = [];
  get size(): number {
    return this.nodes.length;
  }
  clear(): void {
    this.nodes.length = 0;
    this.keys.length = 0;
  }
  push(node: number, key: number): void {
    const nodes = this.nodes;
    const keys = this.keys;
    let i = nodes.length;
    nodes.push(node);
    keys.push(key);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((keys[p] as number) <= key) break;
      nodes[i] = nodes[p] as number;
      keys[i] = keys[p] as number;
      i = p;
    }
    nodes[i] = node;
    keys[i] = key;
  }
  pop(): number {
    const nodes = this.nodes;
    const keys = this.keys;
    const top = nodes[0] as number;
    const lastNode = nodes.pop() as number;
    const lastKey = keys.pop() as number;
    const size = nodes.length;
    if (size > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        const c = r < size && (keys[r] as number) < (keys[l] as number) ? r : l;
        if ((keys[c] as number) >= lastKey) break;
        nodes[i] = nodes[c] as number;
        keys[i] = keys[c] as number;
        i = c;
      }
      nodes[i] = lastNode;
      keys[i] = lastKey;
    }
    return top;
  }
}
