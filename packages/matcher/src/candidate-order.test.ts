import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { bestOrder, concatOrders, lotteryOrder } from './candidate-order.js';

const drain = (order: { at: (k: number) => number }): number[] => {
  const list: number[] = [];
  for (let k = 0; order.at(k) >= 0; k++) list.push(order.at(k));
  return list;
};

describe('candidate orders', () => {
  it('best: highest score first, equal scores by tie key then pool index', () => {
    const order = bestOrder(
      Int32Array.of(10, 11, 12, 13),
      Float64Array.of(1, 3, 3, 2),
      Uint32Array.of(0, 9, 4, 0),
    );
    expect(drain(order)).toEqual([12, 11, 13, 10]);
  });

  it('best: the same order as a full sort, also past the first block', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 200 }),
        (list) => {
          const candidates = Int32Array.from(list, (_, k) => 1000 - k);
          const scores = Float64Array.from(list);
          const tieKey = Uint32Array.from(list, (_, k) => (k * 7919) % 13);
          const expected = list
            .map((_, k) => k)
            .sort(
              (a, b) =>
                (scores[b] as number) - (scores[a] as number) ||
                (tieKey[a] as number) - (tieKey[b] as number) ||
                (candidates[a] as number) - (candidates[b] as number),
            )
            .map((k) => candidates[k]);
          expect(drain(bestOrder(candidates, scores, tieKey))).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('lottery: a permutation of the candidates, the same for the same seed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.string(),
        (weights, seed) => {
          const candidates = Int32Array.from(weights, (_, k) => k * 3);
          const run = () =>
            drain(lotteryOrder(candidates, Float64Array.from(weights), seedrandom(seed)));
          const order = run();
          expect([...order].sort((a, b) => a - b)).toEqual([...candidates]);
          expect(run()).toEqual(order);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('lottery: draws the first position in proportion to weight', () => {
    const hits = [0, 0];
    const draws = 4000;
    for (let s = 0; s < draws; s++) {
      const first = lotteryOrder(
        Int32Array.of(0, 1),
        Float64Array.of(1, 3),
        seedrandom(`w${s}`),
      ).at(0);
      hits[first] = (hits[first] as number) + 1;
    }
    // Hoeffding, failure probability 1e-6.
    expect(Math.abs((hits[1] as number) / draws - 0.75)).toBeLessThan(
      Math.sqrt(Math.log(2e6) / (2 * draws)),
    );
  });

  it('concatenates orders without repeating a candidate', () => {
    const first = bestOrder(Int32Array.of(5, 6), Float64Array.of(2, 1), Uint32Array.of(0, 0));
    const second = bestOrder(
      Int32Array.of(6, 7, 5),
      Float64Array.of(3, 2, 1),
      Uint32Array.of(0, 0, 0),
    );
    expect(drain(concatOrders(first, second))).toEqual([5, 6, 7]);
  });
});
