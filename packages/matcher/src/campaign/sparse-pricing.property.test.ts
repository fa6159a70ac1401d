import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AssignmentModel, buildNetwork, type ModelTask } from './assignment-network.js';
import { minCostMaxFlow } from './min-cost-flow.js';
import { solveAssignment } from './solve-assignment.js';

/**
 * Campaigns too big for brute force and with candidate lists longer than the first sparse
 * lists (2·seats + 8), many experts wanted by several tasks, so pricing has to add pairs;
 * integral (scale 1) or with a per-pair cap q = pairCap/scale.
 */
const modelArbitrary: fc.Arbitrary<AssignmentModel> = fc
  .record({
    taskCount: fc.integer({ min: 2, max: 16 }),
    expertCount: fc.integer({ min: 10, max: 50 }),
    employers: fc.integer({ min: 3, max: 20 }),
    groups: fc.integer({ min: 1, max: 3 }),
    loadCap: fc.integer({ min: 1, max: 2 }),
    maxPerEmployer: fc.integer({ min: 1, max: 2 }),
    fraction: fc.constantFrom(null, [1, 2], [1, 3], [2, 5]),
    seed: fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 64, maxLength: 64 }),
  })
  .map(({ taskCount, expertCount, employers, groups, loadCap, maxPerEmployer, fraction, seed }) => {
    let cursor = 0;
    const next = (): number => {
      const value = seed[cursor % seed.length] as number;
      cursor++;
      return (value * 2654435761 + cursor * 40503) % 1_000_003;
    };
    const employerOf = Array.from({ length: expertCount }, () => next() % employers);
    // A common quality per expert plus a task-specific part: the same experts are wanted
    // everywhere, as in a real pool.
    const quality = Array.from({ length: expertCount }, () => next() % 2000);
    const tasks: ModelTask[] = Array.from({ length: taskCount }, () => {
      const candidates = [];
      for (let e = 0; e < expertCount; e++) {
        if (next() % 10 === 0) continue; // ineligible for this task
        const weight = (quality[e] as number) + (next() % 200);
        candidates.push({ expert: e, employer: employerOf[e] as number, weight });
      }
      candidates.sort((a, b) => b.weight - a.weight || a.expert - b.expert);
      return { seats: 1 + (next() % 3), group: next() % groups, candidates };
    });
    const scaled = fraction === null ? {} : { pairCap: fraction[0], scale: fraction[1] };
    return { tasks, expertCount, loadCap, maxPerEmployer, ...scaled };
  });

/** The optimum by the global SSP (one Dijkstra from the source per path) on the full network. */
function reference(model: AssignmentModel) {
  const all = model.tasks.map((task) => task.candidates.length);
  const built = buildNetwork(model, all, model.loadCap);
  const order = Array.from({ length: built.network.nodeCount }, (_, i) => i);
  minCostMaxFlow(built.network, built.source, built.sink, order);
  let seats = 0;
  let fit = 0;
  model.tasks.forEach((task, t) => {
    for (const { arc, position } of built.pairArcs[t] ?? []) {
      const flow = built.network.flowOn(arc);
      seats += flow;
      fit += flow * (task.candidates[position]?.weight ?? 0);
    }
  });
  return { seats, fit };
}

describe('solveAssignment, sparse with pricing', () => {
  it('equals the dense solve and the global successive-shortest-paths optimum on random campaigns', () => {
    let priced = 0;
    fc.assert(
      fc.property(modelArbitrary, (model) => {
        const sparse = solveAssignment(model);
        const dense = solveAssignment(model, { dense: true });
        const global = reference(model);
        expect(sparse.seats).toBe(dense.seats);
        expect(sparse.fit).toBe(dense.fit);
        expect(sparse.maxLoad).toBe(dense.maxLoad);
        expect({ seats: dense.seats, fit: dense.fit }).toEqual(global);
        const grown = model.tasks.some((task, t) => {
          const first = 2 * Math.ceil((task.seats * (model.scale ?? 1)) / (model.pairCap ?? 1)) + 8;
          return (sparse.built.pairArcs[t]?.length ?? 0) > Math.min(first, task.candidates.length);
        });
        if (grown) priced++;
      }),
      { numRuns: 150, seed: 20261203 },
    );
    // The property is about pricing: many instances needed pairs beyond the first lists.
    expect(priced).toBeGreaterThan(20);
  });
});
