import { describe, expect, it } from 'vitest';
import { readInBatches } from './read-in-batches.js';

describe('readInBatches', () => {
  it.each([
    [0, 3, []],
    [2, 3, [[0, 1]]],
    [3, 3, [[0, 1, 2]]],
    [7, 3, [[0, 1, 2], [3, 4, 5], [6]]],
  ] as const)('reads %i keys in slices of %i, in order', async (count, size, slices) => {
    const keys = Array.from({ length: count }, (_, k) => k);
    const seen: number[][] = [];
    const rows = await readInBatches(keys, size, async (batch) => {
      seen.push(batch);
      return batch.map((key) => key * 10);
    });
    expect(seen).toEqual(slices);
    expect(rows).toEqual(keys.map((key) => key * 10));
  });
});
