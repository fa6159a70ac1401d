import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inclusionProbabilities, systematicSample } from './capped-sample.js';

describe('inclusionProbabilities and systematicSample', () => {
  it('gives probabilities that sum to k, never exceed the cap, and follow the weights below it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 10 }),
        (list, cap, k) => {
          fc.pre(cap * list.length >= k);
          const weights = Float64Array.from(list);
          const p = inclusionProbabilities(weights, k, cap);
          const sum = p.reduce((total, value) => total + value, 0);
          expect(sum).toBeCloseTo(k, 6);
          for (let i = 0; i < p.length; i++) {
            expect(p[i]).toBeLessThanOrEqual(cap + 1e-12);
            for (let j = 0; j < p.length; j++) {
              // A heavier expert never has a smaller probability.
              if ((weights[i] as number) > (weights[j] as number)) {
                expect(p[i]).toBeGreaterThanOrEqual((p[j] as number) - 1e-12);
              }
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('spreads the weight a capped expert cannot use over the others', () => {
    const p = inclusionProbabilities(Float64Array.of(8, 1, 1), 2, 0.9);
    expect([...p].map((v) => Number(v.toFixed(6)))).toEqual([0.9, 0.55, 0.55]);
  });

  it('takes each position with exactly its probability over the uniform start', () => {
    const p = Float64Array.of(0.25, 0.5, 0.75, 0.5);
    const hits = new Array<number>(p.length).fill(0);
    const steps = 1000;
    for (let s = 0; s < steps; s++) {
      for (const i of systematicSample(p, (s + 0.5) / steps)) hits[i] = (hits[i] as number) + 1;
    }
    expect(hits.map((h) => h / steps)).toEqual([0.25, 0.5, 0.75, 0.5]);
  });
});
