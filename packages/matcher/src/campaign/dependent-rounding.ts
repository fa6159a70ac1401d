import type { FlowNetwork } from './min-cost-flow.js';

/**
 * Rounds a flow whose values are multiples of 1/`scale` to an integral flow (multiples of
 * `scale`) at random, so that every arc keeps its value as its expected value: the marginals of
 * the fractional assignment become the probabilities of the drawn one (the sampling step of
 * Jecmen et al. 2020, by dependent rounding on the flow). Closed into a circulation by an arc
 * sink → source, the arcs with a fractional value form a graph where every node touches at
 * least two of them, so it holds a cycle; alternately raising and lowering the cycle's arcs by
 * +α (probability β/(α+β)) or −β (probability α/(α+β)) keeps every expectation, keeps every
 * node balanced and every arc between the integers around it (so within its capacity), and
 * makes at least one arc integral. Returns the rounded value (in units of 1/scale) of each
 * forward arc, indexed by arc id.
 *
 * @example
 * const values = roundFlow(network, source, sink, 10, seedrandom('s'));
 * values.get(pairArc) === 10; // the pair is drawn
 */
export function roundFlow(
  network: FlowNetwork,
  source: number,
  sink: number,
  scale: number,
  random: () => number,
): Map<number, number> {
  const arcs: number[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const value: number[] = [];
  let total = 0;
  for (let a = 0; a < network.arcCount; a += 2) {
    const flow = network.flowOn(a);
    arcs.push(a);
    from.push(network.to[a + 1] as number);
    to.push(network.to[a] as number);
    value.push(flow);
    if (network.to[a + 1] === source) total += flow;
  }
  // The arc closing the circulation.
  arcs.push(-1);
  from.push(sink);
  to.push(source);
  value.push(total);

  const fractional = (i: number): boolean => (value[i] as number) % scale !== 0;
  const incident: number[][] = Array.from({ length: network.nodeCount }, () => []);
  const pending: number[] = [];
  for (let i = 0; i < arcs.length; i++) {
    if (!fractional(i)) continue;
    incident[from[i] as number]?.push(i);
    incident[to[i] as number]?.push(i);
    pending.push(i);
  }
  const nextFractional = (node: number, except: number): number => {
    const list = incident[node] as number[];
    for (let k = list.length - 1; k >= 0; k--) {
      const i = list[k] as number;
      if (!fractional(i)) {
        list[k] = list[list.length - 1] as number;
        list.pop();
        continue;
      }
      if (i !== except) return i;
    }
    return -1;
  };

  while (pending.length > 0) {
    const start = pending[pending.length - 1] as number;
    if (!fractional(start)) {
      pending.pop();
      continue;
    }
    const cycle = findCycle(start, from, to, nextFractional);
    let up = Number.POSITIVE_INFINITY;
    let down = Number.POSITIVE_INFINITY;
    for (const { arc, sign } of cycle) {
      const v = value[arc] as number;
      const below = v - Math.floor(v / scale) * scale;
      const above = scale - below;
      up = Math.min(up, sign > 0 ? above : below);
      down = Math.min(down, sign > 0 ? below : above);
    }
    const step = random() * (up + down) < down ? up : -down;
    for (const { arc, sign } of cycle) value[arc] = (value[arc] as number) + sign * step;
  }
  const result = new Map<number, number>();
  arcs.forEach((arc, i) => {
    if (arc >= 0) result.set(arc, value[i] as number);
  });
  return result;
}

/** Walks fractional arcs from `start` until a node repeats; returns that cycle with orientations. */
function findCycle(
  start: number,
  from: readonly number[],
  to: readonly number[],
  nextFractional: (node: number, except: number) => number,
): { arc: number; sign: number }[] {
  const pathNodes: number[] = [from[start] as number];
  const pathArcs: { arc: number; sign: number }[] = [];
  const position = new Map<number, number>([[from[start] as number, 0]]);
  let node = from[start] as number;
  let arc = start;
  for (;;) {
    const sign = from[arc] === node ? 1 : -1;
    const next = sign > 0 ? (to[arc] as number) : (from[arc] as number);
    pathArcs.push({ arc, sign });
    const seen = position.get(next);
    if (seen !== undefined) return pathArcs.slice(seen);
    position.set(next, pathNodes.length);
    pathNodes.push(next);
    node = next;
    arc = nextFractional(node, arc);
    if (arc < 0) throw new Error('a balanced fractional flow has no dead end');
  }
}
