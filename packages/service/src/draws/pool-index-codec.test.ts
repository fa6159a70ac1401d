import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePoolIndices, encodePoolIndices } from './pool-index-codec.js';

/** A pool size and a strictly ascending set of indices into it. */
const indexSets = fc.integer({ min: 1, max: 5_000 }).chain((poolSize) =>
  fc.tuple(
    fc.constant(poolSize),
    fc
      .uniqueArray(fc.integer({ min: 0, max: poolSize - 1 }), { maxLength: poolSize })
      .map((indices) => indices.sort((a, b) => a - b)),
  ),
);

describe('encodePoolIndices / decodePoolIndices', () => {
  it('decodes every encoded set of pool indices to itself', () => {
    fc.assert(
      fc.property(indexSets, ([poolSize, indices]) => {
        expect(decodePoolIndices(encodePoolIndices(indices, poolSize))).toEqual(indices);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['a sparse set as gaps', [2, 3, 9], 1_000, 'v'],
    ['a few indices in a small pool as a bitmap', [2, 3, 9], 10, 'b'],
    ['a large gap as a multi-byte varint', [0, 300, 100_000], 1_000_000, 'v'],
    ['a dense set as a deflated bitmap or gap list', range(0, 50_000, 2), 100_000, 'BV'],
    ['the empty set', [], 100, 'v'],
  ])('encodes %s', (_name, indices, poolSize, formats) => {
    const text = encodePoolIndices(indices, poolSize);
    expect(formats).toContain(text.charAt(0));
    expect(decodePoolIndices(text)).toEqual(indices);
  });

  it('takes a dense half of 100,000 records in far less than a byte per record', () => {
    const indices = range(0, 100_000, 1).filter((i) => (i * 2_654_435_761) % 7 < 4);
    expect(encodePoolIndices(indices, 100_000).length).toBeLessThan(100_000 / 8 + 100);
  });

  it.each([
    ['a descending set', [3, 2], 10],
    ['a repeated index', [1, 1], 10],
    ['an index outside the pool', [10], 10],
    ['a negative index', [-1], 10],
    ['a fraction', [1.5], 10],
  ])('refuses %s', (_name, indices, poolSize) => {
    expect(() => encodePoolIndices(indices, poolSize)).toThrow(RangeError);
  });

  it('refuses an unknown encoding', () => {
    expect(() => decodePoolIndices('xAAA')).toThrow(RangeError);
  });
});

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i += step) out.push(i);
  return out;
}
