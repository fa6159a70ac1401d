import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { AssignmentModel } from './assignment-network.js';
import { roundFlow } from './dependent-rounding.js';
import { solveAssignment } from './solve-assignment.js';

// Two tasks of two seats, five experts of distinct employers, each pair capped at 1/2.
const model: AssignmentModel = {
  tasks: [0, 1].map((group) => ({
    seats: 2,
    group,
    candidates: [0, 1, 2, 3, 4].map((expert) => ({
      expert,
      employer: expert,
      weight: 10 - expert,
    })),
  })),
  expertCount: 5,
  loadCap: 1,
  maxPerEmployer: 1,
  scale: 2,
  pairCap: 1,
};

describe('roundFlow', () => {
  it('draws integral assignments whose frequencies match the fractional marginals', () => {
    const solution = solveAssignment(model);
    const { network, source, sink, pairArcs } = solution.built;
    const arcs = pairArcs.flat();
    const marginal = new Map(arcs.map(({ arc }) => [arc, network.flowOn(arc) / 2]));
    expect([...marginal.values()].every((x) => x <= 0.5)).toBe(true);
    const runs = 2000;
    const hits = new Map<number, number>();
    for (let k = 0; k < runs; k++) {
      const values = roundFlow(network, source, sink, 2, seedrandom(`r-${k}`));
      const perTask = pairArcs.map(
        (list) => list.filter(({ arc }) => values.get(arc) === 2).length,
      );
      expect(perTask).toEqual([2, 2]); // every seat filled in every draw
      const perExpert = new Map<number, number>();
      pairArcs.forEach((list, t) => {
        for (const { arc, position } of list) {
          const value = values.get(arc) ?? 0;
          expect([0, 2]).toContain(value); // integral
          if (value === 2) {
            hits.set(arc, (hits.get(arc) ?? 0) + 1);
            const expert = model.tasks[t]?.candidates[position]?.expert ?? -1;
            perExpert.set(expert, (perExpert.get(expert) ?? 0) + 1);
          }
        }
      });
      for (const count of perExpert.values()) expect(count).toBeLessThanOrEqual(1); // load cap
    }
    // Standard error at p = 0.5 over 2000 runs is 0.011: 0.05 is over four of them.
    for (const { arc } of arcs) {
      expect(Math.abs((hits.get(arc) ?? 0) / runs - (marginal.get(arc) ?? 0))).toBeLessThan(0.05);
    }
  });
});
