import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssignmentModel, ModelTask } from './assignment-network.js';
import { solveAssignment } from './solve-assignment.js';

/** Small random campaigns: a few tasks, a few experts, employers and overlap groups. */
const modelArbitrary: fc.Arbitrary<AssignmentModel> = fc
  .record({
    expertCount: fc.integer({ min: 1, max: 6 }),
    employers: fc.integer({ min: 1, max: 3 }),
    loadCap: fc.integer({ min: 1, max: 3 }),
    maxPerEmployer: fc.integer({ min: 1, max: 2 }),
    taskCount: fc.integer({ min: 1, max: 3 }),
    seed: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 80, maxLength: 80 }),
  })
  .map(({ expertCount, employers, loadCap, maxPerEmployer, taskCount, seed }) => {
    let cursor = 0;
    const next = (): number => seed[cursor++ % seed.length] as number;
    const employerOf = Array.from({ length: expertCount }, () => next() % employers);
    const tasks: ModelTask[] = Array.from({ length: taskCount }, () => {
      const candidates = [];
      for (let e = 0; e < expertCount; e++) {
        if (next() % 4 === 0) continue; // not eligible for this task
        candidates.push({ expert: e, employer: employerOf[e] as number, weight: next() % 11 });
      }
      candidates.sort((a, b) => b.weight - a.weight || a.expert - b.expert);
      return { seats: 1 + (next() % 3), group: next() % 2, candidates };
    });
    return { tasks, expertCount, loadCap, maxPerEmployer };
  });

interface Best {
  seats: number;
  fit: number;
  maxLoad: number;
}

/** Every assignment, checked against every constraint: the lexicographic optimum. */
function bruteForce(model: AssignmentModel): Best {
  let best: Best = { seats: -1, fit: -1, maxLoad: Number.POSITIVE_INFINITY };
  const chosen: number[][] = [];
  const visit = (t: number): void => {
    if (t === model.tasks.length) {
      const load = new Array<number>(model.expertCount).fill(0);
      const byGroup = new Set<string>();
      let seats = 0;
      let fit = 0;
      for (let i = 0; i < chosen.length; i++) {
        const task = model.tasks[i] as ModelTask;
        for (const k of chosen[i] ?? []) {
          const c = task.candidates[k];
          if (c === undefined) return;
          load[c.expert] = (load[c.expert] ?? 0) + 1;
          const key = `${c.expert}/${task.group}`;
          if (byGroup.has(key)) return; // overlapping tasks
          byGroup.add(key);
          seats++;
          fit += c.weight;
        }
      }
      const maxLoad = Math.max(0, ...load);
      if (maxLoad > model.loadCap) return;
      const better =
        seats > best.seats ||
        (seats === best.seats && fit > best.fit) ||
        (seats === best.seats && fit === best.fit && maxLoad < best.maxLoad);
      if (better) best = { seats, fit, maxLoad };
      return;
    }
    const task = model.tasks[t] as ModelTask;
    const n = task.candidates.length;
    for (let mask = 0; mask < 1 << n; mask++) {
      const picks: number[] = [];
      const perEmployer = new Map<number, number>();
      let ok = true;
      for (let k = 0; k < n; k++) {
        if ((mask & (1 << k)) === 0) continue;
        const employer = (task.candidates[k] as { employer: number }).employer;
        const count = (perEmployer.get(employer) ?? 0) + 1;
        perEmployer.set(employer, count);
        if (count > model.maxPerEmployer) ok = false;
        picks.push(k);
      }
      if (!ok || picks.length > task.seats) continue;
      chosen[t] = picks;
      visit(t + 1);
    }
  };
  visit(0);
  return best;
}

describe('solveAssignment', () => {
  it('finds the brute-force optimum: most seats, then most fit, then the lightest heaviest load', () => {
    fc.assert(
      fc.property(modelArbitrary, (model) => {
        const solution = solveAssignment(model);
        const best = bruteForce(model);
        expect(solution.seats).toBe(best.seats);
        expect(solution.fit).toBe(best.fit);
        if (best.seats > 0) expect(solution.maxLoad).toBe(best.maxLoad);
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });

  it('returns integral flows: every pair taken fully or not at all (total unimodularity)', () => {
    fc.assert(
      fc.property(modelArbitrary, (model) => {
        const solution = solveAssignment(model);
        for (const flows of solution.flows) for (const flow of flows.values()) expect(flow).toBe(1);
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('proves optimality beyond the first candidate lists (pricing adds left-out pairs)', () => {
    // 30 candidates for one seat each on 3 tasks, all wanting the same top experts.
    const candidates = Array.from({ length: 30 }, (_, e) => ({
      expert: e,
      employer: e,
      weight: e === 29 ? 100 : 10,
    }));
    const model: AssignmentModel = {
      tasks: [0, 1, 2].map((group) => ({ seats: 1, group, candidates })),
      expertCount: 30,
      loadCap: 1,
      maxPerEmployer: 1,
    };
    const solution = solveAssignment(model);
    expect(solution.seats).toBe(3);
    expect(solution.fit).toBe(120);
  });
});
