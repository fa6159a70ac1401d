import { describe, expect, it } from 'vitest';
import { giniCoefficient } from './gini-coefficient.js';

// Expected values worked out by hand from the pair form G = Σ|xᵢ − xⱼ| / (2 n² x̄):
// [1, 2, 3]: pair differences 1, 2, 1 each counted twice = 8; 2·9·2 = 36; 8/36 = 2/9.
// [0, 0, 0, 4]: 3 pairs of 4, twice = 24; 2·16·1 = 32; 24/32 = 3/4.
// [0, 0, 1, 3]: |0−1|·2 + |0−3|·2 + |1−3| = 1+1+3+3+2 = 10, twice = 20; 2·16·1 = 32; 20/32 = 5/8.
// [2, 4]: 2·2 = 4; 2·4·3 = 24; 4/24 = 1/6.
// [5, 0]: 5·2 = 10; 2·4·2.5 = 20; 10/20 = 1/2 (order does not matter).
// [10]: one expert, nobody to be unequal to: 0.
// [1, 2, 3, 0, 0, 0]: 1·3 + 2·3 + 3·3 (against the zeros) + 1 + 2 + 1 = 22, twice = 44;
// 2·36·1 = 72; 44/72 = 11/18 (against 2/9 without the zeros).
describe('giniCoefficient (工作量分布)', () => {
  it.each<[string, number[], number]>([
    ['is 0 when every expert carries the same load', [3, 3, 3, 3], 0],
    ['is 0 for a single expert', [10], 0],
    ['is 0 when nobody was dispatched at all', [0, 0, 0], 0],
    ['is 2/9 for loads 1, 2, 3', [1, 2, 3], 2 / 9],
    ['is 3/4 when one of four experts carries every task', [0, 0, 0, 4], 3 / 4],
    ['is 5/8 for loads 0, 0, 1, 3', [0, 0, 1, 3], 5 / 8],
    ['is 1/6 for loads 2 and 4', [2, 4], 1 / 6],
    ['does not depend on the order of the experts', [5, 0], 1 / 2],
    [
      'counts never-dispatched experts as zeros, raising the coefficient',
      [1, 2, 3, 0, 0, 0],
      11 / 18,
    ],
  ])('%s', (_name, values, expected) => {
    expect(giniCoefficient(values)).toBeCloseTo(expected, 12);
  });

  it.each<[string, number[]]>([
    ['has no value for an empty pool', []],
    ['has no value for a negative count', [1, -1]],
    ['has no value for a count that is not a number', [1, Number.NaN]],
  ])('%s', (_name, values) => {
    expect(giniCoefficient(values)).toBeNull();
  });

  it('does not change the input', () => {
    const values = [3, 1, 2];
    giniCoefficient(values);
    expect(values).toEqual([3, 1, 2]);
  });
});
